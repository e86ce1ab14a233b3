"""Query plan nodes: what the planner produces and the executor interprets.

The nodes form a closed union (``PlanNode``) of frozen, slotted dataclasses. ``to_json()``
renders a plan in the shape Apollo's gateways use (``kind``, ``serviceName``,
``variableUsages``, ``requires``, ``path`` with ``@`` for list items), so plans can be cached,
logged and compared with other gateways. ``QueryPlan.from_json()`` is its exact inverse, so a
plan cached as JSON (in Redis, shared by replicas) comes back equal to the plan that was stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias, TypeVar, cast, get_args

from gateway.errors import ErrorCode, InternalError
from gateway.types import JSONObject, SubgraphName

__all__ = [
    "BatchFetchNode",
    "ConditionNode",
    "EntityCall",
    "FetchNode",
    "FetchRewrite",
    "FlattenNode",
    "InvalidPlanJSONError",
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
    "node_from_json",
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

    @classmethod
    def from_json(cls, obj: object) -> QueryPlan:
        """Rebuild a plan from ``to_json()``'s output: ``QueryPlan.from_json(p.to_json()) == p``.

        Pure and strict: anything ``to_json()`` cannot produce (an unknown ``kind`` or key, a value
        of the wrong type) is rejected, so a corrupt cache entry is never half-executed.

        Args:
            obj: A decoded JSON value (``orjson.loads`` of a cached plan).

        Returns:
            The plan.

        Raises:
            InvalidPlanJSONError: ``obj`` is not a serialized query plan; the message names where.
        """
        try:
            data = _object(obj, "plan", _PLAN_KEYS)
            if data.get("kind") != "QueryPlan":
                raise _invalid("plan", f"'kind' must be 'QueryPlan', got {data.get('kind')!r}")
            node = data.get("node")
            return cls(node=None if node is None else _node(node, "plan.node"))
        except RecursionError as exc:
            raise InvalidPlanJSONError(
                "The query-plan JSON nests nodes too deeply to be a plan; discard it and plan again."
            ) from exc


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
            if node.id is not None:
                out["id"] = node.id
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
            if node.id is not None:
                out["id"] = node.id
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


class InvalidPlanJSONError(InternalError, ValueError):
    """A serialized query plan does not have the shape ``QueryPlan.to_json()`` produces.

    A gateway fault, never the client's: it means a cached plan is corrupt or was written by an
    incompatible gateway. Callers that read plans from a cache treat it as a miss and plan again.
    It is also a ``ValueError``, for code that does not know the gateway's hierarchy.
    """

    code = ErrorCode.QUERY_PLANNING_FAILED


def node_from_json(obj: object) -> PlanNode:
    """Rebuild one node (recursively) from ``node_to_json()``'s output.

    Raises:
        InvalidPlanJSONError: ``obj`` is not a serialized plan node; the message names where.
    """
    return _node(obj, "node")


_T = TypeVar("_T")

_FETCH_COMMON = {"kind", "serviceName", "variableUsages", "operation", "operationKind", "operationName", "id"}
_FETCH_KEYS = frozenset(_FETCH_COMMON | {"requires", "inputRewrites", "outputRewrites"})
_BATCH_KEYS = frozenset(_FETCH_COMMON | {"entityBatches"})
_CALL_KEYS = frozenset({"alias", "variable", "paths", "requires", "inputRewrites", "outputRewrites"})
_PLAN_KEYS = frozenset({"kind", "node"})
_NODES_KEYS = frozenset({"kind", "nodes"})
_FLATTEN_KEYS = frozenset({"kind", "path", "node"})
_CONDITION_KEYS = frozenset({"kind", "condition", "ifClause", "elseClause"})
_FIELD_KEYS = frozenset({"kind", "name", "alias", "selections"})
_FRAGMENT_KEYS = frozenset({"kind", "typeCondition", "selections"})
_SETTER_KEYS = frozenset({"kind", "path", "setValueTo"})
_RENAMER_KEYS = frozenset({"kind", "path", "renameKeyTo"})
_NODE_KINDS = ("Fetch", "BatchFetch", "Sequence", "Parallel", "Flatten", "Condition")


def _invalid(where: str, problem: str) -> InvalidPlanJSONError:
    return InvalidPlanJSONError(f"Invalid query-plan JSON at {where}: {problem}. Discard it and plan again.")


def _object(obj: object, where: str, allowed: frozenset[str]) -> Mapping[str, Any]:
    """``obj`` as a JSON object whose keys are all in ``allowed``."""
    if not isinstance(obj, dict):
        raise _invalid(where, f"expected an object, got {type(obj).__name__}")
    unknown = obj.keys() - allowed
    if unknown:
        raise _invalid(where, f"unknown keys {sorted(map(str, unknown))}; allowed are {sorted(allowed)}")
    return cast("Mapping[str, Any]", obj)


def _str(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise _invalid(where, f"{key!r} must be a string, got {_describe(value)}")
    return value


def _optional_str(data: Mapping[str, Any], key: str, where: str) -> str | None:
    return _str(data, key, where) if key in data else None


def _optional_id(data: Mapping[str, Any], where: str) -> int | None:
    value = data.get("id")
    if value is None and "id" not in data:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise _invalid(where, f"'id' must be an integer, got {_describe(value)}")
    return value


def _list(data: Mapping[str, Any], key: str, where: str, item: Callable[[object, str], _T]) -> tuple[_T, ...]:
    value = data.get(key)
    if not isinstance(value, list):
        raise _invalid(where, f"{key!r} must be a list, got {_describe(value)}")
    return tuple(item(entry, f"{where}.{key}[{index}]") for index, entry in enumerate(value))


def _optional_list(
    data: Mapping[str, Any], key: str, where: str, item: Callable[[object, str], _T]
) -> tuple[_T, ...]:
    return _list(data, key, where, item) if key in data else ()


def _string_item(obj: object, where: str) -> str:
    if not isinstance(obj, str):
        raise _invalid(where, f"expected a string, got {_describe(obj)}")
    return obj


def _path_item(obj: object, where: str) -> tuple[str, ...]:
    if not isinstance(obj, list):
        raise _invalid(where, f"expected a list of response keys, got {_describe(obj)}")
    return tuple(_string_item(key, f"{where}[{index}]") for index, key in enumerate(obj))


def _describe(value: object) -> str:
    return "nothing" if value is None else type(value).__name__


def _node(obj: object, where: str) -> PlanNode:
    if not isinstance(obj, dict):
        raise _invalid(where, f"expected a plan node object, got {_describe(obj)}")
    kind = obj.get("kind")
    match kind:
        case "Fetch":
            return _fetch(obj, where)
        case "BatchFetch":
            return _batch_fetch(obj, where)
        case "Sequence":
            return SequenceNode(_list(_object(obj, where, _NODES_KEYS), "nodes", where, _node))
        case "Parallel":
            return ParallelNode(_list(_object(obj, where, _NODES_KEYS), "nodes", where, _node))
        case "Flatten":
            data = _object(obj, where, _FLATTEN_KEYS)
            return FlattenNode(
                _path_item(data.get("path"), f"{where}.path"), _node(data.get("node"), f"{where}.node")
            )
        case "Condition":
            data = _object(obj, where, _CONDITION_KEYS)
            if_clause, else_clause = data.get("ifClause"), data.get("elseClause")
            return ConditionNode(
                _str(data, "condition", where),
                None if if_clause is None else _node(if_clause, f"{where}.ifClause"),
                None if else_clause is None else _node(else_clause, f"{where}.elseClause"),
            )
        case _:
            raise _invalid(where, f"'kind' must be one of {list(_NODE_KINDS)}, got {kind!r}")


def _fetch(obj: object, where: str) -> FetchNode:
    data = _object(obj, where, _FETCH_KEYS)
    kind = data.get("operationKind")
    if kind not in get_args(OperationKind):
        raise _invalid(where, f"'operationKind' must be one of {list(get_args(OperationKind))}, got {kind!r}")
    return FetchNode(
        service_name=SubgraphName(_str(data, "serviceName", where)),
        operation=_str(data, "operation", where),
        operation_kind=cast("OperationKind", kind),
        operation_name=_optional_str(data, "operationName", where),
        variable_usages=_list(data, "variableUsages", where, _string_item),
        requires=_list(data, "requires", where, _selection) if "requires" in data else None,
        input_rewrites=_optional_list(data, "inputRewrites", where, _rewrite),
        output_rewrites=_optional_list(data, "outputRewrites", where, _rewrite),
        id=_optional_id(data, where),
    )


def _batch_fetch(obj: object, where: str) -> BatchFetchNode:
    data = _object(obj, where, _BATCH_KEYS)
    if data.get("operationKind") != "query":
        raise _invalid(
            where, f"'operationKind' of a BatchFetch must be 'query', got {data.get('operationKind')!r}"
        )
    return BatchFetchNode(
        service_name=SubgraphName(_str(data, "serviceName", where)),
        operation=_str(data, "operation", where),
        calls=_list(data, "entityBatches", where, _entity_call),
        operation_name=_optional_str(data, "operationName", where),
        variable_usages=_list(data, "variableUsages", where, _string_item),
        id=_optional_id(data, where),
    )


def _entity_call(obj: object, where: str) -> EntityCall:
    data = _object(obj, where, _CALL_KEYS)
    return EntityCall(
        alias=_str(data, "alias", where),
        variable=_str(data, "variable", where),
        paths=_list(data, "paths", where, _path_item),
        requires=_list(data, "requires", where, _selection),
        input_rewrites=_optional_list(data, "inputRewrites", where, _rewrite),
        output_rewrites=_optional_list(data, "outputRewrites", where, _rewrite),
    )


def _selection(obj: object, where: str) -> RequiresSelection:
    if not isinstance(obj, dict):
        raise _invalid(where, f"expected a selection object, got {_describe(obj)}")
    kind = obj.get("kind")
    if kind == "Field":
        data = _object(obj, where, _FIELD_KEYS)
        return RequiresField(
            name=_str(data, "name", where),
            selections=_optional_list(data, "selections", where, _selection),
            alias=_optional_str(data, "alias", where),
        )
    if kind == "InlineFragment":
        data = _object(obj, where, _FRAGMENT_KEYS)
        if "typeCondition" not in data:
            raise _invalid(where, "'typeCondition' is missing (null for a fragment without one)")
        condition = data["typeCondition"]
        return RequiresInlineFragment(
            type_condition=None if condition is None else _str(data, "typeCondition", where),
            selections=_list(data, "selections", where, _selection),
        )
    raise _invalid(where, f"'kind' of a selection must be 'Field' or 'InlineFragment', got {kind!r}")


def _rewrite(obj: object, where: str) -> FetchRewrite:
    if not isinstance(obj, dict):
        raise _invalid(where, f"expected a rewrite object, got {_describe(obj)}")
    kind = obj.get("kind")
    if kind == "ValueSetter":
        data = _object(obj, where, _SETTER_KEYS)
        return ValueSetter(_path_item(data.get("path"), f"{where}.path"), _str(data, "setValueTo", where))
    if kind == "KeyRenamer":
        data = _object(obj, where, _RENAMER_KEYS)
        return KeyRenamer(_path_item(data.get("path"), f"{where}.path"), _str(data, "renameKeyTo", where))
    raise _invalid(where, f"'kind' of a rewrite must be 'ValueSetter' or 'KeyRenamer', got {kind!r}")
