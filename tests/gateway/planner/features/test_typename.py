"""Golden plans for ``__typename`` and subscriptions."""

from __future__ import annotations

import textwrap

from tests.gateway.harness import plan_text, supergraph_sdl

SUPERGRAPH = supergraph_sdl(
    """
    type Query @join__type(graph: PRODUCTS) @join__type(graph: INVENTORY) @join__type(graph: REVIEWS) {
      topProducts(first: Int = 5): [Product] @join__field(graph: PRODUCTS)
      product(upc: String!): Product @join__field(graph: PRODUCTS)
    }

    type Subscription @join__type(graph: REVIEWS) {
      reviewAdded: Review @join__field(graph: REVIEWS)
    }

    type Product
      @join__type(graph: PRODUCTS, key: "upc")
      @join__type(graph: INVENTORY, key: "upc")
      @join__type(graph: REVIEWS, key: "upc")
    {
      upc: String!
      name: String @join__field(graph: PRODUCTS)
      price: Int @join__field(graph: PRODUCTS)
      inStock: Boolean @join__field(graph: INVENTORY)
      reviews(first: Int): [Review] @join__field(graph: REVIEWS)
    }

    type Review @join__type(graph: REVIEWS, key: "id") {
      id: ID!
      body: String
      rating: Int
      product: Product
    }
    """,
    "inventory",
    "products",
    "reviews",
)


def test_root_typename_only_needs_no_fetch() -> None:
    query = "{ __typename }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {}
        """
    ).rstrip("\n")


def test_typename_on_entities_is_always_selected() -> None:
    query = '{ product(upc: "1") { __typename } }'
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Fetch(service: "products") {
            {
              product(upc: "1") {
                __typename
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_subscription_is_a_fetch_to_the_owning_subgraph() -> None:
    query = "subscription { reviewAdded { body product { name } } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "reviews") {
              subscription {
                reviewAdded {
                  __typename
                  body
                  product {
                    __typename
                    upc
                  }
                }
              }
            },
            Flatten(path: "reviewAdded.product") {
              Fetch(service: "products") {
                {
                  ... on Product {
                    __typename
                    upc
                  }
                } =>
                {
                  ... on Product {
                    name
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")
