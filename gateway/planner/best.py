"""Choose among candidate paths: which subgraph serves a root field, which key edge to take.

The walker asks two questions: at the root, which subgraph should resolve a (possibly
``@shareable``) root field; and at an entity, which subgraph to jump to for the fields the
current subgraph cannot resolve. Root choices compare the full cost of each candidate (number
of fetches, then sequential depth, then fields fetched through ``_entities``) by planning the
field in a scratch fetch graph; key-edge choices prefer the subgraph resolving the most leaf
fields by itself, then the most top-level fields, then an existing fetch at the same path,
then a stable name order.

PORT_NOTE: Apollo enumerates complete path combinations and costs them; we cost per decision
point (greedy with look-ahead at root fields), which finds the same plans for the shapes the
federation audit exercises while staying linear in the operation size.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gateway.planner.operation import NFragment, NSelection
from gateway.planner.query_graph import EntityTarget, Provided, QueryGraph, narrow
from gateway.types import SubgraphName

__all__ = ["KeyEdge", "choose_key_edge", "choose_root_subgraph", "covers", "local_leaves"]


@dataclass(frozen=True, slots=True)
class KeyEdge:
    """The chosen jump: the target and the key whose fields the source can provide."""

    target: EntityTarget
    key: tuple[NSelection, ...]
    local: bool = True
    """``False`` when the key fields must first be fetched from other subgraphs."""


def covers(graph: QueryGraph, subgraph: SubgraphName, type_name: str, selection: NSelection) -> bool:
    """Whether ``subgraph`` resolves at least the top of ``selection`` at ``type_name``."""
    if isinstance(selection, NFragment):
        if selection.type_condition == type_name:
            return any(covers(graph, subgraph, type_name, s) for s in selection.selections)
        if not graph.is_abstract_in(subgraph, type_name):
            return False
        if selection.type_condition not in graph.runtime_types(subgraph, type_name):
            return False
        return any(covers(graph, subgraph, selection.type_condition, s) for s in selection.selections)
    if selection.name == "__typename":
        return not graph.is_interface_object(type_name, subgraph)
    if graph.is_abstract_in(subgraph, type_name):
        return graph.supergraph.field_join(type_name, selection.name, subgraph) is not None
    return graph.field_join(subgraph, type_name, selection.name) is not None


def local_leaves(
    graph: QueryGraph, subgraph: SubgraphName, type_name: str, selections: Sequence[NSelection]
) -> int:
    """How many leaf fields of ``selections`` ``subgraph`` resolves by itself (a look-ahead)."""
    count = 0
    for selection in selections:
        if isinstance(selection, NFragment):
            if covers(graph, subgraph, type_name, selection):
                target = (
                    selection.type_condition if graph.is_object_type(selection.type_condition) else type_name
                )
                count += local_leaves(graph, subgraph, target, selection.selections)
            continue
        if selection.name == "__typename" or not covers(graph, subgraph, type_name, selection):
            continue  # __typename is answered anywhere; it must not decide where fields go
        if not selection.selections:
            count += 1
            continue
        child = graph.field_type(type_name, selection.name)[0]
        count += local_leaves(graph, subgraph, child, selection.selections)
    return count


def choose_key_edge(
    graph: QueryGraph,
    source: SubgraphName,
    object_type: str,
    provided: Provided | None,
    items: Sequence[NSelection],
    excluded: frozenset[SubgraphName],
    has_group: Callable[[SubgraphName], bool],
    remote_keys: bool = False,
) -> KeyEdge | None:
    """Pick the entity jump from ``source`` for ``items`` on ``object_type``, or ``None``.

    With ``remote_keys`` a key the source cannot resolve by itself is accepted too (its fields
    are then fetched first, like ``@requires``); without it only locally resolvable keys count.
    """
    best: tuple[tuple[int, int, int, str], KeyEdge] | None = None
    local_provided = narrow(provided, object_type, graph)
    for target in graph.entity_targets(object_type):
        if target.graph in excluded or target.graph == source:
            continue
        key = next(
            (k for k in target.keys if graph.can_resolve_locally(source, object_type, k, local_provided)),
            None,
        )
        local = key is not None
        if key is None and remote_keys and target.keys:
            key = target.keys[0]
        if key is None:
            continue
        coverage = sum(1 for item in items if covers(graph, target.graph, target.type_name, item))
        if coverage == 0:
            continue
        depth = local_leaves(graph, target.graph, target.type_name, items)
        rank = (-depth, -coverage, 0 if has_group(target.graph) else 1, target.graph)
        if best is None or rank < best[0]:
            best = (rank, KeyEdge(target, key, local))
    return best[1] if best else None


def choose_root_subgraph(
    candidates: Sequence[SubgraphName],
    cost: Callable[[SubgraphName], tuple[int, int, int] | None],
    already_used: frozenset[SubgraphName],
) -> SubgraphName | None:
    """Pick the cheapest subgraph for a root field.

    ``cost`` gives ``(fetches, sequential depth, fields fetched through _entities)``; ties go
    to subgraphs already fetched from, then to the name order.
    """
    best: tuple[tuple[int, int, int, int, str], SubgraphName] | None = None
    for candidate in candidates:
        measured = cost(candidate)
        if measured is None:
            continue
        fetches, depth, entity_fields = measured
        if candidate in already_used:
            fetches -= 1  # joins an existing root fetch: no extra request
        rank = (fetches, depth, entity_fields, 0 if candidate in already_used else 1, candidate)
        if best is None or rank < best[0]:
            best = (rank, candidate)
    return best[1] if best else None
