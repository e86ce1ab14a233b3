"""Validation rules that look at one subgraph at a time, one function per rule.

They check that the federation directives of each subgraph make sense on their
own: ``@key``/``@requires``/``@provides`` select fields that exist, required and
provided fields are ``@external``, every ``@external`` field is used, and
``@override`` does not point at its own subgraph. Each rule reports through the
:class:`~gateway.composition.context.MergeContext` with exactly one error code
(a rule about one directive may own two closely related codes).

Spec: https://www.apollographql.com/docs/graphos/reference/federation/errors
"""

from __future__ import annotations

from collections.abc import Callable

from gateway.composition.context import MergeContext
from gateway.composition.fieldsets import FieldSetResolution, resolve_field_set, top_level_fields
from gateway.composition.model import Subgraph, TypeKind
from gateway.composition.typerefs import named_type

__all__ = [
    "SUBGRAPH_RULES",
    "check_directives_on_external",
    "check_external_used",
    "check_key_fields",
    "check_override_target",
    "check_provides_fields",
    "check_requires_fields",
]


def _problems(resolution: FieldSetResolution) -> str:
    return "; ".join(resolution.problems)


def check_key_fields(context: MergeContext, subgraph: Subgraph) -> None:
    """``KEY_INVALID_FIELDS``, ``KEY_FIELDS_HAS_ARGS``, ``KEY_FIELDS_SELECT_INVALID_TYPE``."""
    for info in subgraph.types.values():
        for key in info.keys:
            where = f'@key(fields: "{key.fields}") on {info.name!r} in subgraph {subgraph.name!r}'
            resolution = resolve_field_set(subgraph, info.name, key.fields)
            if resolution.problems:
                context.error(
                    "KEY_INVALID_FIELDS",
                    f"{where} is invalid: {_problems(resolution)}. Select existing fields of the type.",
                    subgraph.name,
                )
                continue
            for selected in resolution.selected:
                coordinate = f"{selected.parent}.{selected.field.name}"
                target = subgraph.type(named_type(selected.field.type))
                if selected.field.arguments:
                    context.error(
                        "KEY_FIELDS_HAS_ARGS",
                        f"{where} selects {coordinate!r}, which takes arguments. Key fields cannot take arguments.",
                        subgraph.name,
                    )
                elif target is not None and target.kind in (TypeKind.INTERFACE, TypeKind.UNION):
                    context.error(
                        "KEY_FIELDS_SELECT_INVALID_TYPE",
                        f"{where} selects {coordinate!r} of type {selected.field.type!r}; key fields cannot be "
                        "interfaces or unions.",
                        subgraph.name,
                    )


def check_requires_fields(context: MergeContext, subgraph: Subgraph) -> None:
    """``REQUIRES_INVALID_FIELDS`` and ``REQUIRES_FIELDS_MISSING_EXTERNAL``."""
    for info in subgraph.types.values():
        for field_info in info.fields:
            if field_info.requires is None:
                continue
            where = f"@requires(fields: {field_info.requires!r}) on '{info.name}.{field_info.name}'"
            resolution = resolve_field_set(subgraph, info.name, field_info.requires)
            if resolution.problems:
                context.error(
                    "REQUIRES_INVALID_FIELDS",
                    f"{where} in subgraph {subgraph.name!r} is invalid: {_problems(resolution)}. "
                    "Declare the required fields on the type and mark them @external.",
                    subgraph.name,
                )
                continue
            for name in top_level_fields(field_info.requires):
                required = info.field(name)
                if required is not None and not required.external:
                    context.error(
                        "REQUIRES_FIELDS_MISSING_EXTERNAL",
                        f"{where} in subgraph {subgraph.name!r} selects '{info.name}.{name}', which is not "
                        "@external there. Mark it @external (another subgraph resolves it).",
                        subgraph.name,
                    )


def check_provides_fields(context: MergeContext, subgraph: Subgraph) -> None:
    """``PROVIDES_ON_NON_OBJECT_FIELD``, ``PROVIDES_INVALID_FIELDS``, ``PROVIDES_FIELDS_MISSING_EXTERNAL``."""
    for info in subgraph.types.values():
        for field_info in info.fields:
            if field_info.provides is None:
                continue
            where = f"@provides(fields: {field_info.provides!r}) on '{info.name}.{field_info.name}'"
            target = subgraph.type(named_type(field_info.type))
            if target is None or target.kind not in (TypeKind.OBJECT, TypeKind.INTERFACE):
                context.error(
                    "PROVIDES_ON_NON_OBJECT_FIELD",
                    f"{where} in subgraph {subgraph.name!r} is on a field of type {field_info.type!r}; "
                    "@provides only applies to fields returning object or interface types.",
                    subgraph.name,
                )
                continue
            resolution = resolve_field_set(subgraph, target.name, field_info.provides)
            if resolution.problems:
                context.error(
                    "PROVIDES_INVALID_FIELDS",
                    f"{where} in subgraph {subgraph.name!r} is invalid: {_problems(resolution)}. "
                    f"Select fields of {target.name!r} declared @external in the subgraph.",
                    subgraph.name,
                )
                continue
            # A provided leaf of an entity must be @external; the path to it may go through local fields,
            # and the fields of value types under an @external field are not marked themselves.
            for selected in resolution.selected:
                parent = subgraph.type(selected.parent)
                if selected.has_selection or selected.field.external or parent is None or not parent.keys:
                    continue
                context.error(
                    "PROVIDES_FIELDS_MISSING_EXTERNAL",
                    f"{where} in subgraph {subgraph.name!r} selects '{selected.parent}.{selected.field.name}', "
                    "which is not @external there. Mark it @external or remove it from @provides.",
                    subgraph.name,
                )


def check_external_used(context: MergeContext, subgraph: Subgraph) -> None:
    """``EXTERNAL_UNUSED``: an ``@external`` field must serve a key, a requires, a provides or an interface."""
    for info in subgraph.types.values():
        interface_fields = {
            f.name for name in info.interfaces if (i := subgraph.type(name)) is not None for f in i.fields
        }
        for field_info in info.fields:
            if not field_info.external or field_info.name in interface_fields:
                continue
            if context.usage.used(subgraph.name, (info.name, field_info.name)):
                continue
            context.error(
                "EXTERNAL_UNUSED",
                f"Field '{info.name}.{field_info.name}' is @external in subgraph {subgraph.name!r} but no "
                "@key, @requires or @provides uses it. Remove the field or the @external.",
                subgraph.name,
            )


def check_override_target(context: MergeContext, subgraph: Subgraph) -> None:
    """``OVERRIDE_FROM_SELF_ERROR`` and ``OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE``."""
    for info in subgraph.types.values():
        for field_info in info.fields:
            if field_info.override is None:
                continue
            where = f"'{info.name}.{field_info.name}' in subgraph {subgraph.name!r}"
            if field_info.override == subgraph.name:
                context.error(
                    "OVERRIDE_FROM_SELF_ERROR",
                    f"Field {where} uses @override(from: {subgraph.name!r}), its own subgraph. "
                    "Name the subgraph the field moves away from.",
                    subgraph.name,
                )
            elif field_info.external:
                context.error(
                    "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE",
                    f"Field {where} is both @override and @external. A field cannot take over resolution "
                    "while declaring that another subgraph resolves it; remove one of them.",
                    subgraph.name,
                )


def check_directives_on_external(context: MergeContext, subgraph: Subgraph) -> None:
    """``MERGED_DIRECTIVE_APPLICATION_ON_EXTERNAL``: ``@tag``/``@inaccessible`` belong on the resolving field."""
    for info in subgraph.types.values():
        for field_info in info.fields:
            if field_info.external and (field_info.tags or field_info.inaccessible):
                context.error(
                    "MERGED_DIRECTIVE_APPLICATION_ON_EXTERNAL",
                    f"Field '{info.name}.{field_info.name}' is @external in subgraph {subgraph.name!r} and also "
                    "carries @tag or @inaccessible, which are merged into the supergraph. Put them on the "
                    "definition in the subgraph that resolves the field.",
                    subgraph.name,
                )


SUBGRAPH_RULES: tuple[Callable[[MergeContext, Subgraph], None], ...] = (
    check_key_fields,
    check_requires_fields,
    check_provides_fields,
    check_external_used,
    check_override_target,
    check_directives_on_external,
)
