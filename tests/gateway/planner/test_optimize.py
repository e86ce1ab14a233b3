"""Tests for the fetch-graph optimization passes."""

from __future__ import annotations

from gateway.planner.fetch_graph import FetchGraph
from gateway.planner.operation import NField
from gateway.planner.optimize import merge_root_groups, merge_sibling_groups, optimize, remove_empty_groups
from gateway.types import SubgraphName

A, B = SubgraphName("a"), SubgraphName("b")


def _entity(graph: FetchGraph, parent_id: int, subgraph: SubgraphName, field: str, key: str = "") -> int:
    group = graph.entity_group(subgraph, ("items", "@"), graph.groups[parent_id], requires_key=key)
    group.selection.fragment("Item").add_field(NField(field), composite=False)
    group.useful = True
    return group.id


def test_remove_empty_groups_keeps_useful_groups_and_parents() -> None:
    graph = FetchGraph()
    root = graph.root_group(A)
    plumbing = graph.entity_group(B, ("x",), root)
    plumbing.selection.fragment("T").add_selections((NField("f", selections=(NField("__typename"),)),))
    useful = graph.entity_group(B, ("z",), root)
    useful.useful = True
    parent = graph.entity_group(B, ("w",), root)
    child = graph.entity_group(A, ("w", "v"), parent)
    child.useful = True
    assert remove_empty_groups(graph)
    assert not remove_empty_groups(graph)
    assert set(graph.groups) == {root.id, useful.id, parent.id, child.id}


def test_remove_reparents_children() -> None:
    graph = FetchGraph()
    root = graph.root_group(A)
    middle = graph.entity_group(B, ("x",), root)
    child = graph.entity_group(A, ("x", "y"), middle)
    graph.remove(middle.id)
    assert child.deps == {root.id}


def test_independent_groups_to_one_subgraph_at_one_path_merge() -> None:
    graph = FetchGraph()
    root = graph.root_group(A)
    first = _entity(graph, root.id, B, "price")
    second = _entity(graph, root.id, B, "stock", key="requires")
    assert merge_sibling_groups(graph)
    assert set(graph.groups) == {root.id, first}
    assert graph.groups[first].selection.print() == "{...on Item{price stock}}"
    assert second not in graph.groups


def test_dependent_groups_do_not_merge() -> None:
    graph = FetchGraph()
    root = graph.root_group(A)
    first = _entity(graph, root.id, B, "price")
    middle = _entity(graph, first, A, "weight")
    last = _entity(graph, middle, B, "shipping", key="requires")
    assert graph.ancestors(last) == {root.id, first, middle}
    assert not merge_sibling_groups(graph)


def test_root_groups_merge_for_queries_only() -> None:
    query = FetchGraph()
    query._new(A, (), entity=False)
    query._new(A, (), entity=False)
    assert merge_root_groups(query)
    assert len(query.groups) == 1
    mutation = FetchGraph("mutation")
    mutation._new(A, (), entity=False)
    mutation._new(A, (), entity=False)
    assert not merge_root_groups(mutation)


def test_optimize_runs_to_a_fixpoint() -> None:
    graph = FetchGraph()
    root = graph.root_group(A)
    root.selection.add_field(NField("items"), composite=True)
    _entity(graph, root.id, B, "a")
    _entity(graph, root.id, B, "b", key="requires")
    _entity(graph, root.id, B, "c", key="other")
    graph.entity_group(B, ("elsewhere",), root)
    optimize(graph)
    assert len(graph.groups) == 2
