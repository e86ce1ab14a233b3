"""Tests for ``QueryPlan.from_json``: the exact inverse of ``to_json`` (plans cached as JSON in Redis).

Round trips cover a hand-built plan with every node kind and optional field, every query of the
golden feature tests (found by reading the feature modules' string literals and planning each
one that validates against a supergraph of the same module), and the benchmark operation.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from graphql import GraphQLError, OperationDefinitionNode, parse, validate

import tests.gateway.planner.features as features_package
from bench.gateway_subgraphs.operation import OPERATION, OPERATION_NAME
from gateway.errors import InternalError
from gateway.planner import QueryPlanner
from gateway.planner.plan import (
    BatchFetchNode,
    ConditionNode,
    EntityCall,
    FetchNode,
    FlattenNode,
    InvalidPlanJSONError,
    KeyRenamer,
    ParallelNode,
    QueryPlan,
    RequiresField,
    RequiresInlineFragment,
    SequenceNode,
    ValueSetter,
    node_from_json,
    node_to_json,
)
from gateway.supergraph import load_supergraph
from gateway.types import SubgraphName
from tests.gateway.harness import assert_plan_round_trips
from tests.gateway.planner.conftest import PlanFactory

ROOT = Path(__file__).resolve().parents[3]

REQUIRES = (
    RequiresInlineFragment(
        "Product",
        (
            RequiresField("__typename"),
            RequiresField("upc"),
            RequiresField("price", alias="price__req_0"),
            RequiresField(
                "dimensions", (RequiresField("width"), RequiresInlineFragment(None, (RequiresField("x"),)))
            ),
        ),
    ),
)

EVERY_KIND = QueryPlan(
    SequenceNode(
        (
            ParallelNode(
                (
                    FetchNode(SubgraphName("products"), "{a}", id=0),
                    FetchNode(
                        SubgraphName("accounts"),
                        "mutation M__accounts__1($n:String!){rename(name:$n){id}}",
                        operation_kind="mutation",
                        operation_name="M__accounts__1",
                        variable_usages=("n",),
                        output_rewrites=(KeyRenamer(("rename", "id"), "id__alias"),),
                        id=1,
                    ),
                )
            ),
            FlattenNode(
                ("topProducts", "@"),
                FetchNode(
                    SubgraphName("inventory"),
                    "query($representations:[_Any!]!){_entities(representations:$representations){...on Product{s}}}",
                    requires=REQUIRES,
                    input_rewrites=(ValueSetter(("... on Product", "__typename"), "Item"),),
                    output_rewrites=(KeyRenamer(("... on Product", "s__alias"), "s"),),
                    id=2,
                ),
            ),
            ConditionNode(
                "withReviews",
                BatchFetchNode(
                    SubgraphName("reviews"),
                    "query Q__reviews__3($r0:[_Any!]!,$r1:[_Any!]!,$s:Boolean!)"
                    "{_e0:_entities(representations:$r0){...on User{id}} _e1:_entities(representations:$r1){...on User{id}}}",
                    calls=(
                        EntityCall("_e0", "r0", (("users", "@"), ("me",)), REQUIRES),
                        EntityCall(
                            "_e1",
                            "r1",
                            (("topProducts", "@", "owner"),),
                            (RequiresField("id"),),
                            input_rewrites=(ValueSetter(("__typename",), "User"),),
                            output_rewrites=(KeyRenamer(("x",), "y"),),
                        ),
                    ),
                    operation_name="Q__reviews__3",
                    variable_usages=("s",),
                    id=3,
                ),
                FlattenNode(
                    ("me",),
                    FetchNode(
                        SubgraphName("accounts"),
                        "query($representations:[_Any!]!){_entities(representations:$representations){...on User{b}}}",
                        requires=(),
                    ),
                ),
            ),
            ConditionNode("onlyIf", FetchNode(SubgraphName("a"), "{c}"), None),
            ConditionNode("onlyElse", None, FetchNode(SubgraphName("a"), "{d}")),
            ConditionNode("neither", None, None),
        )
    )
)


def test_every_node_kind_and_field_round_trips() -> None:
    assert_plan_round_trips(EVERY_KIND)
    rendered = EVERY_KIND.to_json()
    assert QueryPlan.from_json(rendered) == EVERY_KIND
    assert QueryPlan.from_json(rendered).to_json() == rendered
    # ids are part of the JSON (and of equality), so a decoded plan is the same plan
    assert rendered["node"]["nodes"][0]["nodes"][1]["id"] == 1


def test_empty_plan_and_single_nodes_round_trip() -> None:
    assert QueryPlan.from_json({"kind": "QueryPlan"}) == QueryPlan(None)
    for node in EVERY_KIND.node.nodes:  # type: ignore[union-attr]
        assert node_from_json(orjson.loads(orjson.dumps(node_to_json(node)))) == node


def test_shop_plans_round_trip(plan_shop: PlanFactory) -> None:
    for query in (
        "{ topProducts { shipping } }",
        "{ topProducts { name inStock shipping } }",
        "query Q($s: Boolean!) { topProducts { name inStock @skip(if: $s) } }",
        "{ __typename }",
    ):
        assert_plan_round_trips(plan_shop(query))


def test_benchmark_plan_round_trips() -> None:
    sdl = (ROOT / "bench" / "gateway_subgraphs" / "supergraph.graphql").read_text(encoding="utf-8")
    plan = QueryPlanner(load_supergraph(sdl)).plan(parse(OPERATION), OPERATION_NAME)
    assert_plan_round_trips(plan)
    assert "BatchFetch" in orjson.dumps(plan.to_json()).decode()


def _feature_cases() -> Iterator[tuple[str, str, str, str | None]]:
    """(module, supergraph SDL, query, operation name) for every query literal of the feature tests."""
    for info in pkgutil.iter_modules(features_package.__path__):
        module = importlib.import_module(f"{features_package.__name__}.{info.name}")
        sdls = [v for v in vars(module).values() if isinstance(v, str) and "@join__graph" in v]
        source = Path(str(module.__file__)).read_text(encoding="utf-8")
        literals = {
            n.value
            for n in ast.walk(ast.parse(source))
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
        }
        for text in sorted(literals):
            try:
                document = parse(text)
            except GraphQLError:
                continue
            names = [
                d.name.value if d.name else None
                for d in document.definitions
                if isinstance(d, OperationDefinitionNode)
            ]
            if not names:
                continue
            for sdl in sdls:
                if not validate(load_supergraph(sdl).api_schema, document):
                    for name in names if len(names) > 1 else [None]:
                        yield info.name, sdl, text, name


FEATURE_CASES = list(_feature_cases())


def test_feature_queries_were_found() -> None:
    modules = {case[0] for case in FEATURE_CASES}
    assert len(modules) >= 12, modules
    assert len(FEATURE_CASES) >= 60, len(FEATURE_CASES)


@pytest.mark.parametrize(
    ("sdl", "query", "operation_name"),
    [case[1:] for case in FEATURE_CASES],
    ids=[f"{case[0]}-{index}" for index, case in enumerate(FEATURE_CASES)],
)
def test_golden_feature_plans_round_trip(sdl: str, query: str, operation_name: str | None) -> None:
    supergraph = load_supergraph(sdl)
    assert_plan_round_trips(QueryPlanner(supergraph).plan(parse(query), operation_name))


FETCH: dict[str, Any] = {
    "kind": "Fetch",
    "serviceName": "a",
    "variableUsages": [],
    "operation": "{a}",
    "operationKind": "query",
}


@pytest.mark.parametrize(
    ("obj", "fragment"),
    [
        ([], "at plan: expected an object, got list"),
        ({"kind": "Plan"}, "'kind' must be 'QueryPlan', got 'Plan'"),
        ({"kind": "QueryPlan", "nodes": []}, "unknown keys ['nodes']"),
        ({"kind": "QueryPlan", "node": "Fetch"}, "at plan.node: expected a plan node object, got str"),
        ({"kind": "QueryPlan", "node": {"kind": "Deferred"}}, "'kind' must be one of ['Fetch', 'BatchFetch'"),
        (
            {"kind": "QueryPlan", "node": {**FETCH, "serviceName": 3}},
            "'serviceName' must be a string, got int",
        ),
        (
            {"kind": "QueryPlan", "node": {**FETCH, "operationKind": "upsert"}},
            "'operationKind' must be one of",
        ),
        ({"kind": "QueryPlan", "node": {**FETCH, "id": True}}, "'id' must be an integer, got bool"),
        ({"kind": "QueryPlan", "node": {**FETCH, "variableUsages": [1]}}, "plan.node.variableUsages[0]"),
        ({"kind": "QueryPlan", "node": {**FETCH, "requires": {}}}, "'requires' must be a list, got dict"),
        (
            {
                "kind": "QueryPlan",
                "node": {**FETCH, "requires": [{"kind": "InlineFragment", "selections": []}]},
            },
            "'typeCondition' is missing",
        ),
        (
            {"kind": "QueryPlan", "node": {**FETCH, "requires": [{"kind": "Fragment"}]}},
            "plan.node.requires[0]: 'kind' of a selection",
        ),
        (
            {"kind": "QueryPlan", "node": {**FETCH, "inputRewrites": [{"kind": "KeyRenamer", "path": "a"}]}},
            "plan.node.inputRewrites[0].path: expected a list of response keys, got str",
        ),
        (
            {"kind": "QueryPlan", "node": {**FETCH, "outputRewrites": [{"kind": "Drop"}]}},
            "'kind' of a rewrite must be",
        ),
        (
            {"kind": "QueryPlan", "node": {**FETCH, "kind": "BatchFetch", "operationKind": "mutation"}},
            "'operationKind' of a BatchFetch must be 'query'",
        ),
        (
            {
                "kind": "QueryPlan",
                "node": {**FETCH, "kind": "BatchFetch", "entityBatches": [{"alias": "_e0"}]},
            },
            "plan.node.entityBatches[0]: 'variable' must be a string, got nothing",
        ),
        (
            {"kind": "QueryPlan", "node": {"kind": "Sequence", "nodes": [None]}},
            "plan.node.nodes[0]: expected",
        ),
        ({"kind": "QueryPlan", "node": {"kind": "Flatten", "path": ["a"]}}, "plan.node.node: expected"),
        (
            {"kind": "QueryPlan", "node": {"kind": "Condition", "condition": 1}},
            "'condition' must be a string",
        ),
        (
            {"kind": "QueryPlan", "node": {"kind": "Condition", "condition": "c", "ifClause": []}},
            "plan.node.ifClause: expected a plan node object, got list",
        ),
    ],
)
def test_malformed_plan_json_is_rejected_with_where_and_what(obj: Any, fragment: str) -> None:
    with pytest.raises(InvalidPlanJSONError) as caught:
        QueryPlan.from_json(obj)
    assert fragment in caught.value.message
    assert caught.value.message.startswith("Invalid query-plan JSON at ")
    assert caught.value.message.endswith("Discard it and plan again.")


def test_plan_json_error_is_an_internal_gateway_error_and_a_value_error() -> None:
    with pytest.raises(ValueError, match="Invalid query-plan JSON at node") as caught:
        node_from_json({"kind": "Sequence"})
    assert isinstance(caught.value, InternalError)
    assert caught.value.code.name == "QUERY_PLANNING_FAILED"
    assert caught.value.to_json()[0]["message"] == "Internal server error."


def test_absurdly_deep_json_is_rejected_not_a_recursion_error() -> None:
    node: dict[str, Any] = FETCH
    for _ in range(5000):
        node = {"kind": "Flatten", "path": [], "node": node}
    with pytest.raises(InvalidPlanJSONError, match="nests nodes too deeply"):
        QueryPlan.from_json({"kind": "QueryPlan", "node": node})
