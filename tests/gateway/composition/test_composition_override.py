"""``@override``: unused overridden definitions disappear, used ones stay with ``usedOverridden``."""

from __future__ import annotations

from collections.abc import Callable

SupergraphOf = Callable[[dict[str, str]], str]
BlockOf = Callable[[str, str], str]

LEGACY_BILLING_REGISTRY = {
    "billing": """
        type Policy @key(fields: "id") {
          id: ID!
          premium: Int! @override(from: "legacy")
        }
    """,
    "legacy": """
        type Query {
          policies: [Policy!]!
        }

        type Policy @key(fields: "id number") {
          id: ID!
          number: String!
          premium: Int!
          status: String!
        }
    """,
    "registry": """
        type Policy @key(fields: "id") {
          id: ID!
          number: String! @override(from: "legacy")
          status: String! @override(from: "legacy")
        }
    """,
}
LEGACY_BILLING_REGISTRY_EXPECTED = {
    "Policy": """\
type Policy @join__type(graph: BILLING, key: "id") @join__type(graph: LEGACY, key: "id number") @join__type(graph: REGISTRY, key: "id") {
  id: ID!
  premium: Int! @join__field(graph: BILLING, override: "legacy")
  number: String! @join__field(graph: LEGACY, usedOverridden: true) @join__field(graph: REGISTRY, override: "legacy")
  status: String! @join__field(graph: REGISTRY, override: "legacy")
}
""",
    "Query": """\
type Query @join__type(graph: BILLING) @join__type(graph: LEGACY) @join__type(graph: REGISTRY) {
  policies: [Policy!]! @join__field(graph: LEGACY)
}
""",
}


def test_legacy_billing_registry(supergraph_of: SupergraphOf, block_of: BlockOf) -> None:
    sdl = supergraph_of(LEGACY_BILLING_REGISTRY)
    for name, expected in LEGACY_BILLING_REGISTRY_EXPECTED.items():
        assert block_of(sdl, name) == expected


def test_override_chain_leaves_only_the_last_owner(supergraph_of: SupergraphOf, block_of: BlockOf) -> None:
    sdl = supergraph_of(
        {
            "a": 'type Query { u: U }\ntype U @key(fields: "id") { id: ID! f: Int }',
            "b": 'type U @key(fields: "id") { id: ID! f: Int @override(from: "c") }',
            "c": 'type U @key(fields: "id") { id: ID! f: Int @override(from: "a") }',
        }
    )
    assert block_of(sdl, "U") == (
        'type U @join__type(graph: A, key: "id") @join__type(graph: B, key: "id") @join__type(graph: C, key: "id") {\n'
        "  id: ID!\n"
        '  f: Int @join__field(graph: B, override: "c")\n'
        "}\n"
    )
