"""Alias fields whose types clash inside one subgraph operation, and rename them back.

GraphQL forbids one response key with two different types among the fragments of a selection
set (``... on User { id }`` with ``ID!`` next to ``... on Admin { id }`` with ``ID`` in the same
subgraph). Such fields are aliased in the subgraph operation (``id__alias_0: id``) and a
``KeyRenamer`` output rewrite restores the client's response key before the result merges.
Alias keys are unique, so the rewrite paths list response keys only.

Spec: https://spec.graphql.org/October2021/#sec-Field-Selection-Merging
"""

from __future__ import annotations

from graphql import is_leaf_type

from gateway.planner.fetch_graph import FetchGroup
from gateway.planner.plan import KeyRenamer
from gateway.planner.query_graph import QueryGraph
from gateway.planner.selection import FieldEntry, SelectionNode

__all__ = ["alias_type_conflicts"]


def _level(node: SelectionNode, type_name: str) -> list[tuple[FieldEntry, str]]:
    """Fields selected at this level, with their parent types (fragments flattened)."""
    out = [(entry, type_name) for entry in node.fields.values()]
    for (type_condition, _), sub in node.fragments.items():
        out.extend(_level(sub, type_condition or type_name))
    return out


def _response_shape(graph: QueryGraph, group: FetchGroup, parent: str, field_name: str) -> str:
    """The field's type in the subgraph, with composite named types collapsed.

    Two fields can share a response key when their shapes agree: same list/non-null
    wrapping, and the same leaf type (composite types are compared by their sub-selections).
    """
    join = graph.supergraph.field_join(parent, field_name, group.subgraph)
    if join is not None and join.type:
        printed = join.type
    else:
        gql_type = graph.schema.get_type(parent)
        fields = getattr(gql_type, "fields", {})
        printed = str(fields[field_name].type) if field_name in fields else ""
    named = printed.replace("[", "").replace("]", "").replace("!", "").strip()
    if named and not is_leaf_type(graph.schema.get_type(named)):
        return printed.replace(named, "{}")
    return printed


def _walk(
    graph: QueryGraph, group: FetchGroup, node: SelectionNode, type_name: str, path: tuple[str, ...]
) -> list[KeyRenamer]:
    rewrites: list[KeyRenamer] = []
    seen: dict[str, str] = {}
    used = {entry.response_key for entry, _ in _level(node, type_name)}
    for entry, parent in _level(node, type_name):
        if entry.name == "__typename":
            continue
        key = entry.response_key
        field_type = _response_shape(graph, group, parent, entry.name)
        if key in seen and seen[key] != field_type:
            index = 0
            while f"{key}__alias_{index}" in used:
                index += 1
            entry.alias = f"{key}__alias_{index}"
            used.add(entry.alias)
            rewrites.append(KeyRenamer((*path, entry.alias), key))
        seen.setdefault(key, field_type)
        if entry.sub is not None:
            child = graph.field_type(parent, entry.name)[0]
            rewrites.extend(_walk(graph, group, entry.sub, child, (*path, entry.response_key)))
    return rewrites


def alias_type_conflicts(graph: QueryGraph, group: FetchGroup) -> tuple[KeyRenamer, ...]:
    """Alias clashing fields of ``group`` in place; return the output rewrites undoing it."""
    if group.entity:
        rewrites: list[KeyRenamer] = []
        for (type_condition, _), node in group.selection.fragments.items():
            rewrites.extend(_walk(graph, group, node, type_condition or "", ()))
        return tuple(rewrites)
    root = graph.supergraph.root_types.get(group.kind, "Query")
    return tuple(_walk(graph, group, group.selection, root, ()))
