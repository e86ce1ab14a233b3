"""A simple satisfiability check: every field is reachable wherever its type is.

A query reaches an object type ``T`` through an edge — a field ``P.f`` returning
``T`` (or an interface or union that ``T`` belongs to). The gateway may resolve
that edge in any subgraph that resolves ``P.f`` and where ``P`` itself can be
reached (from the subgraph's roots, or by entering an entity through its key).
Every field of ``T`` must then be resolvable from at least one of those
subgraphs: either directly, or by jumping through entity keys to a subgraph that
resolves it. A jump from ``X`` to ``Y`` needs a resolvable ``@key`` of ``T`` in
``Y`` whose top-level fields ``X`` resolves.

PORT_NOTE: Apollo's validation walks a full query graph (paths of any length,
@requires conditions, @provides paths, @interfaceObject). This check looks at one
edge at a time and covers object types and key jumps, which is what catches the
common mistakes (a value type with subgraph-specific fields, an entity without a
usable key). Like Apollo, only the API schema is checked (@inaccessible fields
and types are skipped); fields contributed through an @interfaceObject are not checked.

Spec: https://www.apollographql.com/docs/graphos/reference/federation/errors#satisfiability_error
"""

from __future__ import annotations

from collections import deque

from gateway.composition.context import MergeContext
from gateway.composition.fieldsets import top_level_fields
from gateway.composition.model import Subgraph, TypeInfo, TypeKind
from gateway.composition.typerefs import named_type

__all__ = ["check_satisfiability", "reachable_types"]


def reachable_types(subgraph: Subgraph) -> dict[str, str]:
    """Map each composite type reachable from the roots of ``subgraph`` to one field path that reaches it."""
    found: dict[str, str] = {}
    queue = deque((root, root) for root in subgraph.root_types.values() if subgraph.type(root) is not None)
    while queue:
        type_name, path = queue.popleft()
        if type_name in found:
            continue
        found[type_name] = path
        info = subgraph.type(type_name)
        if info is None:
            continue
        edges = [(named_type(f.type), f.name) for f in info.fields if not f.external]
        edges.extend((member, f"... on {member}") for member in info.members)
        edges.extend(
            (t.name, f"... on {t.name}") for t in subgraph.types.values() if type_name in t.interfaces
        )
        for target, step in edges:
            target_info = subgraph.type(target)
            if target_info is not None and target_info.kind in (
                TypeKind.OBJECT,
                TypeKind.INTERFACE,
                TypeKind.UNION,
            ):
                queue.append((target, f"{path}.{step}"))
    return found


def _resolves(info: TypeInfo | None, field_name: str) -> bool:
    if info is None:
        return False
    field = info.field(field_name)
    return field is not None and not field.external


def _can_jump(source: TypeInfo | None, target: TypeInfo | None) -> bool:
    if source is None or target is None:
        return False
    for key in target.keys:
        if key.resolvable and all(_resolves(source, name) for name in top_level_fields(key.fields)):
            return True
    return False


def _entered(context: MergeContext, start: Subgraph, type_name: str) -> list[Subgraph]:
    """Subgraphs the gateway can reach for ``type_name`` starting in ``start``, by key jumps."""
    seen = [start]
    queue = deque([start])
    while queue:
        current = queue.popleft()
        for other in context.subgraphs:
            if other not in seen and _can_jump(current.type(type_name), other.type(type_name)):
                seen.append(other)
                queue.append(other)
    return seen


def _resolving_subgraphs(context: MergeContext, type_name: str, field_name: str) -> set[str]:
    """Subgraphs that resolve ``type_name.field_name`` for a query: not @external, not overridden."""
    merged = context.supergraph.types.get(type_name)
    field = merged.field(field_name) if merged is not None else None
    if merged is None or field is None:
        return set()
    names = {g.enum_name: g.name for g in context.supergraph.graphs}
    if not field.join_fields:
        return {names[j.graph] for j in merged.join_types}
    return {
        names[j.graph]
        for j in field.join_fields
        if j.graph is not None and not j.external and not j.used_overridden
    }


def _entry_edges(context: MergeContext) -> dict[tuple[str, str], list[Subgraph]]:
    """Map each edge ``(parent, field)`` to the subgraphs that can resolve it."""
    edges: dict[tuple[str, str], list[Subgraph]] = {}
    for subgraph in context.subgraphs:
        reachable = reachable_types(subgraph)
        for info in subgraph.types.values():
            enterable = info.name in reachable or any(k.resolvable for k in info.keys)
            if not enterable or info.kind not in (TypeKind.OBJECT, TypeKind.INTERFACE):
                continue
            for field in info.fields:
                if subgraph.name in _resolving_subgraphs(context, info.name, field.name):
                    edges.setdefault((info.name, field.name), []).append(subgraph)
    return edges


def _possible_objects(subgraph: Subgraph, type_name: str) -> list[str]:
    info = subgraph.type(type_name)
    if info is None:
        return []
    if info.kind is TypeKind.OBJECT and not info.interface_object:
        return [type_name]
    if info.kind is TypeKind.UNION:
        return list(info.members)
    if info.kind is TypeKind.INTERFACE:
        return [
            t.name for t in subgraph.types.values() if type_name in t.interfaces and t.kind is TypeKind.OBJECT
        ]
    return []


def check_satisfiability(context: MergeContext) -> None:
    """``SATISFIABILITY_ERROR``: report fields that cannot be resolved where their type is reached."""
    reported: set[tuple[str, str]] = set()
    for (parent, edge_field), entering in _entry_edges(context).items():
        targets: dict[str, list[Subgraph]] = {}
        for subgraph in entering:
            edge = subgraph.types[parent].field(edge_field)
            assert edge is not None
            for object_name in _possible_objects(subgraph, named_type(edge.type)):
                targets.setdefault(object_name, []).append(subgraph)
        for object_name, subgraphs in targets.items():
            merged = context.supergraph.types.get(object_name)
            if merged is None or merged.kind is not TypeKind.OBJECT or merged.inaccessible:
                continue
            entered = [_entered(context, s, object_name) for s in subgraphs]
            for field in merged.fields:
                if field.inaccessible or any(j.graph is None for j in field.join_fields):
                    continue  # not in the API schema, or contributed by an @interfaceObject
                if (object_name, field.name) in reported:
                    continue
                resolving = _resolving_subgraphs(context, object_name, field.name)
                if any(s.name in resolving for group in entered for s in group):
                    continue
                reported.add((object_name, field.name))
                names = [s.name for s in subgraphs]
                context.error(
                    "SATISFIABILITY_ERROR",
                    f"Field '{object_name}.{field.name}' cannot be resolved when {object_name!r} is reached "
                    f"through '{parent}.{edge_field}' (resolved by subgraphs {names!r}): no subgraph reachable "
                    f"from there by an entity @key resolves it. Add a resolvable @key to {object_name!r} that "
                    "those subgraphs can satisfy, or define the field there.",
                    *names,
                )
