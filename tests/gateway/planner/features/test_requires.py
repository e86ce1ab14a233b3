"""Golden plans for ``@requires``: simple, with arguments, chained, and on a field of the root subgraph."""

from __future__ import annotations

import textwrap

from tests.gateway.harness import plan_text, supergraph_sdl

SUPERGRAPH = supergraph_sdl(
    """
    type Query @join__type(graph: PRODUCTS) @join__type(graph: INVENTORY) @join__type(graph: PRICING) {
      topProducts: [Product] @join__field(graph: PRODUCTS)
      stock: [Product] @join__field(graph: INVENTORY)
    }

    type Product
      @join__type(graph: PRODUCTS, key: "upc")
      @join__type(graph: INVENTORY, key: "upc")
      @join__type(graph: PRICING, key: "upc")
    {
      upc: String!
      name: String @join__field(graph: PRODUCTS)
      weight: Int @join__field(graph: PRODUCTS) @join__field(graph: INVENTORY, external: true)
      price(currency: String!): Int @join__field(graph: PRICING) @join__field(graph: INVENTORY, external: true)
      inStock: Boolean @join__field(graph: INVENTORY)
      shippingEstimate: Int @join__field(graph: INVENTORY, requires: "weight price(currency: \\"USD\\")")
      shippingEstimateEUR: Int @join__field(graph: INVENTORY, requires: "weight price(currency: \\"EUR\\")")
      discount: Int @join__field(graph: PRICING, requires: "shippingEstimate") @join__field(graph: INVENTORY, external: true)
      label: String @join__field(graph: PRICING, requires: "name")
    }
    """,
    "inventory",
    "pricing",
    "products",
)


def test_requires_fetches_required_fields_first() -> None:
    query = "{ topProducts { name shippingEstimate } }"
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
                  weight
                }
              }
            },
            Flatten(path: "topProducts.@") {
              Fetch(service: "pricing") {
                {
                  ... on Product {
                    __typename
                    upc
                  }
                } =>
                {
                  ... on Product {
                    price__req_a1a4b36a: price(currency: "USD")
                  }
                }
              }
            },
            Flatten(path: "topProducts.@") {
              Fetch(service: "inventory") {
                {
                  ... on Product {
                    __typename
                    upc
                    weight
                    price__req_a1a4b36a: price
                  }
                } =>
                {
                  ... on Product {
                    shippingEstimate
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_requires_with_argument_is_aliased_and_client_argument_kept() -> None:
    query = '{ topProducts { price(currency: "EUR") shippingEstimate } }'
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              {
                topProducts {
                  __typename
                  upc
                  weight
                }
              }
            },
            Flatten(path: "topProducts.@") {
              Fetch(service: "pricing") {
                {
                  ... on Product {
                    __typename
                    upc
                  }
                } =>
                {
                  ... on Product {
                    price__req_a1a4b36a: price(currency: "USD")
                    price(currency: "EUR")
                  }
                }
              }
            },
            Flatten(path: "topProducts.@") {
              Fetch(service: "inventory") {
                {
                  ... on Product {
                    __typename
                    upc
                    weight
                    price__req_a1a4b36a: price
                  }
                } =>
                {
                  ... on Product {
                    shippingEstimate
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_requires_chain_runs_in_order() -> None:
    query = "{ topProducts { discount } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              {
                topProducts {
                  __typename
                  upc
                  weight
                }
              }
            },
            Flatten(path: "topProducts.@") {
              Fetch(service: "pricing") {
                {
                  ... on Product {
                    __typename
                    upc
                  }
                } =>
                {
                  ... on Product {
                    price__req_a1a4b36a: price(currency: "USD")
                  }
                }
              }
            },
            Flatten(path: "topProducts.@") {
              Fetch(service: "inventory") {
                {
                  ... on Product {
                    __typename
                    upc
                    weight
                    price__req_a1a4b36a: price
                  }
                } =>
                {
                  ... on Product {
                    shippingEstimate
                  }
                }
              }
            },
            Flatten(path: "topProducts.@") {
              Fetch(service: "pricing") {
                {
                  ... on Product {
                    __typename
                    upc
                    shippingEstimate
                  }
                } =>
                {
                  ... on Product {
                    discount
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_requires_on_field_of_the_root_subgraph_needs_an_entity_fetch_back() -> None:
    query = "{ stock { inStock shippingEstimate } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "inventory") {
              {
                stock {
                  __typename
                  inStock
                  upc
                }
              }
            },
            Parallel {
              Flatten(path: "stock.@") {
                Fetch(service: "pricing") {
                  {
                    ... on Product {
                      __typename
                      upc
                    }
                  } =>
                  {
                    ... on Product {
                      price__req_a1a4b36a: price(currency: "USD")
                    }
                  }
                }
              },
              Flatten(path: "stock.@") {
                Fetch(service: "products") {
                  {
                    ... on Product {
                      __typename
                      upc
                    }
                  } =>
                  {
                    ... on Product {
                      weight
                    }
                  }
                }
              }
            },
            Flatten(path: "stock.@") {
              Fetch(service: "inventory") {
                {
                  ... on Product {
                    __typename
                    upc
                    weight
                    price__req_a1a4b36a: price
                  }
                } =>
                {
                  ... on Product {
                    shippingEstimate
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_same_required_field_with_other_arguments_needs_a_separate_entities_call() -> None:
    query = "{ topProducts { shippingEstimate shippingEstimateEUR } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              {
                topProducts {
                  __typename
                  upc
                  weight
                }
              }
            },
            Flatten(path: "topProducts.@") {
              Fetch(service: "pricing") {
                {
                  ... on Product {
                    __typename
                    upc
                  }
                } =>
                {
                  ... on Product {
                    price__req_a1a4b36a: price(currency: "USD")
                    price__req_e9a82d90: price(currency: "EUR")
                  }
                }
              }
            },
            BatchFetch(service: "inventory") {
              _e0 {
                paths: [
                  "topProducts.@"
                ]
                {
                  ... on Product {
                    __typename
                    upc
                    weight
                    price__req_a1a4b36a: price
                  }
                } =>
                {
                  ... on Product {
                    shippingEstimate
                  }
                }
              }
              _e1 {
                paths: [
                  "topProducts.@"
                ]
                {
                  ... on Product {
                    __typename
                    upc
                    weight
                    price__req_e9a82d90: price
                  }
                } =>
                {
                  ... on Product {
                    shippingEstimateEUR
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_two_requires_in_one_subgraph_share_one_fetch() -> None:
    query = "{ topProducts { label shippingEstimate } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              {
                topProducts {
                  __typename
                  upc
                  weight
                  name
                }
              }
            },
            Flatten(path: "topProducts.@") {
              Fetch(service: "pricing") {
                {
                  ... on Product {
                    __typename
                    upc
                    name
                  }
                } =>
                {
                  ... on Product {
                    price__req_a1a4b36a: price(currency: "USD")
                    label
                  }
                }
              }
            },
            Flatten(path: "topProducts.@") {
              Fetch(service: "inventory") {
                {
                  ... on Product {
                    __typename
                    upc
                    weight
                    price__req_a1a4b36a: price
                  }
                } =>
                {
                  ... on Product {
                    shippingEstimate
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")
