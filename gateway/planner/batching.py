"""Batch entity fetches to one subgraph at different paths into one request.

``optimize`` merges entity fetches at the *same* path; fetches to the same subgraph at
*different* paths (``users.@.reviews.@.product`` and ``topProducts.@.reviews.@.product``) stay
apart because one ``Flatten`` has one path. When they run in the same step of the plan they
can still share one request: ``batch_entity_groups`` attaches them to one group, which
``build`` turns into a ``BatchFetchNode`` (one aliased ``_entities`` per distinct selection).

Two entity groups are batched when they go to the same subgraph, neither depends on the other,
they carry the same ``@skip``/``@include`` conditions, and batching delays no other fetch:
they sit at the same depth of the dependency graph, or the shallower one has no dependants
(waiting for a later step then costs nothing, since the response waits for that step anyway).

PORT_NOTE: Hive Router batches the same way (``BatchFetch``); Apollo's planners do not.
"""

from __future__ import annotations

from gateway.planner.fetch_graph import FetchGraph, FetchGroup

__all__ = ["batch_entity_groups", "group_depths"]


def group_depths(graph: FetchGraph) -> dict[int, int]:
    """The depth of every group: 0 for groups without dependencies, else 1 + deepest dependency."""
    depth: dict[int, int] = {}

    def level(group_id: int, trail: frozenset[int]) -> int:
        if group_id not in depth:
            if group_id in trail:
                return 0  # a cycle: ``build`` reports it
            deps = graph.groups[group_id].deps & graph.groups.keys()
            depth[group_id] = 1 + max((level(d, trail | {group_id}) for d in deps), default=-1)
        return depth[group_id]

    for group_id in graph.groups:
        level(group_id, frozenset())
    return depth


def _can_batch(graph: FetchGraph, first: FetchGroup, second: FetchGroup, depth: dict[int, int]) -> bool:
    if not (first.entity and second.entity) or first.subgraph != second.subgraph:
        return False
    if first.common_conditions() != second.common_conditions():
        return False
    if depth[first.id] != depth[second.id]:
        shallow = first if depth[first.id] < depth[second.id] else second
        if graph.children(shallow.id):
            return False
    return first.id not in graph.ancestors(second.id) and second.id not in graph.ancestors(first.id)


def _attach(graph: FetchGraph, keep: FetchGroup, gone: FetchGroup) -> None:
    keep.batch.append(gone)
    keep.batch.extend(gone.batch)
    gone.batch = []
    keep.deps |= gone.deps
    keep.deps.discard(keep.id)
    keep.condition_sets.extend(gone.condition_sets)
    for child in graph.children(gone.id):
        child.deps.discard(gone.id)
        child.deps.add(keep.id)
    del graph.groups[gone.id]


def batch_entity_groups(graph: FetchGraph) -> bool:
    """Attach entity groups that can share a request to one group; return whether any did."""
    changed = False
    while True:
        depth = group_depths(graph)
        # The deepest group of a pair keeps the batch, so the batch runs at its step.
        ordered = sorted(graph.groups.values(), key=lambda g: (-depth[g.id], g.id))
        pair = next(
            (
                (keep, gone)
                for i, keep in enumerate(ordered)
                for gone in ordered[i + 1 :]
                if _can_batch(graph, keep, gone, depth)
            ),
            None,
        )
        if pair is None:
            return changed
        _attach(graph, *pair)
        changed = True
