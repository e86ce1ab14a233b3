"""Merge normalized subgraphs into the supergraph model.

The stages, top to bottom: name the graphs (``join__Graph``) → group type
definitions by name → check each group has one kind → merge the group by kind,
recording ``@join__type`` → copy fields that ``@interfaceObject`` subgraphs add
to an interface onto its implementations → record the root types.

Spec: https://www.apollographql.com/docs/graphos/schema-design/federated-schemas/composition
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from gateway.composition.context import (
    MergeContext,
    TypeGroup,
    abstract_subtypes,
    enum_usage,
    first_description,
    union_ordered,
)
from gateway.composition.merge_fields import merge_output_fields
from gateway.composition.merge_values import merge_enum, merge_input_object, merge_scalar, merge_union
from gateway.composition.merged import Graph, JoinField, JoinType, MergedType, Supergraph
from gateway.composition.model import Subgraph, TypeKind
from gateway.composition.usage import collect_usage

__all__ = ["graph_enum_names", "merge_subgraphs"]

_ROOT_ORDER = ("query", "mutation", "subscription")


def merge_subgraphs(subgraphs: Sequence[Subgraph]) -> MergeContext:
    """Merge ``subgraphs`` (already validated one by one); the context holds the result and findings."""
    names = graph_enum_names([s.name for s in subgraphs])
    supergraph = Supergraph([Graph(names[s.name], s.name, s.url) for s in subgraphs])
    context = MergeContext(
        subgraphs, supergraph, collect_usage(subgraphs), enum_usage(subgraphs), abstract_subtypes(subgraphs)
    )
    for name, group in _group_types(subgraphs).items():
        kind = _merged_kind(context, name, group)
        if kind is not None:
            supergraph.types[name] = _merge_type(context, name, kind, group)
    _add_interface_object_fields(supergraph)
    for operation in _ROOT_ORDER:
        roots = [s.root_types[operation] for s in subgraphs if operation in s.root_types]
        if roots and roots[0] in supergraph.types:
            supergraph.roots[operation] = roots[0]
    return context


def graph_enum_names(subgraph_names: Sequence[str]) -> dict[str, str]:
    """Derive ``join__Graph`` values: upper case, non-alphanumerics as ``_``, suffixes on collisions."""
    result: dict[str, str] = {}
    taken: set[str] = set()
    for name in subgraph_names:
        base = re.sub(r"[^A-Z0-9_]", "_", name.upper())
        if base[:1].isdigit():
            base = "_" + base
        candidate, counter = base, 1
        while candidate in taken:
            candidate, counter = f"{base}_{counter}", counter + 1
        taken.add(candidate)
        result[name] = candidate
    return result


def _group_types(subgraphs: Sequence[Subgraph]) -> dict[str, TypeGroup]:
    groups: dict[str, TypeGroup] = {}
    for subgraph in subgraphs:
        for info in subgraph.types.values():
            groups.setdefault(info.name, []).append((subgraph, info))
    return groups


def _merged_kind(context: MergeContext, name: str, group: TypeGroup) -> TypeKind | None:
    kinds = {TypeKind.INTERFACE if info.interface_object else info.kind for _, info in group}
    if len(kinds) == 1:
        return kinds.pop()
    listing = ", ".join(f"{info.kind.value.lower()} in subgraph {s.name!r}" for s, info in group)
    context.error(
        "TYPE_KIND_MISMATCH",
        f"Type {name!r} is defined with different kinds: {listing}. Give it one kind in every subgraph.",
        *(s.name for s, _ in group),
    )
    return None


def _merge_type(context: MergeContext, name: str, kind: TypeKind, group: TypeGroup) -> MergedType:
    infos = [info for _, info in group]
    merged = MergedType(
        name=name,
        kind=kind,
        description=first_description(context, name, [i.description for i in infos]),
        inaccessible=any(i.inaccessible for i in infos),
        tags=union_ordered(i.tags for i in infos),
    )
    for subgraph, info in group:
        graph = context.graph(subgraph)
        if not info.keys:
            merged.join_types.append(JoinType(graph, is_interface_object=info.interface_object))
        for key in info.keys:
            merged.join_types.append(
                JoinType(graph, key.fields, key.extension, key.resolvable, info.interface_object)
            )
        merged.implements.extend((graph, interface) for interface in info.interfaces)
    if kind in (TypeKind.OBJECT, TypeKind.INTERFACE):
        merged.interfaces = union_ordered(i.interfaces for i in infos)
        merge_output_fields(context, merged, group)
    elif kind is TypeKind.ENUM:
        merge_enum(context, merged, group)
    elif kind is TypeKind.INPUT_OBJECT:
        merge_input_object(context, merged, group)
    elif kind is TypeKind.UNION:
        merge_union(context, merged, group)
    else:
        merge_scalar(context, merged, group)
    return merged


def _add_interface_object_fields(supergraph: Supergraph) -> None:
    """Give every implementation the interface fields that only ``@interfaceObject`` subgraphs resolve."""
    for interface in supergraph.types.values():
        object_graphs = {j.graph for j in interface.join_types if j.is_interface_object}
        if interface.kind is not TypeKind.INTERFACE or not object_graphs:
            continue
        all_graphs = union_ordered([[j.graph for j in interface.join_types]])
        for implementation in supergraph.types.values():
            if interface.name not in implementation.interfaces or implementation.kind is not TypeKind.OBJECT:
                continue
            for field in interface.fields:
                graphs = [j.graph for j in field.join_fields] or all_graphs
                contributed = [g for g in graphs if g in object_graphs]
                if contributed and implementation.field(field.name) is None:
                    # Like Apollo, a bare @join__field: no subgraph resolves it on the object type itself;
                    # the gateway goes through the interface object.
                    implementation.fields.append(replace(field, join_fields=[JoinField(None)]))
