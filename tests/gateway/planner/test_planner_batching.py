"""Tests for batching entity fetches to one subgraph at different paths into one request."""

from __future__ import annotations

from gateway.planner.batching import batch_entity_groups, group_depths
from gateway.planner.fetch_graph import FetchGraph, FetchGroup
from gateway.planner.operation import Condition, NField
from gateway.types import SubgraphName

A, B, C = SubgraphName("a"), SubgraphName("b"), SubgraphName("c")


def _entity(graph: FetchGraph, parent: FetchGroup, subgraph: SubgraphName, path: str) -> FetchGroup:
    group = graph.entity_group(subgraph, tuple(path.split(".")), parent)
    group.selection.fragment("Item").add_field(NField("name"), composite=False)
    group.useful = True
    return group


def test_depths_count_the_longest_dependency_chain() -> None:
    graph = FetchGraph()
    root = graph.root_group(A)
    first = _entity(graph, root, B, "x")
    second = _entity(graph, first, C, "x.y")
    second.deps.add(root.id)
    assert group_depths(graph) == {root.id: 0, first.id: 1, second.id: 2}


def test_groups_at_one_depth_share_a_request_and_their_children_follow() -> None:
    graph = FetchGraph()
    root = graph.root_group(A)
    left = _entity(graph, root, B, "left")
    right = _entity(graph, root, B, "right")
    child = _entity(graph, right, C, "right.c")
    assert batch_entity_groups(graph)
    assert set(graph.groups) == {root.id, left.id, child.id}
    assert left.batch == [right]
    assert child.deps == {left.id}
    assert not batch_entity_groups(graph)


def test_a_childless_group_waits_for_a_later_request_to_the_same_subgraph() -> None:
    graph = FetchGraph()
    root = graph.root_group(A)
    early = _entity(graph, root, B, "early")
    middle = _entity(graph, root, C, "late")
    late = _entity(graph, middle, B, "late.b")
    assert batch_entity_groups(graph)
    assert late.batch == [early]
    assert late.deps == {root.id, middle.id}
    assert group_depths(graph)[late.id] == 2


def test_a_group_with_dependants_is_not_delayed() -> None:
    graph = FetchGraph()
    root = graph.root_group(A)
    early = _entity(graph, root, B, "early")
    _entity(graph, early, C, "early.c")
    middle = _entity(graph, root, C, "late")
    _entity(graph, middle, B, "late.b")
    batch_entity_groups(graph)
    assert early.id in graph.groups
    assert early.batch == []


def test_dependent_groups_and_other_conditions_stay_apart() -> None:
    graph = FetchGraph()
    root = graph.root_group(A)
    first = _entity(graph, root, B, "x")
    middle = _entity(graph, first, C, "x.y")
    _entity(graph, middle, B, "x.y.z")
    assert not batch_entity_groups(graph)
    graph = FetchGraph()
    root = graph.root_group(A)
    plain = _entity(graph, root, B, "x")
    plain.condition_sets.append(frozenset())
    conditional = _entity(graph, root, B, "y")
    conditional.condition_sets.append(frozenset({Condition("v", include=True)}))
    assert not batch_entity_groups(graph)
