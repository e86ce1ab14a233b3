"""Golden plans for ``@shareable``: the cheapest subgraph serves shared fields; value types split."""

from __future__ import annotations

import textwrap

from tests.gateway.harness import plan_text, supergraph_sdl

SUPERGRAPH = supergraph_sdl(
    """
    type Query @join__type(graph: A) @join__type(graph: B) @join__type(graph: C) {
      product: Product @join__field(graph: A) @join__field(graph: B)
      quote: Quote @join__field(graph: A) @join__field(graph: B) @join__field(graph: C)
      offer: Offer @join__field(graph: A) @join__field(graph: C, provides: "insurer { name }")
    }

    type Offer @join__type(graph: A) @join__type(graph: C) {
      id: ID!
      insurer: Insurer @join__field(graph: A) @join__field(graph: C)
    }

    type Insurer @join__type(graph: A, key: "id") @join__type(graph: B, key: "id") @join__type(graph: C, key: "id") {
      id: ID!
      name: String @join__field(graph: B) @join__field(graph: C, external: true)
      rating: Int @join__field(graph: B)
    }

    type Product @join__type(graph: A, key: "id") @join__type(graph: B, key: "id") {
      id: ID!
      name: String @join__field(graph: A) @join__field(graph: B)
      price: Int @join__field(graph: B)
      sku: String @join__field(graph: A)
    }

    type Quote @join__type(graph: A) @join__type(graph: B) @join__type(graph: C) {
      id: ID!
      amount: Int @join__field(graph: A)
      currency: String @join__field(graph: B)
      insurer: String @join__field(graph: C)
    }
    """,
    "a",
    "b",
    "c",
)


def test_shared_root_field_goes_to_the_subgraph_resolving_everything() -> None:
    query = "{ product { name price } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Fetch(service: "b") {
            {
              product {
                __typename
                name
                price
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_shared_root_field_stays_where_other_root_fields_are() -> None:
    query = "{ product { id } quote { amount } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Fetch(service: "a") {
            {
              product {
                __typename
                id
              }
              quote {
                amount
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_shared_field_stays_in_the_current_subgraph() -> None:
    query = "{ product { sku name } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Fetch(service: "a") {
            {
              product {
                __typename
                sku
                name
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_tie_goes_to_the_subgraph_needing_fewer_entity_fields() -> None:
    query = "{ offer { insurer { name rating } } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "c") {
              {
                offer {
                  insurer {
                    __typename
                    name
                    id
                  }
                }
              }
            },
            Flatten(path: "offer.insurer") {
              Fetch(service: "b") {
                {
                  ... on Insurer {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Insurer {
                    rating
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_value_type_fields_split_across_subgraphs_fetch_the_root_field_from_each() -> None:
    query = "{ quote { id amount currency insurer } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Parallel {
            Fetch(service: "a") {
              {
                quote {
                  id
                  amount
                }
              }
            },
            Fetch(service: "b") {
              {
                quote {
                  currency
                }
              }
            },
            Fetch(service: "c") {
              {
                quote {
                  insurer
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")
