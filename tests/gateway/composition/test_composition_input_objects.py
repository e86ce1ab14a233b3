"""Input objects and arguments: intersection, most restrictive type, defaults kept."""

from __future__ import annotations

from collections.abc import Callable

SupergraphOf = Callable[[dict[str, str]], str]
BlockOf = Callable[[str, str], str]

FILTERS = {
    "a": """
        type Query { a(i: I, j: Int): Int @shareable }
        input I { x: Int y: String! z: Int = 3 }
    """,
    "b": """
        type Query { a(i: I!, k: Int): Int @shareable }
        input I { x: Int! y: String! z: Int = 3 w: Int }
    """,
}
FILTERS_EXPECTED = {
    "I": """\
input I @join__type(graph: A) @join__type(graph: B) {
  x: Int! @join__field(graph: A, type: "Int") @join__field(graph: B, type: "Int!")
  y: String!
  z: Int = 3
}
""",
    "Query": """\
type Query @join__type(graph: A) @join__type(graph: B) {
  a(i: I!): Int
}
""",
}


def test_filters(supergraph_of: SupergraphOf, block_of: BlockOf) -> None:
    sdl = supergraph_of(FILTERS)
    for name, expected in FILTERS_EXPECTED.items():
        assert block_of(sdl, name) == expected
