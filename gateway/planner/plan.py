"""Query plan nodes: what the planner produces and the executor interprets.

The nodes form a closed union (``PlanNode``) of frozen, slotted dataclasses. ``to_json()``
renders a plan in the shape Apollo's gateways use (``kind``, ``serviceName``,
``variableUsages``, ``requires``, ``path`` with ``@`` for list items), so plans can be cached,
logged and compared with other gateways.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from gateway.types import JSONObject, SubgraphName

__all__ = [
    "BatchFetchNode",
    "ConditionNode",
    "EntityCall",
    "FetchNode",
    "FetchRewrite",
    "FlattenNode",
    "KeyRenamer",
    "OperationKind",
    "ParallelNode",
    "PlanNode",
    "QueryPlan",
    "RequiresField",
    "RequiresInlineFragment",
    "RequiresSelection",
    "SequenceNode",
    "ValueSetter",
    "node_to_json",
]

OperationKind: TypeAlias = Literal["query", "mutation", "subscription"]


@dataclass(frozen=True, slots=True)
class RequiresField:
    """A field of an entity representation (``requires`` of an ``_entities`` fetch)."""

    name: str
    selections: tuple[RequiresSelection, ...] = ()
    alias: str | None = None


@dataclass(frozen=True, slots=True)
class RequiresInlineFragment:
    """``... on Type { ... }`` inside a ``requires`` selection."""

    type_condition: str | None
    selections: tuple[RequiresSelection, ...]


RequiresSelection: TypeAlias = RequiresField | RequiresInlineFragment


@dataclass(frozen=True, slots=True)
class ValueSetter:
    """Set the value at ``path`` (e.g. ``("... on Product", "__typename")``) to ``set_value``."""

    path: tuple[str, ...]
    set_value: str


@dataclass(frozen=True, slots=True)
class KeyRenamer:
    """Rename the response key at ``path`` to ``rename_key_to``."""

    path: tuple[str, ...]
    rename_key_to: str


FetchRewrite: TypeAlias = ValueSetter | KeyRenamer


@dataclass(frozen=True, slots=True)
class FetchNode:
    """One GraphQL request to one subgraph.

    A root fetch has ``requires is None``; an entity fetch sends the representations selected
    by ``requires`` as the ``$representations`` variable of an ``_entities`` operation.
    """

    service_name: SubgraphName
    operation: str
    """The operation document sent to the subgraph, printed."""
    operation_kind: OperationKind = "query"
    operation_name: str | None = None
    variable_usages: tuple[str, ...] = ()
    """Client variables forwarded to the subgraph (names without ``$``)."""
    requires: tuple[RequiresSelection, ...] | None = None
    input_rewrites: tuple[FetchRewrite, ...] = ()
    output_rewrites: tuple[FetchRewrite, ...] = ()
    id: int | None = None


@dataclass(frozen=True, slots=True)
class EntityCall:
    """One aliased ``_entities`` call of a ``BatchFetchNode``.

    Its representations come from the objects at every path of ``paths`` (response keys from
    the root, ``"@"`` for list items), deduplicated across paths; each result merges back into
    every object its representation came from.
    """

    alias: str
    """The response key of this ``_entities`` call in the subgraph operation (``_e0``)."""
    variable: str
    """The operation variable holding its representations (without ``$``)."""
    paths: tuple[tuple[str, ...], ...]
    requires: tuple[RequiresSelection, ...]
    input_rewrites: tuple[FetchRewrite, ...] = ()
    output_rewrites: tuple[FetchRewrite, ...] = ()


@dataclass(frozen=True, slots=True)
class BatchFetchNode:
    """One request to one subgraph resolving entities found at several response paths.

    Entity fetches to the same subgraph that would run in the same step of the plan (at
    different paths, so ``Flatten`` cannot express them as one) share a single request: one
    aliased ``_entities`` field per distinct selection. Like Hive Router's ``BatchFetch``.
    """

    service_name: SubgraphName
    operation: str
    calls: tuple[EntityCall, ...]
    operation_name: str | None = None
    variable_usages: tuple[str, ...] = ()
    """Client variables forwarded to the subgraph (names without ``$``)."""
    id: int | None = None


@dataclass(frozen=True, slots=True)
class SequenceNode:
    """Run the children one after another."""

    nodes: tuple[PlanNode, ...]


@dataclass(frozen=True, slots=True)
class ParallelNode:
    """Run the children concurrently."""

    nodes: tuple[PlanNode, ...]


@dataclass(frozen=True, slots=True)
class FlattenNode:
    """Run ``node`` against every object found at ``path`` and merge the results back there.

    ``path`` holds response keys, with ``"@"`` standing for every item of a list.
    """

    path: tuple[str, ...]
    node: PlanNode


@dataclass(frozen=True, slots=True)
class ConditionNode:
    """Branch on a boolean variable (``@skip``/``@include`` with a variable)."""

    condition: str
    """The variable's name, without ``$``."""
    if_clause: PlanNode | None
    else_clause: PlanNode | None


PlanNode: TypeAlias = FetchNode | BatchFetchNode | SequenceNode | ParallelNode | FlattenNode | ConditionNode


@dataclass(frozen=True, slots=True)
class QueryPlan:
    """The root of a plan; ``node`` is ``None`` when nothing needs fetching (e.g. only ``__typename``)."""

    node: PlanNode | None
    extra: JSONObject = field(default_factory=dict, compare=False, hash=False)

    def to_json(self) -> JSONObject:
        """Render the plan in Apollo's query-plan JSON shape."""
        out: JSONObject = {"kind": "QueryPlan"}
        if self.node is not None:
            out["node"] = node_to_json(self.node)
        return out


def _selection_to_json(selection: RequiresSelection) -> JSONObject:
    if isinstance(selection, RequiresField):
        out: JSONObject = {"kind": "Field", "name": selection.name}
        if selection.alias is not None:
            out["alias"] = selection.alias
        if selection.selections:
            out["selections"] = [_selection_to_json(s) for s in selection.selections]
        return out
    return {
        "kind": "InlineFragment",
        "typeCondition": selection.type_condition,
        "selections": [_selection_to_json(s) for s in selection.selections],
    }


def _rewrite_to_json(rewrite: FetchRewrite) -> JSONObject:
    if isinstance(rewrite, ValueSetter):
        return {"kind": "ValueSetter", "path": list(rewrite.path), "setValueTo": rewrite.set_value}
    return {"kind": "KeyRenamer", "path": list(rewrite.path), "renameKeyTo": rewrite.rename_key_to}


def _call_to_json(call: EntityCall) -> JSONObject:
    out: JSONObject = {
        "alias": call.alias,
        "variable": call.variable,
        "paths": [list(path) for path in call.paths],
        "requires": [_selection_to_json(s) for s in call.requires],
    }
    if call.input_rewrites:
        out["inputRewrites"] = [_rewrite_to_json(r) for r in call.input_rewrites]
    if call.output_rewrites:
        out["outputRewrites"] = [_rewrite_to_json(r) for r in call.output_rewrites]
    return out


def node_to_json(node: PlanNode) -> JSONObject:
    """Render one node (recursively) in Apollo's query-plan JSON shape."""
    match node:
        case FetchNode():
            out: JSONObject = {
                "kind": "Fetch",
                "serviceName": node.service_name,
                "variableUsages": list(node.variable_usages),
                "operation": node.operation,
                "operationKind": node.operation_kind,
            }
            if node.operation_name is not None:
                out["operationName"] = node.operation_name
            if node.requires is not None:
                out["requires"] = [_selection_to_json(s) for s in node.requires]
            if node.input_rewrites:
                out["inputRewrites"] = [_rewrite_to_json(r) for r in node.input_rewrites]
            if node.output_rewrites:
                out["outputRewrites"] = [_rewrite_to_json(r) for r in node.output_rewrites]
            return out
        case BatchFetchNode():
            out = {
                "kind": "BatchFetch",
                "serviceName": node.service_name,
                "variableUsages": list(node.variable_usages),
                "operation": node.operation,
                "operationKind": "query",
                "entityBatches": [_call_to_json(c) for c in node.calls],  # Hive Router's key
            }
            if node.operation_name is not None:
                out["operationName"] = node.operation_name
            return out
        case SequenceNode():
            return {"kind": "Sequence", "nodes": [node_to_json(n) for n in node.nodes]}
        case ParallelNode():
            return {"kind": "Parallel", "nodes": [node_to_json(n) for n in node.nodes]}
        case FlattenNode():
            return {"kind": "Flatten", "path": list(node.path), "node": node_to_json(node.node)}
        case ConditionNode():
            out = {"kind": "Condition", "condition": node.condition}
            if node.if_clause is not None:
                out["ifClause"] = node_to_json(node.if_clause)
            if node.else_clause is not None:
                out["elseClause"] = node_to_json(node.else_clause)
            return out
