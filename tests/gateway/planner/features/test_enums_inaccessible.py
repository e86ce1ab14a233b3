"""Golden plans for enums and ``@inaccessible``: hidden fields still serve ``@requires`` and keys."""

from __future__ import annotations

import textwrap

from tests.gateway.harness import plan_text, supergraph_sdl

SUPERGRAPH = supergraph_sdl(
    """
    type Query @join__type(graph: POLICIES) @join__type(graph: RISK) {
      policies(status: PolicyStatus): [Policy] @join__field(graph: POLICIES)
    }

    enum PolicyStatus @join__type(graph: POLICIES) @join__type(graph: RISK) {
      ACTIVE @join__enumValue(graph: POLICIES) @join__enumValue(graph: RISK)
      EXPIRED @join__enumValue(graph: POLICIES) @join__enumValue(graph: RISK)
      DRAFT @join__enumValue(graph: POLICIES) @inaccessible
    }

    type Policy @join__type(graph: POLICIES, key: "id") @join__type(graph: RISK, key: "id") {
      id: ID!
      status: PolicyStatus @join__field(graph: POLICIES)
      internalScore: Int @join__field(graph: POLICIES) @join__field(graph: RISK, external: true) @inaccessible
      riskLevel: String @join__field(graph: RISK, requires: "internalScore")
    }
    """,
    "policies",
    "risk",
)


def test_enum_argument_and_field() -> None:
    query = "{ policies(status: ACTIVE) { status } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Fetch(service: "policies") {
            {
              policies(status: ACTIVE) {
                __typename
                status
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_inaccessible_field_is_still_fetched_for_requires() -> None:
    query = "{ policies { riskLevel } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "policies") {
              {
                policies {
                  __typename
                  id
                  internalScore
                }
              }
            },
            Flatten(path: "policies.@") {
              Fetch(service: "risk") {
                {
                  ... on Policy {
                    __typename
                    id
                    internalScore
                  }
                } =>
                {
                  ... on Policy {
                    riskLevel
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")
