"""Shareable value types and fields: nullability merges to the least restrictive output type."""

from __future__ import annotations

from collections.abc import Callable

SupergraphOf = Callable[[dict[str, str]], str]
BlockOf = Callable[[str, str], str]

VALUE_TYPES = {
    "a": """
        type Query { v: V @shareable }
        type V @shareable { x: Int y: [String!] }
    """,
    "b": """
        type Query { v: V @shareable }
        type V @shareable { x: Int! y: [String] }
    """,
}
VALUE_TYPES_EXPECTED = {
    "V": """\
type V @join__type(graph: A) @join__type(graph: B) {
  x: Int @join__field(graph: A, type: "Int") @join__field(graph: B, type: "Int!")
  y: [String] @join__field(graph: A, type: "[String!]") @join__field(graph: B, type: "[String]")
}
""",
    "Query": """\
type Query @join__type(graph: A) @join__type(graph: B) {
  v: V
}
""",
}


def test_value_types(supergraph_of: SupergraphOf, block_of: BlockOf) -> None:
    sdl = supergraph_of(VALUE_TYPES)
    for name, expected in VALUE_TYPES_EXPECTED.items():
        assert block_of(sdl, name) == expected


SHARED_ENTITY_FIELD = {
    "a": """
        type Query { a: U }
        type U @key(fields: "id") { id: ID! name: String @shareable }
    """,
    "b": """
        type U @key(fields: "id") { id: ID! name: String! @shareable }
    """,
}
SHARED_ENTITY_FIELD_EXPECTED = {
    "U": """\
type U @join__type(graph: A, key: "id") @join__type(graph: B, key: "id") {
  id: ID!
  name: String @join__field(graph: A, type: "String") @join__field(graph: B, type: "String!")
}
""",
}


def test_shared_entity_field(supergraph_of: SupergraphOf, block_of: BlockOf) -> None:
    sdl = supergraph_of(SHARED_ENTITY_FIELD)
    for name, expected in SHARED_ENTITY_FIELD_EXPECTED.items():
        assert block_of(sdl, name) == expected
