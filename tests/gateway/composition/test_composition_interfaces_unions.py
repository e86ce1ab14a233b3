"""Interfaces, ``@join__implements``, unions with ``@join__unionMember``, ``@interfaceObject``."""

from __future__ import annotations

from collections.abc import Callable

SupergraphOf = Callable[[dict[str, str]], str]
BlockOf = Callable[[str, str], str]

CATALOG_PRICING = {
    "catalog": """
        interface Node {
          id: ID!
        }

        interface Coverage @key(fields: "id") {
          id: ID!
          title: String!
        }

        type LifeCoverage implements Coverage & Node @key(fields: "id") {
          id: ID!
          title: String!
          sumInsured: Int!
        }

        type TravelCoverage implements Coverage & Node @key(fields: "id") {
          id: ID!
          title: String!
          countries: [String!]!
        }

        union SearchResult = LifeCoverage | TravelCoverage

        type Query {
          coverages: [Coverage!]!
          search(text: String!): [SearchResult!]!
          node(id: ID!): Node
        }
    """,
    "pricing": """
        type Coverage @key(fields: "id") @interfaceObject {
          id: ID!
          basePrice: Int!
        }

        type Promo @key(fields: "code") {
          code: String!
          percent: Int!
        }

        union SearchResult = Promo

        type Query {
          promos: [Promo!]!
          searchPromos(text: String!): [SearchResult!]!
        }
    """,
}
CATALOG_PRICING_EXPECTED = {
    "Coverage": """\
interface Coverage @join__type(graph: CATALOG, key: "id") @join__type(graph: PRICING, key: "id", isInterfaceObject: true) {
  id: ID!
  title: String! @join__field(graph: CATALOG)
  basePrice: Int! @join__field(graph: PRICING)
}
""",
    "LifeCoverage": """\
type LifeCoverage implements Coverage & Node @join__type(graph: CATALOG, key: "id") @join__implements(graph: CATALOG, interface: "Coverage") @join__implements(graph: CATALOG, interface: "Node") {
  id: ID!
  title: String!
  sumInsured: Int!
  basePrice: Int! @join__field
}
""",
    "Node": """\
interface Node @join__type(graph: CATALOG) {
  id: ID!
}
""",
    "SearchResult": """\
union SearchResult @join__type(graph: CATALOG) @join__type(graph: PRICING) @join__unionMember(graph: CATALOG, member: "LifeCoverage") @join__unionMember(graph: CATALOG, member: "TravelCoverage") @join__unionMember(graph: PRICING, member: "Promo") = LifeCoverage | TravelCoverage | Promo
""",
}


def test_catalog_pricing(supergraph_of: SupergraphOf, block_of: BlockOf) -> None:
    sdl = supergraph_of(CATALOG_PRICING)
    for name, expected in CATALOG_PRICING_EXPECTED.items():
        assert block_of(sdl, name) == expected
