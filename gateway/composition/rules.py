"""Validation rules across subgraphs, run on the merged supergraph, one function per rule.

Where :mod:`~gateway.composition.rules_subgraph` checks each subgraph alone,
these rules check what only the combination reveals: a field resolved by two
subgraphs without ``@shareable``, an ``@external`` field nobody resolves, an
``@override`` chain, an object missing an interface field, a supergraph without
queries. Mismatches found while merging (kinds, types, arguments, enum values)
are reported by the merge stages themselves.

Spec: https://www.apollographql.com/docs/graphos/reference/federation/errors
"""

from __future__ import annotations

from collections.abc import Callable

from gateway.composition.context import MergeContext
from gateway.composition.model import FieldInfo, Subgraph, TypeKind

__all__ = [
    "SUPERGRAPH_RULES",
    "check_external_missing_on_base",
    "check_external_types",
    "check_field_sharing",
    "check_interface_implementations",
    "check_interface_objects",
    "check_only_inaccessible_children",
    "check_override_sources",
    "check_query_root",
]

_Instances = list[tuple[Subgraph, FieldInfo]]


def _field_instances(context: MergeContext) -> dict[tuple[str, str], _Instances]:
    found: dict[tuple[str, str], _Instances] = {}
    for subgraph in context.subgraphs:
        for info in subgraph.types.values():
            if info.kind is TypeKind.OBJECT and not info.interface_object:
                for field_info in info.fields:
                    found.setdefault((info.name, field_info.name), []).append((subgraph, field_info))
    return found


def check_field_sharing(context: MergeContext) -> None:
    """``INVALID_FIELD_SHARING``: a field resolved by several subgraphs must be shareable in each."""
    for (type_name, field_name), instances in _field_instances(context).items():
        present = {s.name for s, _ in instances}
        resolvers: list[tuple[str, bool, bool]] = []  # (subgraph, shareable, through provides)
        for subgraph, info in instances:
            # PORT_NOTE: like The Guild, a definition that takes the field over (@override from a subgraph
            # declaring it) is exempt; the overridden definitions still count, unless @external.
            if info.override is not None and info.override in present:
                continue
            provided = context.usage.is_provided(subgraph.name, (type_name, field_name))
            if info.external and not provided:
                continue
            key = context.usage.is_key(subgraph.name, (type_name, field_name))
            resolvers.append((subgraph.name, info.shareable or key or info.external, info.external))
        if len(resolvers) < 2 or all(shareable for _, shareable, _ in resolvers):
            continue
        names = " and ".join(f"{n!r}" + (" (through @provides)" if p else "") for n, _, p in resolvers)
        offenders = [n for n, shareable, _ in resolvers if not shareable]
        context.error(
            "INVALID_FIELD_SHARING",
            f"Non-shareable field '{type_name}.{field_name}' is resolved from subgraphs {names} and defined as "
            f"non-shareable in {offenders!r}. Mark it @shareable in every subgraph that resolves it, or use "
            "@override to move it.",
            *(n for n, _, _ in resolvers),
        )


def check_external_missing_on_base(context: MergeContext) -> None:
    """``EXTERNAL_MISSING_ON_BASE``: some subgraph must resolve every ``@external`` field."""
    for (type_name, field_name), instances in _field_instances(context).items():
        if all(info.external for _, info in instances):
            where = ", ".join(repr(s.name) for s, _ in instances)
            context.error(
                "EXTERNAL_MISSING_ON_BASE",
                f"Field '{type_name}.{field_name}' is @external in every subgraph that declares it ({where}). "
                "Define it without @external in the subgraph that resolves it.",
                *(s.name for s, _ in instances),
            )


def check_external_types(context: MergeContext) -> None:
    """``EXTERNAL_TYPE_MISMATCH``: an ``@external`` declaration repeats the field's supergraph type."""
    for (type_name, field_name), instances in _field_instances(context).items():
        merged_type = context.supergraph.types.get(type_name)
        merged = merged_type.field(field_name) if merged_type is not None else None
        if merged is None or any(context.usage.is_key(s.name, (type_name, field_name)) for s, _ in instances):
            continue
        for subgraph, info in instances:
            if info.external and info.type != merged.type:
                context.error(
                    "EXTERNAL_TYPE_MISMATCH",
                    f"Field '{type_name}.{field_name}' is @external in subgraph {subgraph.name!r} with type "
                    f"{info.type!r}, but its type in the supergraph is {merged.type!r}. Declare the external "
                    "field with the type of the field it refers to.",
                    subgraph.name,
                )


def check_override_sources(context: MergeContext) -> None:
    """``OVERRIDE_SOURCE_HAS_OVERRIDE`` for override cycles; hints for no-op or labelled overrides.

    PORT_NOTE: like The Guild, a chain (``b`` overrides ``c``, which overrides ``a``) is accepted and only
    a cycle is an error; Apollo also rejects chains.
    """
    names = {s.name for s in context.subgraphs}
    for (type_name, field_name), instances in _field_instances(context).items():
        coordinate = f"{type_name}.{field_name}"
        present = {s.name for s, _ in instances}
        sources = {
            s.name: f.override for s, f in instances if f.override is not None and f.override != s.name
        }
        for subgraph_name, source in sources.items():
            label = next(f.override_label for s, f in instances if s.name == subgraph_name)
            if label is not None:
                context.hint(
                    "OVERRIDE_LABEL_IGNORED",
                    f"@override on {coordinate!r} in subgraph {subgraph_name!r} has label {label!r}; "
                    f"progressive override is not supported, so the field is fully moved to {subgraph_name!r}.",
                )
            if source not in names:
                context.hint(
                    "FROM_SUBGRAPH_DOES_NOT_EXIST",
                    f"@override on {coordinate!r} in subgraph {subgraph_name!r} names subgraph {source!r}, "
                    "which is not part of the composition.",
                )
            elif source not in present:
                context.hint(
                    "OVERRIDE_DIRECTIVE_CAN_BE_REMOVED",
                    f"@override on {coordinate!r} in subgraph {subgraph_name!r} names subgraph {source!r}, "
                    "which does not declare the field; the directive can be removed.",
                )
        cycle = _override_cycle(sources)
        if cycle:
            context.error(
                "OVERRIDE_SOURCE_HAS_OVERRIDE",
                f"Field {coordinate!r} is overridden in a cycle ({' -> '.join(cycle)}): each subgraph takes the "
                "field from one that takes it back. Only one direction of @override is allowed; remove one.",
                *sorted(set(cycle)),
            )


def _override_cycle(sources: dict[str, str]) -> list[str]:
    """The first cycle in the ``overrider -> source`` graph, as a path that ends where it starts."""
    for start in sorted(sources):
        path, current = [start], sources[start]
        while current in sources and current not in path:
            path.append(current)
            current = sources[current]
        if current in path:
            return [*path[path.index(current) :], current]
    return []


def check_interface_implementations(context: MergeContext) -> None:
    """``INTERFACE_FIELD_NO_IMPLEM``: each object has every field of the interfaces it implements."""
    types = context.supergraph.types
    for merged in types.values():
        for interface_name in merged.interfaces:
            interface = types.get(interface_name)
            if interface is None:
                continue
            for field in interface.fields:
                if merged.field(field.name) is None:
                    context.error(
                        "INTERFACE_FIELD_NO_IMPLEM",
                        f"Type {merged.name!r} implements {interface_name!r} in the supergraph but no subgraph "
                        f"defines '{merged.name}.{field.name}'. Add the field to a subgraph that defines "
                        f"{merged.name!r}.",
                    )


def check_interface_objects(context: MergeContext) -> None:
    """``INTERFACE_OBJECT_USAGE_ERROR``: an ``@interfaceObject`` stands for an entity interface elsewhere."""
    for subgraph in context.subgraphs:
        for info in subgraph.types.values():
            if not info.interface_object:
                continue
            backing = [
                s.name
                for s in context.subgraphs
                if (t := s.type(info.name)) is not None and t.kind is TypeKind.INTERFACE and t.keys
            ]
            if not backing:
                context.error(
                    "INTERFACE_OBJECT_USAGE_ERROR",
                    f"Type {info.name!r} is @interfaceObject in subgraph {subgraph.name!r} but no subgraph "
                    "defines it as an interface with @key. Define the entity interface in one subgraph.",
                    subgraph.name,
                )


def check_query_root(context: MergeContext) -> None:
    """``NO_QUERIES`` and ``QUERY_ROOT_TYPE_INACCESSIBLE``."""
    query = context.supergraph.types.get("Query")
    if not any(s.types["Query"].fields for s in context.subgraphs if "Query" in s.types):
        context.error(
            "NO_QUERIES", "No subgraph defines a field of the root Query type. Add at least one query."
        )
    elif query is not None and query.inaccessible:
        context.error(
            "QUERY_ROOT_TYPE_INACCESSIBLE",
            "The root Query type is @inaccessible in some subgraph; the API would have no query root. "
            "Remove @inaccessible from Query.",
        )


def check_only_inaccessible_children(context: MergeContext) -> None:
    """``ONLY_INACCESSIBLE_CHILDREN``: an accessible type needs an accessible field or value."""
    for merged in context.supergraph.types.values():
        flags = [c.inaccessible for c in merged.fields]
        flags += [c.inaccessible for c in merged.input_fields] + [c.inaccessible for c in merged.values]
        if flags and not merged.inaccessible and all(flags):
            context.error(
                "ONLY_INACCESSIBLE_CHILDREN",
                f"Type {merged.name!r} is accessible but all its fields or values are @inaccessible. "
                "Mark the type @inaccessible too, or make one of its children accessible.",
            )


SUPERGRAPH_RULES: tuple[Callable[[MergeContext], None], ...] = (
    check_field_sharing,
    check_external_missing_on_base,
    check_external_types,
    check_override_sources,
    check_interface_implementations,
    check_interface_objects,
    check_query_root,
    check_only_inaccessible_children,
)
