"""Golden plans for interfaces across subgraphs: interface-level fields, per-type splits, entity interfaces."""

from __future__ import annotations

import textwrap

from tests.gateway.harness import plan_text, supergraph_sdl

SUPERGRAPH = supergraph_sdl(
    """
    type Query @join__type(graph: CATALOG) @join__type(graph: PRICING) @join__type(graph: MEDIA) {
      products: [Product] @join__field(graph: CATALOG)
      node(id: ID!): Node @join__field(graph: CATALOG)
      codes: [Coded] @join__field(graph: CATALOG)
    }

    interface Coded @join__type(graph: CATALOG) {
      label: String
    }

    type Plan implements Coded @join__type(graph: CATALOG) @join__implements(graph: CATALOG, interface: "Coded") {
      label: String
      code: Int
    }

    type Rider implements Coded @join__type(graph: CATALOG) @join__implements(graph: CATALOG, interface: "Coded") {
      label: String
      code: Int @join__field(graph: CATALOG, type: "Int!")
    }

    interface Node @join__type(graph: CATALOG) {
      id: ID!
    }

    interface Product @join__type(graph: CATALOG) {
      id: ID!
      title: String
    }

    type Book implements Product & Node
      @join__type(graph: CATALOG, key: "id")
      @join__type(graph: PRICING, key: "id")
      @join__type(graph: MEDIA, key: "id")
      @join__implements(graph: CATALOG, interface: "Product")
      @join__implements(graph: CATALOG, interface: "Node")
    {
      id: ID!
      title: String @join__field(graph: CATALOG)
      pages: Int @join__field(graph: CATALOG)
      price: Int @join__field(graph: PRICING)
      cover: String @join__field(graph: MEDIA)
    }

    type Film implements Product & Node
      @join__type(graph: CATALOG, key: "id")
      @join__type(graph: PRICING, key: "id")
      @join__implements(graph: CATALOG, interface: "Product")
      @join__implements(graph: CATALOG, interface: "Node")
    {
      id: ID!
      title: String @join__field(graph: CATALOG)
      minutes: Int @join__field(graph: CATALOG)
      price: Int @join__field(graph: PRICING)
    }
    """,
    "catalog",
    "media",
    "pricing",
)


def test_interface_fields_resolved_by_one_subgraph() -> None:
    query = "{ products { __typename id title } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Fetch(service: "catalog") {
            {
              products {
                __typename
                id
                title
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_fragments_on_implementations_stay_local() -> None:
    query = "{ products { title ... on Book { pages } ... on Film { minutes } } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Fetch(service: "catalog") {
            {
              products {
                __typename
                title
                ... on Book {
                  pages
                }
                ... on Film {
                  minutes
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_implementation_fields_from_other_subgraphs_share_one_fetch_per_subgraph() -> None:
    query = "{ products { ... on Book { price cover } ... on Film { price } } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "catalog") {
              {
                products {
                  __typename
                  id
                }
              }
            },
            Parallel {
              Flatten(path: "products.@") {
                Fetch(service: "media") {
                  {
                    ... on Book {
                      __typename
                      id
                    }
                  } =>
                  {
                    ... on Book {
                      cover
                    }
                  }
                }
              },
              Flatten(path: "products.@") {
                Fetch(service: "pricing") {
                  {
                    ... on Book {
                      __typename
                      id
                    }
                    ... on Film {
                      __typename
                      id
                    }
                  } =>
                  {
                    ... on Book {
                      price
                    }
                    ... on Film {
                      price
                    }
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_same_response_key_with_different_types_is_aliased_and_renamed_back() -> None:
    query = "{ codes { ... on Plan { code } ... on Rider { code } } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Fetch(service: "catalog") {
            {
              codes {
                __typename
                ... on Plan {
                  code
                }
                ... on Rider {
                  code__alias_0: code
                }
              }
            }
            outputRewrites: codes.code__alias_0 -> code
          }
        }
        """
    ).rstrip("\n")


def test_fragment_on_another_interface() -> None:
    query = '{ node(id: "1") { id ... on Product { title } ... on Book { price } } }'
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "catalog") {
              {
                node(id: "1") {
                  __typename
                  id
                  ... on Book {
                    title
                  }
                  ... on Film {
                    title
                  }
                }
              }
            },
            Flatten(path: "node") {
              Fetch(service: "pricing") {
                {
                  ... on Book {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Book {
                    price
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")
