"""Entities: one ``@join__type`` per key, ``resolvable: false`` references, fields owned by one subgraph."""

from __future__ import annotations

from collections.abc import Callable

SupergraphOf = Callable[[dict[str, str]], str]
BlockOf = Callable[[str, str], str]

THREE_SUBGRAPHS = {
    "client_info": """
        type Query { client(id: ID!): Client }
        type Client @key(fields: "id") { id: ID! fullName: String! }
    """,
    "applications": """
        type Application @key(fields: "id") { id: ID! client: Client! }
        type Client @key(fields: "id") { id: ID! applications: [Application!]! }
        type Query { application(id: ID!): Application }
    """,
    "core_app": """
        type Client @key(fields: "id", resolvable: false) { id: ID! }
        type Policy @key(fields: "id") @key(fields: "number") { id: ID! number: String! holder: Client! }
        type Query { policy(id: ID!): Policy }
    """,
}
THREE_SUBGRAPHS_EXPECTED = {
    "Client": """\
type Client @join__type(graph: APPLICATIONS, key: "id") @join__type(graph: CLIENT_INFO, key: "id") @join__type(graph: CORE_APP, key: "id", resolvable: false) {
  id: ID!
  applications: [Application!]! @join__field(graph: APPLICATIONS)
  fullName: String! @join__field(graph: CLIENT_INFO)
}
""",
    "Policy": """\
type Policy @join__type(graph: CORE_APP, key: "id") @join__type(graph: CORE_APP, key: "number") {
  id: ID!
  number: String!
  holder: Client!
}
""",
    "Query": """\
type Query @join__type(graph: APPLICATIONS) @join__type(graph: CLIENT_INFO) @join__type(graph: CORE_APP) {
  application(id: ID!): Application @join__field(graph: APPLICATIONS)
  client(id: ID!): Client @join__field(graph: CLIENT_INFO)
  policy(id: ID!): Policy @join__field(graph: CORE_APP)
}
""",
}


def test_three_subgraphs(supergraph_of: SupergraphOf, block_of: BlockOf) -> None:
    sdl = supergraph_of(THREE_SUBGRAPHS)
    for name, expected in THREE_SUBGRAPHS_EXPECTED.items():
        assert block_of(sdl, name) == expected


EXTENSION_WITHOUT_BASE = {
    "a": """
        type Query { w: [Warehouse!]! }
        type Warehouse @key(fields: "code") { code: String! city: String! }
    """,
    "b": """
        extend type Warehouse @key(fields: "code") { code: String! @external capacity: Int }
    """,
}
EXTENSION_WITHOUT_BASE_EXPECTED = {
    "Warehouse": """\
type Warehouse @join__type(graph: A, key: "code") @join__type(graph: B, key: "code", extension: true) {
  code: String!
  city: String! @join__field(graph: A)
  capacity: Int @join__field(graph: B)
}
""",
}


def test_extension_without_base(supergraph_of: SupergraphOf, block_of: BlockOf) -> None:
    sdl = supergraph_of(EXTENSION_WITHOUT_BASE)
    for name, expected in EXTENSION_WITHOUT_BASE_EXPECTED.items():
        assert block_of(sdl, name) == expected
