"""Merge enums, input objects, unions and scalars.

Enums merge by usage: an enum only returned by fields takes the union of the
values (a client may receive any of them); an enum only used in inputs takes the
intersection (every subgraph must accept what the client sends); an enum used
both ways must have the same values everywhere. Input objects take the
intersection of their fields, for the same reason. Unions take all members.

Spec: https://www.apollographql.com/docs/graphos/schema-design/federated-schemas/sharing-types#enums
"""

from __future__ import annotations

from gateway.composition.context import MergeContext, TypeGroup, first_description, union_ordered
from gateway.composition.merged import JoinField, MergedArgument, MergedEnumValue, MergedType
from gateway.composition.model import ArgumentInfo, Subgraph
from gateway.composition.typerefs import input_type_of, is_non_null

__all__ = ["merge_enum", "merge_input_object", "merge_scalar", "merge_union"]


def merge_enum(context: MergeContext, merged: MergedType, group: TypeGroup) -> None:
    """Merge enum values according to where the enum is used."""
    usage = context.enum_usage.get(merged.name, set())
    if not usage:
        context.hint(
            "UNUSED_ENUM_TYPE", f"Enum {merged.name!r} is not used by any field; it is merged as an output."
        )
    order = union_ordered([v.name for v in info.values] for _, info in group)
    defined_in = {
        name: [s for s, info in group if any(v.name == name for v in info.values)] for name in order
    }
    if usage == {"input", "output"}:
        partial = [name for name in order if len(defined_in[name]) < len(group)]
        if partial:
            context.error(
                "ENUM_VALUE_MISMATCH",
                f"Enum {merged.name!r} is used as both input and output, so its values must be the same in "
                f"every subgraph, but values {partial!r} are missing from some of them. Define the same values.",
                *(s.name for s, _ in group),
            )
            return
    elif usage == {"input"}:
        for name in [n for n in order if len(defined_in[n]) < len(group)]:
            context.hint(
                "INCONSISTENT_ENUM_VALUE_FOR_INPUT_ENUM",
                f"Value {name!r} of input enum {merged.name!r} is missing from some subgraphs and was dropped.",
            )
            order.remove(name)
        if not order:
            context.error(
                "EMPTY_MERGED_ENUM_TYPE",
                f"Input enum {merged.name!r} has no value defined in every subgraph. Share at least one value.",
                *(s.name for s, _ in group),
            )
            return
    for name in order:
        infos = [v for _, info in group for v in info.values if v.name == name]
        merged.values.append(
            MergedEnumValue(
                name=name,
                description=first_description(
                    context, f"{merged.name}.{name}", [v.description for v in infos]
                ),
                deprecation=next((v.deprecation for v in infos if v.deprecation is not None), None),
                inaccessible=any(v.inaccessible for v in infos),
                tags=union_ordered(v.tags for v in infos),
                graphs=[context.graph(s) for s in defined_in[name]],
            )
        )


def merge_input_object(context: MergeContext, merged: MergedType, group: TypeGroup) -> None:
    """Merge input fields: the intersection, each with the most restrictive type."""
    order = union_ordered([f.name for f in info.input_fields] for _, info in group)
    for name in order:
        found: list[tuple[Subgraph, ArgumentInfo]] = [
            (s, f) for s, info in group for f in info.input_fields if f.name == name
        ]
        where = f"{merged.name}.{name}"
        if len(found) < len(group):
            missing = [s.name for s, info in group if info.input_field(name) is None]
            if any(is_non_null(f.type) and f.default is None for _, f in found):
                context.error(
                    "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH",
                    f"Input field {where!r} is required in some subgraphs but missing from {missing!r}. "
                    "Add it to every subgraph or make it optional.",
                    *(s.name for s, _ in group),
                )
            else:
                context.hint(
                    "INCONSISTENT_INPUT_OBJECT_FIELD",
                    f"Optional input field {where!r} is missing from subgraphs {missing!r} and was dropped.",
                )
            continue
        merged_field = _merge_input_field(context, where, found)
        if merged_field is not None:
            merged.input_fields.append(merged_field)
    if not merged.input_fields and order:
        context.error(
            "EMPTY_MERGED_INPUT_TYPE",
            f"Input type {merged.name!r} has no field defined in every subgraph. Share at least one field.",
            *(s.name for s, _ in group),
        )


def _merge_input_field(
    context: MergeContext, where: str, found: list[tuple[Subgraph, ArgumentInfo]]
) -> MergedArgument | None:
    infos = [f for _, f in found]
    merged_type = input_type_of([f.type for f in infos])
    if merged_type is None:
        listing = ", ".join(f"{f.type!r} in subgraph {s.name!r}" for s, f in found)
        context.error(
            "FIELD_TYPE_MISMATCH",
            f"Input field {where!r} has incompatible types across subgraphs: {listing}. Declare the same type.",
            *(s.name for s, _ in found),
        )
        return None
    defaults = {f.default for f in infos if f.default is not None}
    if len(defaults) > 1:
        context.error(
            "INPUT_FIELD_DEFAULT_MISMATCH",
            f"Input field {where!r} has different default values across subgraphs: {sorted(defaults)!r}. "
            "Use the same default everywhere.",
            *(s.name for s, _ in found),
        )
    all_equal = len({f.type for f in infos}) == 1
    return MergedArgument(
        name=infos[0].name,
        type=merged_type,
        default=next((i.default for i in infos if i.default is not None), None),
        description=first_description(context, where, [f.description for f in infos]),
        deprecation=next((f.deprecation for f in infos if f.deprecation is not None), None),
        inaccessible=any(f.inaccessible for f in infos),
        tags=union_ordered(f.tags for f in infos),
        join_fields=[] if all_equal else [JoinField(context.graph(s), type=f.type) for s, f in found],
    )


def merge_union(context: MergeContext, merged: MergedType, group: TypeGroup) -> None:
    """Merge union members: every member of every subgraph, with one ``@join__unionMember`` each."""
    merged.members = union_ordered(info.members for _, info in group)
    merged.union_members = [(context.graph(s), member) for s, info in group for member in info.members]


def merge_scalar(context: MergeContext, merged: MergedType, group: TypeGroup) -> None:
    """Merge a custom scalar (only its ``@specifiedBy`` URL needs choosing)."""
    merged.specified_by = next((i.specified_by for _, i in group if i.specified_by), None)
