"""Golden plans for ``@key``: entity fetches, compound, multiple, nested and non-resolvable keys."""

from __future__ import annotations

import textwrap

from tests.gateway.harness import plan_text, supergraph_sdl

SUPERGRAPH = supergraph_sdl(
    """
    type Query @join__type(graph: PRODUCTS) @join__type(graph: INVENTORY) @join__type(graph: STORES) @join__type(graph: SHIPPING) @join__type(graph: RATINGS) {
      topProducts(first: Int = 5): [Product] @join__field(graph: PRODUCTS)
      warehouse: Warehouse @join__field(graph: STORES)
      cheapest: Product @join__field(graph: SHIPPING)
    }

    type Product
      @join__type(graph: PRODUCTS, key: "upc")
      @join__type(graph: PRODUCTS, key: "sku")
      @join__type(graph: INVENTORY, key: "sku")
      @join__type(graph: SHIPPING, key: "upc region { code }")
      @join__type(graph: RATINGS, key: "sku")
    {
      upc: String! @join__field(graph: PRODUCTS) @join__field(graph: SHIPPING)
      sku: String! @join__field(graph: PRODUCTS) @join__field(graph: INVENTORY) @join__field(graph: RATINGS)
      name: String @join__field(graph: PRODUCTS)
      region: Region @join__field(graph: PRODUCTS) @join__field(graph: SHIPPING)
      inStock: Boolean @join__field(graph: INVENTORY)
      stockedAt: Warehouse @join__field(graph: INVENTORY)
      shippingCost: Int @join__field(graph: SHIPPING)
      rating: Int @join__field(graph: RATINGS)
    }

    type Region @join__type(graph: PRODUCTS) @join__type(graph: SHIPPING) {
      code: String!
    }

    type Warehouse
      @join__type(graph: INVENTORY, key: "id", resolvable: false)
      @join__type(graph: STORES, key: "id")
      @join__type(graph: STORES, key: "city country")
    {
      id: ID!
      city: String @join__field(graph: STORES)
      country: String @join__field(graph: STORES)
      manager: String @join__field(graph: STORES)
    }
    """,
    "inventory",
    "products",
    "ratings",
    "shipping",
    "stores",
)


def test_entity_fetch_for_list_items() -> None:
    query = "{ topProducts { name inStock } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              {
                topProducts {
                  __typename
                  name
                  sku
                }
              }
            },
            Flatten(path: "topProducts.@") {
              Fetch(service: "inventory") {
                {
                  ... on Product {
                    __typename
                    sku
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


def test_one_fetch_per_subgraph_for_all_missing_fields() -> None:
    query = "{ topProducts { name inStock stockedAt { id } } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              {
                topProducts {
                  __typename
                  name
                  sku
                }
              }
            },
            Flatten(path: "topProducts.@") {
              Fetch(service: "inventory") {
                {
                  ... on Product {
                    __typename
                    sku
                  }
                } =>
                {
                  ... on Product {
                    inStock
                    stockedAt {
                      __typename
                      id
                    }
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_nested_compound_key() -> None:
    query = "{ topProducts { shippingCost } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              {
                topProducts {
                  __typename
                  upc
                  region {
                    code
                  }
                }
              }
            },
            Flatten(path: "topProducts.@") {
              Fetch(service: "shipping") {
                {
                  ... on Product {
                    __typename
                    upc
                    region {
                      code
                    }
                  }
                } =>
                {
                  ... on Product {
                    shippingCost
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_parallel_entity_fetches_from_one_parent() -> None:
    query = "{ topProducts { inStock shippingCost } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              {
                topProducts {
                  __typename
                  sku
                  upc
                  region {
                    code
                  }
                }
              }
            },
            Parallel {
              Flatten(path: "topProducts.@") {
                Fetch(service: "inventory") {
                  {
                    ... on Product {
                      __typename
                      sku
                    }
                  } =>
                  {
                    ... on Product {
                      inStock
                    }
                  }
                }
              },
              Flatten(path: "topProducts.@") {
                Fetch(service: "shipping") {
                  {
                    ... on Product {
                      __typename
                      upc
                      region {
                        code
                      }
                    }
                  } =>
                  {
                    ... on Product {
                      shippingCost
                    }
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_reference_with_non_resolvable_key_is_resolved_elsewhere() -> None:
    query = "{ topProducts { stockedAt { city manager } } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              {
                topProducts {
                  __typename
                  sku
                }
              }
            },
            Flatten(path: "topProducts.@") {
              Fetch(service: "inventory") {
                {
                  ... on Product {
                    __typename
                    sku
                  }
                } =>
                {
                  ... on Product {
                    stockedAt {
                      __typename
                      id
                    }
                  }
                }
              }
            },
            Flatten(path: "topProducts.@.stockedAt") {
              Fetch(service: "stores") {
                {
                  ... on Warehouse {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Warehouse {
                    city
                    manager
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_key_fields_only_need_no_entity_fetch() -> None:
    query = "{ topProducts { stockedAt { id } } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              {
                topProducts {
                  __typename
                  sku
                }
              }
            },
            Flatten(path: "topProducts.@") {
              Fetch(service: "inventory") {
                {
                  ... on Product {
                    __typename
                    sku
                  }
                } =>
                {
                  ... on Product {
                    stockedAt {
                      __typename
                      id
                    }
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_key_missing_in_the_source_is_fetched_first() -> None:
    query = "{ cheapest { shippingCost rating } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "shipping") {
              {
                cheapest {
                  __typename
                  shippingCost
                  upc
                }
              }
            },
            Flatten(path: "cheapest") {
              Fetch(service: "products") {
                {
                  ... on Product {
                    __typename
                    upc
                  }
                } =>
                {
                  ... on Product {
                    sku
                  }
                }
              }
            },
            Flatten(path: "cheapest") {
              Fetch(service: "ratings") {
                {
                  ... on Product {
                    __typename
                    sku
                  }
                } =>
                {
                  ... on Product {
                    rating
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_client_alias_clashing_with_a_key_field_is_renamed() -> None:
    query = "{ topProducts { sku: name inStock } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              {
                topProducts {
                  __typename
                  sku: name
                  sku__fed0: sku
                }
              }
            },
            Flatten(path: "topProducts.@") {
              Fetch(service: "inventory") {
                {
                  ... on Product {
                    __typename
                    sku__fed0: sku
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


def test_root_field_in_owning_subgraph_only() -> None:
    query = "{ warehouse { city manager } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Fetch(service: "stores") {
            {
              warehouse {
                __typename
                city
                manager
              }
            }
          }
        }
        """
    ).rstrip("\n")
