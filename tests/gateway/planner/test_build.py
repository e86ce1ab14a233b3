"""Tests for building plan nodes: printed subgraph operations and Apollo-shaped JSON."""

from __future__ import annotations

from gateway.planner import ConditionNode, FetchNode, FlattenNode, QueryPlan, SequenceNode
from gateway.planner.plan import RequiresField, RequiresInlineFragment
from gateway.types import SubgraphName
from tests.gateway.planner.conftest import PlanFactory


def test_root_and_entity_fetch_operations(plan_shop: PlanFactory) -> None:
    plan = plan_shop(
        "query Top($n: Int, $s: Boolean!) { topProducts(first: $n) { name inStock @skip(if: $s) } }", "Top"
    )
    assert isinstance(plan.node, SequenceNode)
    root, flatten = plan.node.nodes
    assert root == FetchNode(
        service_name=SubgraphName("products"),
        operation="query Top__products__0($n:Int){topProducts(first:$n){__typename name upc}}",
        operation_name="Top__products__0",
        variable_usages=("n",),
        id=0,
    )
    assert isinstance(flatten, ConditionNode)
    assert flatten.condition == "s"
    assert flatten.if_clause is None
    assert isinstance(flatten.else_clause, FlattenNode)
    assert flatten.else_clause.path == ("topProducts", "@")
    entity = flatten.else_clause.node
    assert isinstance(entity, FetchNode)
    assert entity.operation == (
        "query Top__inventory__1($representations:[_Any!]!,$s:Boolean!)"
        "{_entities(representations:$representations){...on Product{inStock@skip(if:$s)}}}"
    )
    assert entity.variable_usages == ("s",)
    assert entity.requires == (
        RequiresInlineFragment("Product", (RequiresField("__typename"), RequiresField("upc"))),
    )


def test_plan_json_has_apollo_shape(plan_shop: PlanFactory) -> None:
    assert plan_shop("{ topProducts { shipping } }").to_json() == {
        "kind": "QueryPlan",
        "node": {
            "kind": "Sequence",
            "nodes": [
                {
                    "kind": "Fetch",
                    "serviceName": "products",
                    "variableUsages": [],
                    "operation": "{topProducts{__typename upc weight}}",
                    "operationKind": "query",
                    "id": 0,
                },
                {
                    "kind": "Flatten",
                    "path": ["topProducts", "@"],
                    "node": {
                        "kind": "Fetch",
                        "serviceName": "inventory",
                        "variableUsages": [],
                        "operation": "query($representations:[_Any!]!){_entities(representations:$representations)"
                        "{...on Product{shipping}}}",
                        "operationKind": "query",
                        "id": 1,
                        "requires": [
                            {
                                "kind": "InlineFragment",
                                "typeCondition": "Product",
                                "selections": [
                                    {"kind": "Field", "name": "__typename"},
                                    {"kind": "Field", "name": "upc"},
                                    {"kind": "Field", "name": "weight"},
                                ],
                            }
                        ],
                    },
                },
            ],
        },
    }


def test_only_typename_needs_no_fetch(plan_shop: PlanFactory) -> None:
    assert plan_shop("{ __typename }") == QueryPlan(node=None)
    assert plan_shop("{ __typename }").to_json() == {"kind": "QueryPlan"}
