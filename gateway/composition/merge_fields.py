"""Merge the output fields of object and interface types, and their arguments.

A field keeps the least restrictive type of its definitions, the intersection of
their arguments, and gets one ``@join__field`` per subgraph that resolves it —
unless every subgraph with the parent type resolves it identically, in which
case the ``@join__field`` is left out (the gateway reads its absence as "every
graph of the parent type").

Spec: https://specs.apollo.dev/join/v0.3/#@join__field
"""

from __future__ import annotations

from collections.abc import Sequence

from gateway.composition.context import MergeContext, TypeGroup, first_description, union_ordered
from gateway.composition.merged import JoinField, MergedArgument, MergedField, MergedType
from gateway.composition.model import ArgumentInfo, FieldInfo, Subgraph
from gateway.composition.typerefs import input_type_of, is_non_null, output_type_of

__all__ = ["merge_arguments", "merge_output_fields"]

FieldGroup = list[tuple[Subgraph, FieldInfo]]


def merge_output_fields(context: MergeContext, merged: MergedType, group: TypeGroup) -> None:
    """Fill ``merged.fields`` from the definitions of the type in ``group``."""
    order: list[str] = []
    by_name: dict[str, FieldGroup] = {}
    for subgraph, info in group:
        for field_info in info.fields:
            if field_info.name not in by_name:
                order.append(field_info.name)
            by_name.setdefault(field_info.name, []).append((subgraph, field_info))
    for name in order:
        merged_field = _merge_field(context, merged.name, group, by_name[name])
        if merged_field is not None:
            merged.fields.append(merged_field)


def _merge_field(
    context: MergeContext, parent: str, group: TypeGroup, fields: FieldGroup
) -> MergedField | None:
    coordinate = f"{parent}.{fields[0][1].name}"
    # @external declarations do not shape the type; check_external_types compares them afterwards.
    resolving = [(s, f) for s, f in fields if not f.external] or fields
    types = [f.type for _, f in resolving]
    merged_type = output_type_of(types, context.subtypes)
    if merged_type is None:
        listing = ", ".join(
            f"{t!r} in subgraph {s.name!r}" for (s, _), t in zip(resolving, types, strict=True)
        )
        context.error(
            "FIELD_TYPE_MISMATCH",
            f"Field {coordinate!r} has incompatible types across subgraphs: {listing}. "
            "Declare the same type (nullability may differ) in every subgraph.",
            *(s.name for s, _ in resolving),
        )
        return None
    all_equal = len({f.type for _, f in fields}) == 1
    if not all_equal:
        context.hint(
            "INCONSISTENT_BUT_COMPATIBLE_FIELD_TYPE",
            f"Field {coordinate!r} has different but compatible types across subgraphs; "
            f"the supergraph uses {merged_type!r}.",
        )
    arguments = merge_arguments(context, coordinate, [(s, f.arguments) for s, f in fields])
    infos = [f for _, f in fields]
    return MergedField(
        name=infos[0].name,
        type=merged_type,
        arguments=arguments,
        description=first_description(context, coordinate, [f.description for f in infos]),
        deprecation=next((f.deprecation for f in infos if f.deprecation is not None), None),
        inaccessible=any(f.inaccessible for f in infos),
        tags=union_ordered(f.tags for f in infos),
        join_fields=_join_fields(context, parent, group, fields, all_equal),
    )


def _join_fields(
    context: MergeContext, parent: str, group: TypeGroup, fields: FieldGroup, all_equal: bool
) -> list[JoinField]:
    name = fields[0][1].name
    present = {s.name for s, _ in fields}
    overridden = {f.override for _, f in fields if f.override is not None and f.override in present}
    type_graphs = {s.name for s, _ in group}
    joins: list[JoinField] = []
    for subgraph, info in fields:
        used_overridden = False
        if (
            subgraph.name in overridden and not info.external
        ):  # an @external declaration is never "overridden"
            if not context.usage.used(subgraph.name, (parent, name)):
                continue  # an overridden definition nothing depends on is simply gone
            used_overridden = True
        joins.append(
            JoinField(
                graph=context.graph(subgraph),
                requires=info.requires,
                provides=info.provides,
                type=None if all_equal else info.type,
                external=_is_external(context, subgraph, group, parent, info),
                override=info.override,
                used_overridden=used_overridden,
            )
        )
    trivial = all(
        j.requires is None and j.provides is None and not j.external and not j.used_overridden for j in joins
    )
    if all_equal and trivial and len(type_graphs) == 1 and len(joins) == 1:
        # PORT_NOTE: a type living in one subgraph needs no @join__field, even for an @override whose
        # source does not define the type (a no-op, reported as a hint); The Guild does the same.
        return []
    if all_equal and trivial and present == type_graphs and not any(j.override for j in joins):
        return []
    return joins


def _is_external(
    context: MergeContext, subgraph: Subgraph, group: TypeGroup, parent: str, info: FieldInfo
) -> bool:
    if not info.external:
        return False
    # PORT_NOTE: a key field of an `extend type` is external only in the federation 1 sense; like Apollo,
    # it is not marked `external: true` in the supergraph.
    type_info = next(t for s, t in group if s is subgraph)
    return not (type_info.extension and context.usage.is_key(subgraph.name, (parent, info.name)))


def merge_arguments(
    context: MergeContext, coordinate: str, definitions: Sequence[tuple[Subgraph, Sequence[ArgumentInfo]]]
) -> list[MergedArgument]:
    """Merge the arguments of one field: the intersection, with the most restrictive type."""
    order: list[str] = []
    by_name: dict[str, list[tuple[Subgraph, ArgumentInfo]]] = {}
    for subgraph, arguments in definitions:
        for argument in arguments:
            if argument.name not in by_name:
                order.append(argument.name)
            by_name.setdefault(argument.name, []).append((subgraph, argument))
    merged: list[MergedArgument] = []
    for name in order:
        found = by_name[name]
        where = f"{coordinate}({name}:)"
        if len(found) < len(definitions):
            missing = [s.name for s, _ in definitions if s.name not in {x.name for x, _ in found}]
            if any(is_non_null(a.type) and a.default is None for _, a in found):
                context.error(
                    "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH",
                    f"Argument {where!r} is required in some subgraphs but missing from subgraphs {missing!r}. "
                    "Add the argument to every subgraph or make it optional.",
                    *(s.name for s, _ in definitions),
                )
            else:
                context.hint(
                    "INCONSISTENT_ARGUMENT_PRESENCE",
                    f"Optional argument {where!r} is missing from subgraphs {missing!r} and was dropped.",
                )
            continue
        merged_argument = _merge_argument(context, where, found)
        if merged_argument is not None:
            merged.append(merged_argument)
    return merged


def _merge_argument(
    context: MergeContext, where: str, found: list[tuple[Subgraph, ArgumentInfo]]
) -> MergedArgument | None:
    infos = [a for _, a in found]
    merged_type = input_type_of([a.type for a in infos])
    if merged_type is None:
        listing = ", ".join(f"{a.type!r} in subgraph {s.name!r}" for s, a in found)
        context.error(
            "FIELD_ARGUMENT_TYPE_MISMATCH",
            f"Argument {where!r} has incompatible types across subgraphs: {listing}. Declare the same type.",
            *(s.name for s, _ in found),
        )
        return None
    if len({a.type for a in infos}) > 1:
        context.hint(
            "INCONSISTENT_BUT_COMPATIBLE_ARGUMENT_TYPE",
            f"Argument {where!r} has different but compatible types; the supergraph uses {merged_type!r}.",
        )
    defaults = {a.default for a in infos if a.default is not None}
    if len(defaults) > 1:
        context.error(
            "FIELD_ARGUMENT_DEFAULT_MISMATCH",
            f"Argument {where!r} has different default values across subgraphs: {sorted(defaults)!r}. "
            "Use the same default everywhere.",
            *(s.name for s, _ in found),
        )
    return MergedArgument(
        name=infos[0].name,
        type=merged_type,
        default=next((i.default for i in infos if i.default is not None), None),
        description=first_description(context, where, [a.description for a in infos]),
        deprecation=next((a.deprecation for a in infos if a.deprecation is not None), None),
        inaccessible=any(a.inaccessible for a in infos),
        tags=union_ordered(a.tags for a in infos),
    )
