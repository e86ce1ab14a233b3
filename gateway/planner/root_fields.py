"""Assign root fields to subgraphs and walk them into fetch graphs.

Queries and subscriptions get one fetch graph: each root field goes to the subgraph that
serves it most cheaply (``best.choose_root_subgraph``), and root fields of one subgraph share a
fetch. Mutations get one fetch graph per run of consecutive root fields served by the same
subgraph, so their side effects happen in document order.
"""

from __future__ import annotations

from dataclasses import replace

from gateway.planner.best import choose_root_subgraph, covers
from gateway.planner.conditions import conjoin
from gateway.planner.errors import NoPathFoundError, PlanningError
from gateway.planner.fetch_graph import FetchGraph
from gateway.planner.operation import NField, NFragment, NormalizedOperation, NSelection
from gateway.planner.optimize import optimize
from gateway.planner.query_graph import QueryGraph
from gateway.planner.selection import SelectionNode
from gateway.planner.walker import Walker
from gateway.types import SubgraphName

__all__ = ["build_fetch_graphs", "root_fields"]


def root_fields(operation: NormalizedOperation) -> list[NField]:
    """Top-level fields, with root-level conditional fragments folded into field conditions."""
    out: list[NField] = []
    for selection in operation.selections:
        if isinstance(selection, NField):
            if selection.name != "__typename":
                out.append(selection)
        else:
            for inner in _flatten(selection):
                out.append(inner)
    return out


def _flatten(fragment: NFragment) -> list[NField]:
    out: list[NField] = []
    for selection in fragment.selections:
        if isinstance(selection, NField) and selection.name == "__typename":
            continue
        conditions = conjoin(fragment.conditions, selection.conditions)
        if conditions is None:
            continue  # included under no values of the variables
        if isinstance(selection, NField):
            out.append(replace(selection, conditions=conditions))
        else:
            out.extend(_flatten(replace(selection, conditions=conditions)))
    return out


def _only_value_residual(original: tuple[NSelection, ...], residual: tuple[NSelection, ...]) -> bool:
    """Whether the residual only lacks whole fields, or fields of partially fetched value objects.

    A type-conditioned part left over from a field the first subgraph did resolve means that
    subgraph's object could be of a type it cannot complete; another subgraph's copy of the
    field may be a different object, so the rest must not be taken from there.
    """
    by_key = {s.response_key: s for s in original if isinstance(s, NField)}
    for selection in residual:
        if isinstance(selection, NFragment):
            return False
        source = by_key.get(selection.response_key)
        if source is None or source == selection:
            continue
        if not _only_value_residual(source.selections, selection.selections):
            return False
    return True


def _candidates(graph: QueryGraph, root_type: str, item: NField) -> list[SubgraphName]:
    return sorted(
        sub for sub in graph.supergraph.subgraphs if covers(graph, SubgraphName(sub), root_type, item)
    )


def _leaves(node: SelectionNode) -> int:
    count = sum(
        _leaves(e.sub) if e.sub is not None else int(e.name != "__typename") for e in node.fields.values()
    )
    return count + sum(_leaves(sub) for sub in node.fragments.values())


def _depth(fetch_graph: FetchGraph) -> int:
    memo: dict[int, int] = {}

    def depth(group_id: int) -> int:
        if group_id not in memo:
            deps = fetch_graph.groups[group_id].deps & fetch_graph.groups.keys()
            memo[group_id] = 1 + max((depth(d) for d in deps), default=0)
        return memo[group_id]

    return max((depth(g) for g in fetch_graph.groups), default=0)


class _RootPlanner:
    def __init__(self, graph: QueryGraph, root_type: str) -> None:
        self.graph = graph
        self.root_type = root_type
        self._costs: dict[tuple[SubgraphName, NField], tuple[int, int, int] | None] = {}

    def cost(self, subgraph: SubgraphName, item: NField) -> tuple[int, int, int] | None:
        """Fetch count, depth and entity-fetched fields of planning ``item`` from ``subgraph``."""
        key = (subgraph, item)
        if key not in self._costs:
            scratch = FetchGraph()
            try:
                rest = self.place(scratch, subgraph, item)
            except PlanningError:
                rest = (item,)
            optimize(scratch)
            entity_fields = sum(_leaves(g.selection) for g in scratch.groups.values() if g.entity)
            self._costs[key] = None if rest else (len(scratch.groups), _depth(scratch), entity_fields)
        return self._costs[key]

    def place(self, fetch_graph: FetchGraph, subgraph: SubgraphName, item: NField) -> tuple[NSelection, ...]:
        """Walk ``item`` from ``subgraph``; residual goes to other subgraphs serving the field."""
        walker = Walker(self.graph, fetch_graph)
        group = fetch_graph.root_group(subgraph)
        rest = walker.plan_items(walker.root_position(group, self.root_type), (item,))
        used = {subgraph}
        # Serving the rest from another subgraph's copy of the root field only works for one
        # value seen by several subgraphs (shared value types), never for type-conditioned
        # parts: another subgraph may resolve the field to a different object.
        while rest and _only_value_residual((item,), rest):
            others = [s for s in _candidates(self.graph, self.root_type, item) if s not in used]
            if not others:
                break
            used.add(others[0])
            group = fetch_graph.root_group(others[0])
            rest = walker.plan_items(walker.root_position(group, self.root_type), rest)
        return rest

    def choose(self, item: NField, used: frozenset[SubgraphName]) -> SubgraphName:
        candidates = _candidates(self.graph, self.root_type, item)
        if not candidates:
            raise NoPathFoundError(f"No subgraph resolves the root field '{self.root_type}.{item.name}'.")
        if len(candidates) == 1:
            return candidates[0]
        chosen = choose_root_subgraph(candidates, lambda s: self.cost(s, item), used)
        if chosen is None:
            raise NoPathFoundError(
                f"No subgraph can resolve every field selected under '{self.root_type}.{item.name}'."
            )
        return chosen


def build_fetch_graphs(graph: QueryGraph, operation: NormalizedOperation) -> list[FetchGraph]:
    """Walk the operation into fetch graphs: one for a query, one per mutation step.

    Raises:
        NoPathFoundError: some selection cannot be resolved by any subgraph path.
    """
    planner = _RootPlanner(graph, operation.root_type)
    fields = root_fields(operation)
    if operation.kind == "mutation":
        steps: list[tuple[SubgraphName, list[NField]]] = []
        for item in fields:
            subgraph = planner.choose(item, frozenset({steps[-1][0]}) if steps else frozenset())
            if steps and steps[-1][0] == subgraph:
                steps[-1][1].append(item)
            else:
                steps.append((subgraph, [item]))
        out = []
        for subgraph, items in steps:
            fetch_graph = FetchGraph("mutation")
            for item in items:
                _place_or_fail(planner, fetch_graph, subgraph, item)
            out.append(fetch_graph)
        return out
    fetch_graph = FetchGraph(operation.kind)
    single = [f for f in fields if len(_candidates(graph, operation.root_type, f)) <= 1]
    shared = [f for f in fields if f not in single]
    used: set[SubgraphName] = set()
    for item in (*single, *shared):
        subgraph = planner.choose(item, frozenset(used))
        used.add(subgraph)
        _place_or_fail(planner, fetch_graph, subgraph, item)
    return [fetch_graph]


def _place_or_fail(
    planner: _RootPlanner, fetch_graph: FetchGraph, subgraph: SubgraphName, item: NField
) -> None:
    rest = planner.place(fetch_graph, subgraph, item)
    if rest:
        raise NoPathFoundError(
            f"Cannot plan '{planner.root_type}.{item.name}': no subgraph path resolves "
            f"{_describe(rest)} (starting from subgraph '{subgraph}')."
        )


def _describe(selections: tuple[NSelection, ...]) -> str:
    parts = []
    for selection in selections:
        if isinstance(selection, NField):
            inner = f" {{ {_describe(selection.selections)} }}" if selection.selections else ""
            parts.append(selection.name + inner)
        else:
            parts.append(f"... on {selection.type_condition} {{ {_describe(selection.selections)} }}")
    return ", ".join(f"'{p}'" if " " not in p else p for p in parts)
