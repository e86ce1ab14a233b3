"""Tests for the planner's public surface: exports, purity and planning errors."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from graphql import parse

import gateway.planner as planner_package
from gateway.planner import NoPathFoundError, QueryPlanner, UnsatisfiableRequiresError
from gateway.planner.errors import InvalidOperationError, PlanningError
from gateway.supergraph import Supergraph, load_supergraph
from tests.gateway.harness import supergraph_sdl
from tests.gateway.planner.conftest import PlanFactory


def test_every_module_declares_a_sorted_complete_all() -> None:
    for info in pkgutil.iter_modules(planner_package.__path__):
        module = importlib.import_module(f"gateway.planner.{info.name}")
        exported = module.__all__
        assert exported == sorted(exported), info.name
        for name in exported:
            assert hasattr(module, name), (info.name, name)


def test_planning_is_pure_and_repeatable(shop: Supergraph, plan_shop: PlanFactory) -> None:
    query = "{ topProducts { name inStock shipping } }"
    first = plan_shop(query)
    assert plan_shop(query) == first
    assert QueryPlanner(shop).plan(parse(query)) == first


def test_operation_name_is_required_with_several_operations(plan_shop: PlanFactory) -> None:
    with pytest.raises(InvalidOperationError) as caught:
        plan_shop("query A { __typename } query B { __typename }")
    assert caught.value.code.name == "OPERATION_NOT_FOUND"


def test_unreachable_field_raises_no_path_found() -> None:
    sdl = supergraph_sdl(
        """
        type Query @join__type(graph: A) @join__type(graph: B) {
          item: Item @join__field(graph: A)
        }
        type Item @join__type(graph: A) @join__type(graph: B) {
          id: ID!
          detail: String @join__field(graph: B)
        }
        """,
        "a",
        "b",
    )
    with pytest.raises(NoPathFoundError) as caught:
        QueryPlanner(load_supergraph(sdl)).plan(parse("{ item { detail } }"))
    assert caught.value.reason == "NO_PATH_FOUND"
    assert caught.value.code.name == "QUERY_PLANNING_FAILED"
    assert "'detail'" in caught.value.message


def test_requires_on_a_type_without_key_is_unsatisfiable() -> None:
    sdl = supergraph_sdl(
        """
        type Query @join__type(graph: A) @join__type(graph: B) {
          item: Item @join__field(graph: B)
        }
        type Item @join__type(graph: A) @join__type(graph: B) {
          id: ID!
          weight: Int @join__field(graph: A) @join__field(graph: B, external: true)
          cost: Int @join__field(graph: B, requires: "weight")
        }
        """,
        "a",
        "b",
    )
    with pytest.raises(UnsatisfiableRequiresError) as caught:
        QueryPlanner(load_supergraph(sdl)).plan(parse("{ item { cost } }"))
    assert isinstance(caught.value, PlanningError)
    assert "'Item.cost'" in caught.value.message


def test_shared_root_field_is_not_split_by_runtime_type() -> None:
    sdl = supergraph_sdl(
        """
        type Query @join__type(graph: A) @join__type(graph: B) {
          node(id: ID!): Node @join__field(graph: A) @join__field(graph: B)
        }
        interface Node @join__type(graph: A) @join__type(graph: B) {
          id: ID!
        }
        type Account implements Node
          @join__type(graph: A, key: "id") @join__type(graph: B, key: "id")
          @join__implements(graph: A, interface: "Node") @join__implements(graph: B, interface: "Node")
        {
          id: ID! @join__field(graph: A) @join__field(graph: B, external: true)
        }
        type Chat implements Node
          @join__type(graph: A, key: "id") @join__type(graph: B, key: "id")
          @join__implements(graph: A, interface: "Node") @join__implements(graph: B, interface: "Node")
        {
          id: ID! @join__field(graph: A, external: true) @join__field(graph: B)
        }
        """,
        "a",
        "b",
    )
    # Each subgraph resolves 'id' for one type only; taking the other type from the other
    # subgraph's 'node' could mix two different objects, so there is no valid plan.
    with pytest.raises(NoPathFoundError):
        QueryPlanner(load_supergraph(sdl)).plan(parse('{ node(id: "a1") { id } }'))
