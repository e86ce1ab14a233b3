"""Golden plans for fragments, aliases and variables: normalized before planning, aliases kept."""

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


def test_named_fragments_are_inlined() -> None:
    query = """
        query Top {
          topProducts { ...ProductParts }
        }
        fragment ProductParts on Product { name ...Stock }
        fragment Stock on Product { inStock }
    """
    assert plan_text(SUPERGRAPH, query, "Top") == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              {
                topProducts {
                  __typename
                  name
                  upc
                }
              }
            },
            Flatten(path: "topProducts.@") {
              Fetch(service: "inventory") {
                {
                  ... on Product {
                    __typename
                    upc
                  }
                } =>
                {
                  ... on Product {
                    inStock
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_aliases_are_kept_as_response_keys() -> None:
    query = '{ first: product(upc: "1") { title: name stock: inStock } second: product(upc: "2") { name } }'
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              {
                first: product(upc: "1") {
                  __typename
                  title: name
                  upc
                }
                second: product(upc: "2") {
                  __typename
                  name
                }
              }
            },
            Flatten(path: "first") {
              Fetch(service: "inventory") {
                {
                  ... on Product {
                    __typename
                    upc
                  }
                } =>
                {
                  ... on Product {
                    stock: inStock
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_variables_are_forwarded_only_where_used() -> None:
    query = """
        query ($n: Int, $r: Int, $upc: String!) {
          topProducts(first: $n) { reviews(first: $r) { body } }
          product(upc: $upc) { name }
        }
    """
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              query($n: Int, $upc: String!) {
                topProducts(first: $n) {
                  __typename
                  upc
                }
                product(upc: $upc) {
                  __typename
                  name
                }
              }
            },
            Flatten(path: "topProducts.@") {
              Fetch(service: "reviews") {
                {
                  ... on Product {
                    __typename
                    upc
                  }
                } =>
                {
                  ... on Product {
                    reviews(first: $r) {
                      __typename
                      body
                    }
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_same_field_selected_twice_is_merged() -> None:
    query = "{ topProducts { name } topProducts { inStock } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              {
                topProducts {
                  __typename
                  name
                  upc
                }
              }
            },
            Flatten(path: "topProducts.@") {
              Fetch(service: "inventory") {
                {
                  ... on Product {
                    __typename
                    upc
                  }
                } =>
                {
                  ... on Product {
                    inStock
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_entities_at_different_paths_share_one_batch_fetch() -> None:
    query = "{ topProducts { reviews { body product { inStock } } inStock } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              {
                topProducts {
                  __typename
                  upc
                }
              }
            },
            Flatten(path: "topProducts.@") {
              Fetch(service: "reviews") {
                {
                  ... on Product {
                    __typename
                    upc
                  }
                } =>
                {
                  ... on Product {
                    reviews {
                      __typename
                      body
                      product {
                        __typename
                        upc
                      }
                    }
                  }
                }
              }
            },
            BatchFetch(service: "inventory") {
              _e0 {
                paths: [
                  "topProducts.@.reviews.@.product"
                  "topProducts.@"
                ]
                {
                  ... on Product {
                    __typename
                    upc
                  }
                } =>
                {
                  ... on Product {
                    inStock
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")
