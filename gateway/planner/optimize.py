"""Optimization passes over the fetch graph, run to a fixpoint.

Each pass is a small function returning whether it changed the graph:

* ``remove_empty_groups`` drops entity fetches that ended up selecting nothing useful;
* ``merge_sibling_groups`` merges entity fetches to the same subgraph at the same path when
  neither depends on the other (and the sources of each provide what the other's ``@requires``
  fields need), so all representations of one step go in ONE request;
* ``merge_root_groups`` merges root fetches to the same subgraph (queries only).

Once they settle, ``batching.batch_entity_groups`` lets entity fetches to one subgraph at
different paths share a request.
"""

from __future__ import annotations

from collections.abc import Callable

from gateway.planner.batching import batch_entity_groups
from gateway.planner.fetch_graph import FetchGraph, FetchGroup
from gateway.planner.selection import provides, representation_conflict

__all__ = ["merge_sibling_groups", "optimize", "remove_empty_groups"]

_MAX_ROUNDS = 100


def remove_empty_groups(graph: FetchGraph) -> bool:
    """Remove childless entity groups that select no leaf anyone needs.

    They are left behind when a jump was tried for a subtree another subgraph then served.
    """
    for group in list(graph.groups.values()):
        if group.entity and not group.useful and not graph.children(group.id):
            graph.remove(group.id)
            return True
    return False


def _merge_into(graph: FetchGraph, keep: FetchGroup, gone: FetchGroup) -> None:
    keep.selection.merge(gone.selection)
    keep.requires.merge(gone.requires)
    for rewrite in gone.input_rewrites:
        if rewrite not in keep.input_rewrites:
            keep.input_rewrites.append(rewrite)
    keep.deps |= gone.deps
    keep.useful = keep.useful or gone.useful
    keep.deps.discard(keep.id)
    keep.condition_sets.extend(gone.condition_sets)
    for type_name, sources in gone.sources.items():
        keep.sources.setdefault(type_name, []).extend(sources)
    for type_name, requirements in gone.requirements.items():
        mine = keep.requirements.setdefault(type_name, [])
        mine.extend(r for r in requirements if r not in mine)
    for child in graph.children(gone.id):
        child.deps.discard(gone.id)
        if child.id != keep.id:
            child.deps.add(keep.id)
    del graph.groups[gone.id]


def _sources_provide(group: FetchGroup, other: FetchGroup) -> bool:
    """Whether ``group``'s sources provide what ``other``'s ``@requires`` fields need."""
    for type_name, requirements in other.requirements.items():
        for source in group.sources.get(type_name, ()):
            if not all(provides(source.node, requirement) for _, requirement in requirements):
                return False
    return True


def merge_sibling_groups(graph: FetchGraph) -> bool:
    """Merge two entity groups with the same subgraph and path that are independent."""
    groups = sorted(graph.groups.values(), key=lambda g: g.id)
    for i, first in enumerate(groups):
        if not first.entity:
            continue
        for second in groups[i + 1 :]:
            if not second.entity or second.subgraph != first.subgraph or second.path != first.path:
                continue
            if first.id in graph.ancestors(second.id) or second.id in graph.ancestors(first.id):
                continue
            if representation_conflict(first.requires, second.requires):
                continue
            if not (_sources_provide(first, second) and _sources_provide(second, first)):
                continue
            _merge_into(graph, first, second)
            return True
    return False


def merge_root_groups(graph: FetchGraph) -> bool:
    """Merge root groups that target the same subgraph (never for mutations: order matters)."""
    if graph.kind == "mutation":
        return False
    roots = sorted((g for g in graph.groups.values() if not g.entity), key=lambda g: g.id)
    for i, first in enumerate(roots):
        for second in roots[i + 1 :]:
            if second.subgraph == first.subgraph:
                _merge_into(graph, first, second)
                return True
    return False


PASSES: tuple[Callable[[FetchGraph], bool], ...] = (
    remove_empty_groups,
    merge_root_groups,
    merge_sibling_groups,
)


def optimize(graph: FetchGraph) -> FetchGraph:
    """Run every pass until none changes the graph, then batch entity fetches across paths."""
    for _ in range(_MAX_ROUNDS):
        if not any(run(graph) for run in PASSES):
            break
    batch_entity_groups(graph)
    return graph
