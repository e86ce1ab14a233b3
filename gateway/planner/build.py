"""Turn fetch graphs into plan nodes (Sequence / Parallel / Flatten / Fetch / Condition).

Each group becomes a ``FetchNode`` with its printed subgraph operation; entity groups are
wrapped in ``FlattenNode(path)``; a group whose client fields all sit under the same
variable-driven ``@skip``/``@include`` is wrapped in ``ConditionNode``s. When every group has at
most one parent the plan mirrors the tree (``Sequence[fetch, Parallel[children]]``); otherwise
groups run in waves by dependency depth. Mutation steps are sequenced.
"""

from __future__ import annotations

from gateway.planner.conditions import Condition
from gateway.planner.errors import PlanningError
from gateway.planner.fetch_graph import FetchGraph, FetchGroup
from gateway.planner.operation import NormalizedOperation
from gateway.planner.plan import (
    BatchFetchNode,
    ConditionNode,
    EntityCall,
    FetchNode,
    FetchRewrite,
    FlattenNode,
    OperationKind,
    ParallelNode,
    PlanNode,
    QueryPlan,
    SequenceNode,
)
from gateway.planner.query_graph import QueryGraph
from gateway.planner.rewrites import alias_type_conflicts
from gateway.planner.selection import requires_from_node

__all__ = ["build_plan", "print_operation"]


def _sequence(nodes: list[PlanNode]) -> PlanNode | None:
    flat: list[PlanNode] = []
    for node in nodes:
        flat.extend(node.nodes if isinstance(node, SequenceNode) else (node,))
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else SequenceNode(tuple(flat))


def _parallel(nodes: list[PlanNode]) -> PlanNode | None:
    flat: list[PlanNode] = []
    for node in nodes:
        flat.extend(node.nodes if isinstance(node, ParallelNode) else (node,))
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else ParallelNode(tuple(flat))


def print_operation(
    group: FetchGroup, operation: NormalizedOperation, index: int
) -> tuple[str, tuple[str, ...]]:
    """Print the subgraph operation of a group; return it with the client variables it uses."""
    body = group.selection.print()
    variables = _ordered(group.selection.variables(), operation)
    definitions = [f"${v}:{operation.variable_definitions.get(v, 'Boolean')}" for v in variables]
    name = f" {operation.name}__{group.subgraph}__{index}" if operation.name else ""
    if group.entity:
        header = ",".join(["$representations:[_Any!]!", *definitions])
        return f"query{name}({header}){{_entities(representations:$representations){body}}}", variables
    kind = group.kind
    if definitions:
        return f"{kind}{name}({','.join(definitions)}){body}", variables
    if name or kind != "query":
        return f"{kind}{name}{body}", variables
    return body, variables


def _batch_fetch_node(
    group: FetchGroup, operation: NormalizedOperation, index: int, graph: QueryGraph
) -> BatchFetchNode:
    """One request for ``group`` and the groups batched with it; equal selections share a call."""
    calls: dict[tuple[object, ...], tuple[list[tuple[str, ...]], FetchGroup, tuple[FetchRewrite, ...]]] = {}
    for member in (group, *group.batch):
        output_rewrites = alias_type_conflicts(graph, member)
        requires = requires_from_node(member.requires)
        signature = (member.selection.print(), requires, tuple(member.input_rewrites), output_rewrites)
        existing = calls.get(signature)
        if existing is None:
            calls[signature] = ([member.path], member, output_rewrites)
        elif member.path not in existing[0]:
            existing[0].append(member.path)
    used: set[str] = set()
    entity_calls: list[EntityCall] = []
    fields: list[str] = []
    for number, (paths, member, renames) in enumerate(calls.values()):
        alias, variable = f"_e{number}", f"representations{number}"
        used |= member.selection.variables()
        fields.append(f"{alias}:_entities(representations:${variable}){member.selection.print()}")
        entity_calls.append(
            EntityCall(
                alias=alias,
                variable=variable,
                paths=tuple(paths),
                requires=requires_from_node(member.requires),
                input_rewrites=tuple(member.input_rewrites),
                output_rewrites=renames,
            )
        )
    variables = _ordered(used, operation)
    definitions = [f"${c.variable}:[_Any!]!" for c in entity_calls]
    definitions += [f"${v}:{operation.variable_definitions.get(v, 'Boolean')}" for v in variables]
    operation_name = f"{operation.name}__{group.subgraph}__{index}" if operation.name else None
    name = f" {operation_name}" if operation_name else ""
    return BatchFetchNode(
        service_name=group.subgraph,
        operation=f"query{name}({','.join(definitions)}){{{' '.join(fields)}}}",
        calls=tuple(entity_calls),
        operation_name=operation_name,
        variable_usages=variables,
        id=index,
    )


def _ordered(used: set[str], operation: NormalizedOperation) -> tuple[str, ...]:
    order = list(operation.variable_definitions)
    return tuple(sorted(used, key=lambda v: order.index(v) if v in order else len(order)))


def _fetch_node(group: FetchGroup, operation: NormalizedOperation, index: int, graph: QueryGraph) -> PlanNode:
    if group.batch:
        return _batch_fetch_node(group, operation, index, graph)
    output_rewrites = alias_type_conflicts(graph, group)
    text, variables = print_operation(group, operation, index)
    kind: OperationKind = "query" if group.entity else _kind(group.kind)
    node: PlanNode
    if group.entity:
        # Aliased required fields (``price__req_…: price(currency: "USD")``) are read by alias and
        # written under their name by the executor (``RequiresField.alias``): no rewrite needed.
        rewrites: list[FetchRewrite] = list(group.input_rewrites)
        fetch = FetchNode(
            service_name=group.subgraph,
            operation=text,
            operation_kind=kind,
            operation_name=f"{operation.name}__{group.subgraph}__{index}" if operation.name else None,
            variable_usages=variables,
            requires=requires_from_node(group.requires),
            input_rewrites=tuple(rewrites),
            output_rewrites=output_rewrites,
            id=index,
        )
        node = FlattenNode(path=group.path, node=fetch)
    else:
        node = FetchNode(
            service_name=group.subgraph,
            operation=text,
            operation_kind=kind,
            operation_name=f"{operation.name}__{group.subgraph}__{index}" if operation.name else None,
            variable_usages=variables,
            output_rewrites=output_rewrites,
            id=index,
        )
    return node


def _wrap(node: PlanNode, conditions: frozenset[Condition]) -> PlanNode:
    """Wrap ``node`` in one ``ConditionNode`` per condition (stable order)."""
    for condition in sorted(conditions, key=lambda c: (c.variable, c.include), reverse=True):
        node = (
            ConditionNode(condition.variable, node, None)
            if condition.include
            else ConditionNode(condition.variable, None, node)
        )
    return node


def _kind(kind: str) -> OperationKind:
    if kind == "mutation":
        return "mutation"
    if kind == "subscription":
        return "subscription"
    return "query"


def _attachment(graph: FetchGraph, depth: dict[int, int]) -> dict[int, list[int]] | None:
    """Parent → children for a tree-shaped plan, or ``None`` when the DAG is not tree-like.

    A group with several parents hangs under its deepest parent when every other parent is an
    ancestor of that one (so all have finished when it runs); otherwise the plan falls back to
    waves by depth.
    """
    children: dict[int, list[int]] = {}
    for group in graph.groups.values():
        deps = group.deps & graph.groups.keys()
        if not deps:
            continue
        deepest = max(deps, key=lambda d: (depth[d], d))
        if not deps - {deepest} <= graph.ancestors(deepest):
            return None
        children.setdefault(deepest, []).append(group.id)
    return children


def _build_graph(
    graph: FetchGraph, operation: NormalizedOperation, counter: list[int], query_graph: QueryGraph
) -> PlanNode | None:
    groups = sorted(graph.groups.values(), key=lambda g: g.id)
    if not groups:
        return None
    depth: dict[int, int] = {}

    def level(group_id: int, trail: frozenset[int]) -> int:
        if group_id in trail:
            raise PlanningError("The fetch graph has a dependency cycle; the operation cannot be planned.")
        if group_id not in depth:
            deps = graph.groups[group_id].deps & graph.groups.keys()
            depth[group_id] = 1 + max((level(d, trail | {group_id}) for d in deps), default=-1)
        return depth[group_id]

    for group in groups:
        level(group.id, frozenset())
    nodes: dict[int, PlanNode] = {}
    for group in sorted(groups, key=lambda g: (depth[g.id], g.id)):
        nodes[group.id] = _fetch_node(group, operation, counter[0], query_graph)
        counter[0] += 1
    attach = _attachment(graph, depth)
    if attach is not None:

        def subtree(group: FetchGroup, inherited: frozenset[Condition]) -> PlanNode:
            own = group.common_conditions()
            children = [subtree(graph.groups[c], inherited | own) for c in sorted(attach.get(group.id, ()))]
            inner = _parallel(children)
            node = _sequence([nodes[group.id], inner]) if inner else None
            return _wrap(node or nodes[group.id], own - inherited)

        roots = [g for g in groups if not (g.deps & graph.groups.keys())]
        return _parallel([subtree(r, frozenset()) for r in roots])
    waves: list[PlanNode] = []
    for wave in range(max(depth.values()) + 1):
        members = [_wrap(nodes[g.id], g.common_conditions()) for g in groups if depth[g.id] == wave]
        node = _parallel(members)
        if node is not None:
            waves.append(node)
    return _sequence(waves)


def build_plan(
    graphs: list[FetchGraph], operation: NormalizedOperation, query_graph: QueryGraph
) -> QueryPlan:
    """Build the ``QueryPlan`` for the fetch graphs (sequenced when there are several)."""
    counter = [0]
    parts = [
        node for graph in graphs if (node := _build_graph(graph, operation, counter, query_graph)) is not None
    ]
    return QueryPlan(node=_sequence(parts))
