"""``@inaccessible`` and ``@tag`` are carried into the supergraph with their ``@link``."""

from __future__ import annotations

from collections.abc import Callable

SupergraphOf = Callable[[dict[str, str]], str]
BlockOf = Callable[[str, str], str]

PARTNERS_BILLING = {
    "billing": """
        type Partner @key(fields: "id") {
          id: ID!
          name: String! @shareable @tag(name: "billing")
          invoices: [Invoice!]!
        }

        type Invoice @tag(name: "billing") {
          number: String!
          amount: Int!
          internalNote: String @inaccessible
        }

        type Query {
          invoice(number: String!): Invoice @tag(name: "billing")
        }
    """,
    "partners": """
        type Partner @key(fields: "id") @tag(name: "b2b") {
          id: ID!
          name: String! @shareable @tag(name: "public")
          apiSecret: String @inaccessible
          rateLimit: Int! @tag(name: "internal")
        }

        enum Tier @tag(name: "b2b") {
          GOLD
          SILVER
          LEGACY @inaccessible
        }

        type Query {
          partner(id: ID!, debug: Boolean @inaccessible): Partner
          tiers: [Tier!]!
        }
    """,
}
PARTNERS_BILLING_EXPECTED = {
    "Partner": """\
type Partner @join__type(graph: BILLING, key: "id") @join__type(graph: PARTNERS, key: "id") @tag(name: "b2b") {
  id: ID!
  name: String! @tag(name: "billing") @tag(name: "public")
  invoices: [Invoice!]! @join__field(graph: BILLING)
  apiSecret: String @join__field(graph: PARTNERS) @inaccessible
  rateLimit: Int! @join__field(graph: PARTNERS) @tag(name: "internal")
}
""",
    "Tier": """\
enum Tier @join__type(graph: PARTNERS) @tag(name: "b2b") {
  GOLD @join__enumValue(graph: PARTNERS)
  SILVER @join__enumValue(graph: PARTNERS)
  LEGACY @join__enumValue(graph: PARTNERS) @inaccessible
}
""",
    "Invoice": """\
type Invoice @join__type(graph: BILLING) @tag(name: "billing") {
  number: String!
  amount: Int!
  internalNote: String @inaccessible
}
""",
    "Query": """\
type Query @join__type(graph: BILLING) @join__type(graph: PARTNERS) {
  invoice(number: String!): Invoice @join__field(graph: BILLING) @tag(name: "billing")
  partner(id: ID!, debug: Boolean @inaccessible): Partner @join__field(graph: PARTNERS)
  tiers: [Tier!]! @join__field(graph: PARTNERS)
}
""",
}


def test_partners_billing(supergraph_of: SupergraphOf, block_of: BlockOf) -> None:
    sdl = supergraph_of(PARTNERS_BILLING)
    for name, expected in PARTNERS_BILLING_EXPECTED.items():
        assert block_of(sdl, name) == expected
