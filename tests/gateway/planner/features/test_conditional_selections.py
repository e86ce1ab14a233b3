"""Regression plans for conditional selections and abstract types (issue 9), each also executed.

Every reproduction gets a golden plan, a check that every subgraph operation of the plan is
valid against that subgraph's schema, and an execution: the media and benchmark supergraphs
run in-process and are compared with their unfederated oracle (data and error paths); the
project supergraph's reproductions run against the real ``core_app`` subgraph and backend.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLSchema, parse, validate

from bench.differential.compare import canonical
from bench.differential.executable import validation_schema
from bench.differential.local import local_gateway, oracle_answer
from bench.differential.worlds import ROOT, World, bench_world, media_world
from gateway.planner import QueryPlanner
from gateway.planner.display import format_plan
from gateway.planner.plan import BatchFetchNode, ConditionNode, FetchNode, FlattenNode, PlanNode, QueryPlan
from gateway.supergraph import load_supergraph
from tests.gateway.planner.features.execution import run_through_real_core_app

PROJECT = ROOT / "schema/supergraph.graphql"
BENCH = ROOT / "bench/gateway_subgraphs/supergraph.graphql"
MEDIA = ROOT / "bench/differential/media/supergraph.graphql"


def _fetches(node: PlanNode | None) -> list[FetchNode | BatchFetchNode]:
    match node:
        case None:
            return []
        case FetchNode() | BatchFetchNode():
            return [node]
        case FlattenNode():
            return _fetches(node.node)
        case ConditionNode():
            return _fetches(node.if_clause) + _fetches(node.else_clause)
        case _:
            return [fetch for child in node.nodes for fetch in _fetches(child)]


def _plan(supergraph: Path, query: str, subgraphs: Mapping[str, GraphQLSchema]) -> str:
    """Plan ``query``, check every subgraph operation validates there, and pretty-print the plan."""
    loaded = load_supergraph(supergraph.read_text())
    document = parse(query)
    assert not validate(loaded.api_schema, document)
    plan: QueryPlan = QueryPlanner(loaded).plan(document)
    for fetch in _fetches(plan.node):
        errors = validate(subgraphs[fetch.service_name], parse(fetch.operation))
        assert not errors, (fetch.service_name, fetch.operation, errors)
    return format_plan(plan)


def _golden(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


def _project_subgraphs() -> dict[str, GraphQLSchema]:
    folder = ROOT / "schema/subgraphs"
    return {path.stem: validation_schema(path.read_text()) for path in folder.glob("*.graphql")}


async def _assert_matches_oracle(world: World, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    async with local_gateway(world) as answer:
        ours = await answer(query, variables)
    assert canonical(ours) == canonical(oracle_answer(world, query, variables)), ours
    return ours


# -- 1. a selection emptied by a literal @skip/@include ----------------------------------------


def test_field_emptied_by_a_literal_skip_keeps_typename_for_the_subgraph() -> None:
    assert _plan(
        PROJECT, "{ products { id @skip(if: true) } insurers { id } }", _project_subgraphs()
    ) == _golden(
        """
        QueryPlan {
          Fetch(service: "core_app") {
            {
              products {
                __typename
              }
              insurers {
                __typename
                id
              }
            }
          }
        }
        """
    )


async def test_field_emptied_by_a_literal_skip_answers_empty_objects(database_factory: Any) -> None:
    reply = await run_through_real_core_app(
        database_factory, "{ products { id @skip(if: true) } insurers { id } }", {}
    )
    assert "errors" not in reply, reply
    assert reply["data"]["products"]
    assert all(p == {} for p in reply["data"]["products"])
    assert reply["data"]["insurers"]
    assert all(i["id"] for i in reply["data"]["insurers"])


SILENT = 'query ($b: Boolean!) { user(id: "2") { reviews { ... @include(if: $b) { product @include(if: false) { upc } } } } }'


def test_fragment_emptied_by_a_literal_include_keeps_the_entity_fetch() -> None:
    world = bench_world()
    assert _plan(BENCH, SILENT, world.subgraphs) == _golden(
        """
        QueryPlan {
          Sequence {
            Fetch(service: "accounts") {
              {
                user(id: "2") {
                  __typename
                  id
                }
              }
            },
            Flatten(path: "user") {
              Fetch(service: "reviews") {
                {
                  ... on User {
                    __typename
                    id
                  }
                } =>
                {
                  ... on User {
                    reviews {
                      __typename
                    }
                  }
                }
              }
            }
          }
        }
        """
    )


@pytest.mark.parametrize("b", [False, True])
async def test_fragment_emptied_by_a_literal_include_answers_empty_objects(b: bool) -> None:
    ours = await _assert_matches_oracle(bench_world(), SILENT, {"b": b})
    assert ours == {"data": {"user": {"reviews": [{}, {}, {}]}}}


# -- 2. conditions of a root fragment and of a field ------------------------------------------

NESTED_ROOT = "query ($a: Boolean!, $b: Boolean!) { ... @skip(if: $a) { insurers @skip(if: $b) { id } } }"


def test_root_fragment_and_field_conditions_print_as_nested_fragments() -> None:
    assert _plan(PROJECT, NESTED_ROOT, _project_subgraphs()) == _golden(
        """
        QueryPlan {
          Skip(if: $a) {
            Skip(if: $b) {
              Fetch(service: "core_app") {
                query($a: Boolean!, $b: Boolean!) {
                  ... @skip(if: $b) {
                    insurers @skip(if: $a) {
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
    )


@pytest.mark.parametrize(("a", "b"), [(False, False), (True, False), (False, True)])
async def test_root_fragment_and_field_conditions_execute(database_factory: Any, a: bool, b: bool) -> None:
    reply = await run_through_real_core_app(database_factory, NESTED_ROOT, {"a": a, "b": b})
    assert "errors" not in reply, reply
    if a or b:
        assert reply["data"] == {}
    else:
        assert reply["data"]["insurers"]
        assert all(i["id"] for i in reply["data"]["insurers"])


NESTED_ENTITY = (
    "query ($a: Boolean!, $b: Boolean!) { users { ... @skip(if: $a) { reviews @skip(if: $b) { body } } } }"
)


def test_conditions_compose_inside_an_entity_fetch() -> None:
    assert _plan(BENCH, NESTED_ENTITY, bench_world().subgraphs) == _golden(
        """
        QueryPlan {
          Sequence {
            Fetch(service: "accounts") {
              {
                users {
                  __typename
                  id
                }
              }
            },
            Skip(if: $a) {
              Skip(if: $b) {
                Flatten(path: "users.@") {
                  Fetch(service: "reviews") {
                    {
                      ... on User {
                        __typename
                        id
                      }
                    } =>
                    {
                      ... on User {
                        ... @skip(if: $a) {
                          reviews @skip(if: $b) {
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
        }
        """
    )


@pytest.mark.parametrize(("a", "b"), [(False, False), (True, False), (False, True)])
async def test_conditions_compose_inside_an_entity_fetch_execute(a: bool, b: bool) -> None:
    await _assert_matches_oracle(bench_world(), NESTED_ENTITY, {"a": a, "b": b})


# -- 3. @requires under a field repeated with a variable condition ----------------------------

REPEATED = (
    "query ($s: Boolean!) { topProducts { shippingEstimate } topProducts @skip(if: $s) { shippingEstimate } }"
)


def test_requires_under_a_field_repeated_with_a_condition_plans_one_entity_fetch() -> None:
    assert _plan(BENCH, REPEATED, bench_world().subgraphs) == _golden(
        """
        QueryPlan {
          Sequence {
            Fetch(service: "products") {
              query($s: Boolean!) {
                topProducts {
                  __typename
                  upc
                  price
                  weight
                }
                topProducts @skip(if: $s) {
                  __typename
                  upc
                  price
                  weight
                }
              }
            },
            Flatten(path: "topProducts.@") {
              Fetch(service: "inventory") {
                {
                  ... on Product {
                    __typename
                    upc
                    price
                    weight
                  }
                } =>
                {
                  ... on Product {
                    shippingEstimate
                    ... @skip(if: $s) {
                      shippingEstimate
                    }
                  }
                }
              }
            }
          }
        }
        """
    )


@pytest.mark.parametrize("s", [False, True])
async def test_requires_under_a_field_repeated_with_a_condition_executes(s: bool) -> None:
    ours = await _assert_matches_oracle(bench_world(), REPEATED, {"s": s})
    assert [p["shippingEstimate"] for p in ours["data"]["topProducts"]][:2] == [213, 0]
    assert [e["path"] for e in ours["errors"]] == [
        ["topProducts", 4, "shippingEstimate"]
    ]  # an injected fault


# -- 4. a conditioned fragment around a type condition on an abstract field -------------------

ABSTRACT = 'query ($b: Boolean!) { mediaById(id: "m2") { ... @include(if: $b) { ... on Movie { rating } } } }'


def test_conditioned_fragment_around_a_type_condition_jumps_under_the_condition() -> None:
    assert _plan(MEDIA, ABSTRACT, media_world().subgraphs) == _golden(
        """
        QueryPlan {
          Sequence {
            Fetch(service: "catalog") {
              {
                mediaById(id: "m2") {
                  __typename
                  id
                }
              }
            },
            Include(if: $b) {
              Flatten(path: "mediaById") {
                Fetch(service: "films") {
                  {
                    ... on Movie {
                      __typename
                      id
                    }
                  } =>
                  {
                    ... on Movie {
                      ... @include(if: $b) {
                        rating
                      }
                    }
                  }
                }
              }
            }
          }
        }
        """
    )


@pytest.mark.parametrize(("b", "expected"), [(True, {"rating": 7.8}), (False, {})])
async def test_conditioned_fragment_around_a_type_condition_executes(
    b: bool, expected: dict[str, Any]
) -> None:
    ours = await _assert_matches_oracle(media_world(), ABSTRACT, {"b": b})
    assert ours == {"data": {"mediaById": expected}}


DEEP_ABSTRACT = """
query ($b: Boolean!, $c: Boolean!) {
  trending {
    title
    ... @include(if: $b) { ... on Movie @skip(if: $c) { year reviews { stars } } ... on Series { seasons } }
  }
}
"""


@pytest.mark.parametrize(("b", "c"), [(True, False), (True, True), (False, False)])
async def test_conditions_around_type_conditions_on_a_list_of_an_interface(b: bool, c: bool) -> None:
    await _assert_matches_oracle(media_world(), DEEP_ABSTRACT, {"b": b, "c": c})


# -- conditions of an ancestor travel into entity fetches -------------------------------------

REPEATED_UNDER_CONDITION = """
query ($v: Boolean!) {
  search(term: "a") { ... on Movie { year } }
  search(term: "a") @include(if: $v) { ... on Movie { rating } }
}
"""


@pytest.mark.parametrize("v", [False, True])
async def test_subfields_of_a_conditioned_copy_are_fetched_under_its_condition(v: bool) -> None:
    # The objects exist either way (the unconditioned copy selects them), so the films fetch
    # must carry the condition: m4's rating fails (an injected fault), and that error belongs
    # in the response only when rating was asked for.
    ours = await _assert_matches_oracle(media_world(), REPEATED_UNDER_CONDITION, {"v": v})
    assert any("rating" in error["path"] for error in ours.get("errors", [])) is v


REQUIRES_IN_ONE_COPY = """
query ($s: Boolean!) {
  topProducts @skip(if: $s) { shippingEstimate price }
  topProducts { inStock }
}
"""


def test_every_copy_of_a_field_provides_the_representation_of_a_shared_entity_fetch() -> None:
    # Only the conditioned copy needs price and weight (for shippingEstimate), but both copies'
    # objects go into the one inventory fetch, so both must provide its representation.
    plan = _plan(BENCH, REQUIRES_IN_ONE_COPY, bench_world().subgraphs)
    products = plan.split('Flatten(path: "topProducts.@")')[0]
    assert products.count("weight") == 2


@pytest.mark.parametrize("s", [False, True])
async def test_a_skipped_copy_with_requires_leaves_the_other_copy_complete(s: bool) -> None:
    ours = await _assert_matches_oracle(bench_world(), REQUIRES_IN_ONE_COPY, {"s": s})
    assert [p["inStock"] for p in ours["data"]["topProducts"]][:2] == [True, True]


# -- 5. a subgraph that is down -----------------------------------------------------------------

DOWN = "{ media(first: 6) { title ... on Movie { rating } } }"


def test_a_plan_with_an_entity_fetch_to_films() -> None:
    assert _plan(MEDIA, DOWN, media_world().subgraphs) == _golden(
        """
        QueryPlan {
          Sequence {
            Fetch(service: "catalog") {
              {
                media(first: 6) {
                  __typename
                  title
                  id
                }
              }
            },
            Flatten(path: "media.@") {
              Fetch(service: "films") {
                {
                  ... on Movie {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Movie {
                    rating
                  }
                }
              }
            }
          }
        }
        """
    )


async def test_an_unavailable_subgraph_errs_at_each_object_its_entity_fetch_was_to_complete() -> None:
    async with local_gateway(media_world(), down=frozenset({"films"})) as answer:
        reply = await answer(DOWN, {})
    # Four books, then m1 and m2, whose rating the films fetch was to add.
    media = reply["data"]["media"]
    assert media[3] == {"title": "The Lathe of Heaven"}
    assert media[4:] == [
        {"title": "Citizen Kane", "rating": None},
        {"title": "Cleo from 5 to 7", "rating": None},
    ]
    assert [(e["path"], e["extensions"]) for e in reply["errors"]] == [
        (["media", 4], {"code": "SUBGRAPH_UNAVAILABLE", "serviceName": "films"}),
        (["media", 5], {"code": "SUBGRAPH_UNAVAILABLE", "serviceName": "films"}),
    ]


async def test_an_unavailable_subgraph_errs_at_each_root_field_its_fetch_was_to_fill() -> None:
    async with local_gateway(media_world(), down=frozenset({"films"})) as answer:
        reply = await answer('{ trending { title } a: searchFilms(term: "a") { __typename } }', {})
    # Both root fields are non-null: data is null, and each field's error says why.
    assert reply["data"] is None
    assert [e["path"] for e in reply["errors"]] == [["trending"], ["a"]]
    assert {e["extensions"]["code"] for e in reply["errors"]} == {"SUBGRAPH_UNAVAILABLE"}
