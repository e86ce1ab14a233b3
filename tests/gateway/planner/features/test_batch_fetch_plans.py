"""Golden plans for entity fetches to one subgraph at several paths sharing one request."""

from __future__ import annotations

import textwrap

from graphql import parse

from gateway.planner import BatchFetchNode, QueryPlanner, SequenceNode
from gateway.supergraph import load_supergraph
from tests.gateway.harness import plan_text, supergraph_sdl

SUPERGRAPH = supergraph_sdl(
    """
    type Query @join__type(graph: POLICIES) @join__type(graph: CUSTOMERS) @join__type(graph: CLAIMS) {
      policies: [Policy] @join__field(graph: POLICIES)
    }

    type Policy
      @join__type(graph: POLICIES, key: "id")
      @join__type(graph: CUSTOMERS, key: "id")
      @join__type(graph: CLAIMS, key: "id")
    {
      id: ID!
      number: String @join__field(graph: POLICIES)
      holder: Customer @join__field(graph: POLICIES)
      claims: [Claim] @join__field(graph: CLAIMS)
      openClaims: Int @join__field(graph: CLAIMS)
    }

    type Customer @join__type(graph: POLICIES, key: "id") @join__type(graph: CUSTOMERS, key: "id") {
      id: ID!
      name: String @join__field(graph: CUSTOMERS)
      policies: [Policy] @join__field(graph: CUSTOMERS)
    }

    type Claim @join__type(graph: CLAIMS) {
      amount: Int
    }
    """,
    "claims",
    "customers",
    "policies",
)


def test_same_selection_at_two_paths_is_one_entities_call() -> None:
    # 'claims' at 'policies.@' has no dependants: it waits one step and joins the 'claims'
    # fetch for the holders' policies (four requests instead of five).
    query = "{ policies { claims { amount } holder { name policies { number claims { amount } } } } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "policies") {
              {
                policies {
                  __typename
                  holder {
                    __typename
                    id
                  }
                  id
                }
              }
            },
            Flatten(path: "policies.@.holder") {
              Fetch(service: "customers") {
                {
                  ... on Customer {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Customer {
                    name
                    policies {
                      __typename
                      id
                    }
                  }
                }
              }
            },
            Parallel {
              BatchFetch(service: "claims") {
                _e0 {
                  paths: [
                    "policies.@.holder.policies.@"
                    "policies.@"
                  ]
                  {
                    ... on Policy {
                      __typename
                      id
                    }
                  } =>
                  {
                    ... on Policy {
                      claims {
                        amount
                      }
                    }
                  }
                }
              },
              Flatten(path: "policies.@.holder.policies.@") {
                Fetch(service: "policies") {
                  {
                    ... on Policy {
                      __typename
                      id
                    }
                  } =>
                  {
                    ... on Policy {
                      number
                    }
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_different_selections_get_one_aliased_call_each() -> None:
    query = "{ policies { claims { amount } holder { policies { openClaims } } } }"
    assert plan_text(SUPERGRAPH, query) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "policies") {
              {
                policies {
                  __typename
                  holder {
                    __typename
                    id
                  }
                  id
                }
              }
            },
            Flatten(path: "policies.@.holder") {
              Fetch(service: "customers") {
                {
                  ... on Customer {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Customer {
                    policies {
                      __typename
                      id
                    }
                  }
                }
              }
            },
            BatchFetch(service: "claims") {
              _e0 {
                paths: [
                  "policies.@.holder.policies.@"
                ]
                {
                  ... on Policy {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Policy {
                    openClaims
                  }
                }
              }
              _e1 {
                paths: [
                  "policies.@"
                ]
                {
                  ... on Policy {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Policy {
                    claims {
                      amount
                    }
                  }
                }
              }
            }
          }
        }
        """
    ).rstrip("\n")


def test_skip_include_keeps_fetches_apart() -> None:
    query = (
        "query($v: Boolean!) { policies { claims @include(if: $v) { amount } "
        "holder { policies { claims { amount } } } } }"
    )
    plan = plan_text(SUPERGRAPH, query)
    assert "BatchFetch" not in plan
    assert plan.count('Fetch(service: "claims")') == 2


def test_batch_fetch_operation_and_json_shape() -> None:
    query = "query Claims { policies { claims { amount } holder { policies { openClaims } } } }"
    plan = QueryPlanner(load_supergraph(SUPERGRAPH)).plan(parse(query))
    assert isinstance(plan.node, SequenceNode)
    batch = plan.node.nodes[-1]
    assert isinstance(batch, BatchFetchNode)
    assert batch.operation == (
        "query Claims__claims__2($representations0:[_Any!]!,$representations1:[_Any!]!)"
        "{_e0:_entities(representations:$representations0){...on Policy{openClaims}} "
        "_e1:_entities(representations:$representations1){...on Policy{claims{amount}}}}"
    )
    rendered = plan.to_json()["node"]["nodes"][-1]
    assert rendered["kind"] == "BatchFetch"
    assert rendered["operationName"] == "Claims__claims__2"
    assert rendered["entityBatches"][1] == {
        "alias": "_e1",
        "variable": "representations1",
        "paths": [["policies", "@"]],
        "requires": [
            {
                "kind": "InlineFragment",
                "typeCondition": "Policy",
                "selections": [{"kind": "Field", "name": "__typename"}, {"kind": "Field", "name": "id"}],
            }
        ],
    }
