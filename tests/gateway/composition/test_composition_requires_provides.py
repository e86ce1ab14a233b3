"""``@requires``, ``@provides`` and ``@external`` become ``@join__field`` arguments."""

from __future__ import annotations

from collections.abc import Callable

SupergraphOf = Callable[[dict[str, str]], str]
BlockOf = Callable[[str, str], str]

PRODUCTS_INVENTORY_REVIEWS = {
    "inventory": """
        type Product @key(fields: "upc") {
          upc: String!
          price: Int! @external
          weight: Int! @external
          inStock: Boolean!
          shippingEstimate: Int! @requires(fields: "price weight")
        }
    """,
    "products": """
        type Query {
          topProducts(first: Int = 5): [Product!]!
        }

        type Product @key(fields: "upc") {
          upc: String!
          name: String! @shareable
          price: Int!
          weight: Int!
        }
    """,
    "reviews": """
        type Query {
          latestReviews: [Review!]!
        }

        type Review @key(fields: "id") {
          id: ID!
          body: String!
          product: Product! @provides(fields: "name")
        }

        type Product @key(fields: "upc") {
          upc: String!
          name: String! @external
          reviews: [Review!]!
        }
    """,
}
PRODUCTS_INVENTORY_REVIEWS_EXPECTED = {
    "Product": """\
type Product @join__type(graph: INVENTORY, key: "upc") @join__type(graph: PRODUCTS, key: "upc") @join__type(graph: REVIEWS, key: "upc") {
  upc: String!
  price: Int! @join__field(graph: INVENTORY, external: true) @join__field(graph: PRODUCTS)
  weight: Int! @join__field(graph: INVENTORY, external: true) @join__field(graph: PRODUCTS)
  inStock: Boolean! @join__field(graph: INVENTORY)
  shippingEstimate: Int! @join__field(graph: INVENTORY, requires: "price weight")
  name: String! @join__field(graph: PRODUCTS) @join__field(graph: REVIEWS, external: true)
  reviews: [Review!]! @join__field(graph: REVIEWS)
}
""",
    "Review": """\
type Review @join__type(graph: REVIEWS, key: "id") {
  id: ID!
  body: String!
  product: Product! @join__field(graph: REVIEWS, provides: "name")
}
""",
    "Query": """\
type Query @join__type(graph: INVENTORY) @join__type(graph: PRODUCTS) @join__type(graph: REVIEWS) {
  topProducts(first: Int = 5): [Product!]! @join__field(graph: PRODUCTS)
  latestReviews: [Review!]! @join__field(graph: REVIEWS)
}
""",
}


def test_products_inventory_reviews(supergraph_of: SupergraphOf, block_of: BlockOf) -> None:
    sdl = supergraph_of(PRODUCTS_INVENTORY_REVIEWS)
    for name, expected in PRODUCTS_INVENTORY_REVIEWS_EXPECTED.items():
        assert block_of(sdl, name) == expected
