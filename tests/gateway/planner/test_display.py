"""Tests for ``format_plan`` on hand-built plans (nodes the golden tests rarely produce)."""

from __future__ import annotations

import textwrap

from gateway.planner import (
    BatchFetchNode,
    ConditionNode,
    EntityCall,
    FetchNode,
    FlattenNode,
    ParallelNode,
    QueryPlan,
    SequenceNode,
)
from gateway.planner.display import format_plan
from gateway.planner.plan import KeyRenamer, RequiresField, RequiresInlineFragment, ValueSetter
from gateway.types import SubgraphName


def test_empty_plan() -> None:
    assert format_plan(QueryPlan(node=None)) == "QueryPlan {}"


def test_conditions_rewrites_and_mutations() -> None:
    entity = FetchNode(
        service_name=SubgraphName("audit"),
        operation="query($representations:[_Any!]!){_entities(representations:$representations){...on Account{x}}}",
        requires=(
            RequiresInlineFragment(
                "Person",
                (
                    RequiresField("__typename"),
                    RequiresField("p", alias="a", selections=(RequiresField("q"),)),
                ),
            ),
        ),
        input_rewrites=(
            ValueSetter(("... on Person", "__typename"), "Account"),
            KeyRenamer(("... on Person", "a"), "p"),
        ),
    )
    plan = QueryPlan(
        ConditionNode(
            "v", FetchNode(SubgraphName("a"), "mutation{m}", "mutation"), FlattenNode(("x",), entity)
        )
    )
    assert format_plan(plan) == textwrap.dedent(
        """\
        QueryPlan {
          Include(if: $v) {
            Fetch(service: "a") {
              mutation {
                m
              }
            }
          }
          Skip(if: $v) {
            Flatten(path: "x") {
              Fetch(service: "audit") {
                {
                  ... on Person {
                    __typename
                    a: p {
                      q
                    }
                  }
                } =>
                {
                  ... on Account {
                    x
                  }
                }
                inputRewrites: ... on Person.__typename = 'Account', ... on Person.a -> p
              }
            }
          }
        }"""
    )


def test_sequence_and_parallel() -> None:
    fetch = FetchNode(SubgraphName("a"), "query($x:Int){f(x:$x)}", variable_usages=("x",))
    plan = QueryPlan(SequenceNode((fetch, ParallelNode((fetch, fetch)))))
    assert format_plan(plan) == textwrap.dedent(
        """\
        QueryPlan {
          Sequence {
            Fetch(service: "a") {
              query($x: Int) {
                f(x: $x)
              }
            },
            Parallel {
              Fetch(service: "a") {
                query($x: Int) {
                  f(x: $x)
                }
              },
              Fetch(service: "a") {
                query($x: Int) {
                  f(x: $x)
                }
              }
            }
          }
        }"""
    )


def test_batch_fetch_with_rewrites() -> None:
    key = (RequiresInlineFragment("Account", (RequiresField("__typename"), RequiresField("id"))),)
    node = BatchFetchNode(
        service_name=SubgraphName("audit"),
        operation=(
            "query($representations0:[_Any!]!){_e0:_entities(representations:$representations0)"
            "{...on Account{x__alias_0:x}}}"
        ),
        calls=(
            EntityCall(
                alias="_e0",
                variable="representations0",
                paths=(("a",), ("b", "@")),
                requires=key,
                input_rewrites=(ValueSetter(("... on Person", "__typename"), "Account"),),
                output_rewrites=(KeyRenamer(("x__alias_0",), "x"),),
            ),
        ),
    )
    assert format_plan(QueryPlan(node)) == textwrap.dedent(
        """\
        QueryPlan {
          BatchFetch(service: "audit") {
            _e0 {
              paths: [
                "a"
                "b.@"
              ]
              {
                ... on Account {
                  __typename
                  id
                }
              } =>
              {
                ... on Account {
                  x__alias_0: x
                }
              }
              inputRewrites: ... on Person.__typename = 'Account'
              outputRewrites: x__alias_0 -> x
            }
          }
        }"""
    )
