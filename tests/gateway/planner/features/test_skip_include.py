"""Golden plans for ``@skip``/``@include``: constants are folded, variables become Condition nodes."""

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


def test_constant_false_include_removes_the_fetch() -> None:
    query = "{ topProducts { name inStock @include(if: false) } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Fetch(service: "products") {
            {
              topProducts {
                __typename
                name
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_variable_include_wraps_the_entity_fetch() -> None:
    query = "query ($withStock: Boolean!) { topProducts { name inStock @include(if: $withStock) } }"
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
            Include(if: $withStock) {
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
                      inStock @include(if: $withStock)
                    }
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_variable_skip_on_a_parent_field_wraps_the_child_fetches() -> None:
    query = "query ($lite: Boolean!) { topProducts @skip(if: $lite) { name reviews { body } } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Skip(if: $lite) {
            Sequence {
              Fetch(service: "products") {
                query($lite: Boolean!) {
                  topProducts @skip(if: $lite) {
                    __typename
                    name
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
                      ... @skip(if: $lite) {
                        reviews {
                          __typename
                          body
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_condition_shared_only_by_some_fields_is_forwarded_not_hoisted() -> None:
    query = "query ($r: Boolean!) { topProducts { reviews @include(if: $r) { body } inStock } }"
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
            Parallel {
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
              },
              Include(if: $r) {
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
                        reviews @include(if: $r) {
                          __typename
                          body
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_conditional_fragment() -> None:
    query = 'query ($s: Boolean!) { product(upc: "1") { ... @include(if: $s) { inStock name } } }'
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              query($s: Boolean!) {
                product(upc: "1") {
                  __typename
                  upc
                  ... @include(if: $s) {
                    name
                  }
                }
              }
            },
            Include(if: $s) {
              Flatten(path: "product") {
                Fetch(service: "inventory") {
                  {
                    ... on Product {
                      __typename
                      upc
                    }
                  } =>
                  {
                    ... on Product {
                      ... @include(if: $s) {
                        inStock
                      }
                    }
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")
