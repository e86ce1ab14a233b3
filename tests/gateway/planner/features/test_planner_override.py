"""Golden plans for ``@override``: the overriding subgraph resolves the field."""

from __future__ import annotations

import textwrap

from tests.gateway.harness import plan_text, supergraph_sdl

SUPERGRAPH = supergraph_sdl(
    """
    type Query @join__type(graph: BILLING) @join__type(graph: POLICIES) {
      policies: [Policy] @join__field(graph: POLICIES)
    }

    type Policy @join__type(graph: BILLING, key: "id") @join__type(graph: POLICIES, key: "id") {
      id: ID!
      number: String @join__field(graph: POLICIES)
      premium: Int @join__field(graph: BILLING, override: "policies")
      coverageLimit: Int @join__field(graph: BILLING, override: "policies") @join__field(graph: POLICIES)
      currency: String @join__field(graph: BILLING, override: "policies") @join__field(graph: POLICIES, usedOverridden: true)
    }
    """,
    "billing",
    "policies",
)


def test_override_wins_even_when_the_old_owner_still_declares_the_field() -> None:
    query = "{ policies { coverageLimit } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "policies") {
              {
                policies {
                  __typename
                  id
                }
              }
            },
            Flatten(path: "policies.@") {
              Fetch(service: "billing") {
                {
                  ... on Policy {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Policy {
                    coverageLimit
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_overridden_field_comes_from_the_new_owner() -> None:
    query = "{ policies { number premium } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "policies") {
              {
                policies {
                  __typename
                  number
                  id
                }
              }
            },
            Flatten(path: "policies.@") {
              Fetch(service: "billing") {
                {
                  ... on Policy {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Policy {
                    premium
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_used_overridden_field_is_not_resolved_by_the_old_owner() -> None:
    query = "{ policies { number currency } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "policies") {
              {
                policies {
                  __typename
                  number
                  id
                }
              }
            },
            Flatten(path: "policies.@") {
              Fetch(service: "billing") {
                {
                  ... on Policy {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Policy {
                    currency
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")
