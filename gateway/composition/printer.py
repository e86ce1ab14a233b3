"""Print the merged supergraph as SDL, deterministically.

The layout follows the standard supergraph form: the ``schema`` block with its
``@link`` applications, the ``join__``/``link__`` definitions, the ``join__Graph``
enum, then the root types and every other type in name order. Within an
element, directives come as ``@join__*`` first, then ``@deprecated``, ``@tag``,
``@inaccessible``. The same input always prints the same bytes, so a committed
``schema/supergraph.graphql`` only changes when the subgraphs do.

Spec: https://specs.apollo.dev/join/v0.3/ and https://specs.apollo.dev/link/v1.0/
"""

from __future__ import annotations

from collections.abc import Iterable

from graphql.language.block_string import print_block_string
from graphql.language.print_string import print_string

from gateway.composition.merged import (
    JoinField,
    JoinType,
    MergedArgument,
    MergedEnumValue,
    MergedField,
    MergedType,
    Supergraph,
)
from gateway.composition.model import TypeKind

__all__ = ["JOIN_SPEC_URL", "LINK_SPEC_URL", "print_supergraph"]

LINK_SPEC_URL = "https://specs.apollo.dev/link/v1.0"
JOIN_SPEC_URL = "https://specs.apollo.dev/join/v0.3"
TAG_SPEC_URL = "https://specs.apollo.dev/tag/v0.3"
INACCESSIBLE_SPEC_URL = "https://specs.apollo.dev/inaccessible/v0.2"

_JOIN_DEFINITIONS = """\
directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE

directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, \
external: Boolean, override: String, usedOverridden: Boolean) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION

directive @join__graph(name: String!, url: String!) on ENUM_VALUE

directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE

directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, \
resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM \
| INPUT_OBJECT | SCALAR

directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION

directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA"""

_TAG_DEFINITION = (
    "directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | "
    "ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION | SCHEMA"
)
_INACCESSIBLE_DEFINITION = (
    "directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | "
    "ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION"
)
_LINK_TYPES = '''\
scalar join__FieldSet

scalar link__Import

enum link__Purpose {
  """
  `SECURITY` features provide metadata necessary to securely resolve fields.
  """
  SECURITY

  """
  `EXECUTION` features provide metadata necessary for operation execution.
  """
  EXECUTION
}'''
_DEFAULT_DEPRECATION = "No longer supported"
_KEYWORD = {
    TypeKind.OBJECT: "type",
    TypeKind.INTERFACE: "interface",
    TypeKind.UNION: "union",
    TypeKind.ENUM: "enum",
    TypeKind.INPUT_OBJECT: "input",
    TypeKind.SCALAR: "scalar",
}


def print_supergraph(supergraph: Supergraph) -> str:
    """Return the supergraph SDL of ``supergraph``, ending with a newline."""
    uses_tag, uses_inaccessible = _feature_usage(supergraph)
    links = [
        f"@link(url: {print_string(LINK_SPEC_URL)})",
        f"@link(url: {print_string(JOIN_SPEC_URL)}, for: EXECUTION)",
    ]
    definitions = [_JOIN_DEFINITIONS]
    if uses_tag:
        links.append(f"@link(url: {print_string(TAG_SPEC_URL)})")
        definitions.append(_TAG_DEFINITION)
    if uses_inaccessible:
        links.append(f"@link(url: {print_string(INACCESSIBLE_SPEC_URL)}, for: SECURITY)")
        definitions.append(_INACCESSIBLE_DEFINITION)
    roots = "".join(f"  {operation}: {name}\n" for operation, name in supergraph.roots.items())
    schema = "schema\n" + "".join(f"  {link}\n" for link in links) + "{\n" + roots + "}"
    graphs = "\n".join(
        f"  {g.enum_name} @join__graph(name: {print_string(g.name)}, url: {print_string(g.url)})"
        for g in supergraph.graphs
    )
    blocks = [schema, *definitions, _LINK_TYPES, "enum join__Graph {\n" + graphs + "\n}"]
    blocks.extend(_print_type(t) for t in _ordered_types(supergraph))
    return "\n\n".join(blocks) + "\n"


def _feature_usage(supergraph: Supergraph) -> tuple[bool, bool]:
    elements: list[MergedType | MergedField | MergedArgument | MergedEnumValue] = []
    for merged in supergraph.types.values():
        elements.append(merged)
        elements.extend(merged.fields)
        elements.extend(a for f in merged.fields for a in f.arguments)
        elements.extend(merged.input_fields)
        elements.extend(merged.values)
    return any(e.tags for e in elements), any(e.inaccessible for e in elements)


def _ordered_types(supergraph: Supergraph) -> list[MergedType]:
    roots = [supergraph.types[name] for name in supergraph.roots.values()]
    rest = sorted((t for t in supergraph.types.values() if t not in roots), key=lambda t: t.name)
    return [*roots, *rest]


def _description(text: str | None, indent: str) -> str:
    if not text:
        return ""
    block = print_block_string(text)
    return "".join(f"{indent}{line}\n" if line else "\n" for line in block.split("\n"))


def _common(deprecation: str | None, tags: Iterable[str], inaccessible: bool) -> str:
    parts: list[str] = []
    if deprecation is not None:
        parts.append(
            "@deprecated"
            if deprecation == _DEFAULT_DEPRECATION
            else f"@deprecated(reason: {print_string(deprecation)})"
        )
    parts.extend(f"@tag(name: {print_string(tag)})" for tag in tags)
    if inaccessible:
        parts.append("@inaccessible")
    return "".join(f" {p}" for p in parts)


def _join_type(join: JoinType) -> str:
    arguments = [f"graph: {join.graph}"]
    if join.key is not None:
        arguments.append(f"key: {print_string(join.key)}")
    if join.extension:
        arguments.append("extension: true")
    if not join.resolvable:
        arguments.append("resolvable: false")
    if join.is_interface_object:
        arguments.append("isInterfaceObject: true")
    return f" @join__type({', '.join(arguments)})"


def _join_field(join: JoinField) -> str:
    if join.graph is None:
        return " @join__field"
    arguments = [f"graph: {join.graph}"]
    for name, value in (("requires", join.requires), ("provides", join.provides), ("type", join.type)):
        if value is not None:
            arguments.append(f"{name}: {print_string(value)}")
    if join.external:
        arguments.append("external: true")
    if join.override is not None:
        arguments.append(f"override: {print_string(join.override)}")
    if join.used_overridden:
        arguments.append("usedOverridden: true")
    return f" @join__field({', '.join(arguments)})"


def _print_type(merged: MergedType) -> str:
    head = _description(merged.description, "") + f"{_KEYWORD[merged.kind]} {merged.name}"
    if merged.interfaces:
        head += " implements " + " & ".join(merged.interfaces)
    head += "".join(_join_type(j) for j in merged.join_types)
    head += "".join(
        f" @join__implements(graph: {g}, interface: {print_string(i)})" for g, i in merged.implements
    )
    head += "".join(
        f" @join__unionMember(graph: {g}, member: {print_string(m)})" for g, m in merged.union_members
    )
    head += _common(None, merged.tags, merged.inaccessible)
    if merged.kind is TypeKind.SCALAR and merged.specified_by:
        head += f" @specifiedBy(url: {print_string(merged.specified_by)})"
    if merged.kind is TypeKind.UNION:
        return head + (" = " + " | ".join(merged.members) if merged.members else "")
    if merged.kind is TypeKind.SCALAR:
        return head
    if merged.kind is TypeKind.ENUM:
        lines = [_print_value(v) for v in merged.values]
    elif merged.kind is TypeKind.INPUT_OBJECT:
        lines = [_print_input(f, "  ") for f in merged.input_fields]
    else:
        lines = [_print_field(f) for f in merged.fields]
    return head + " {\n" + "".join(lines) + "}"


def _print_value(value: MergedEnumValue) -> str:
    joins = "".join(f" @join__enumValue(graph: {g})" for g in value.graphs)
    common = _common(value.deprecation, value.tags, value.inaccessible)
    return _description(value.description, "  ") + f"  {value.name}{joins}{common}\n"


def _print_input(argument: MergedArgument, indent: str) -> str:
    default = f" = {argument.default}" if argument.default is not None else ""
    joins = "".join(_join_field(j) for j in argument.join_fields)
    common = _common(argument.deprecation, argument.tags, argument.inaccessible)
    return (
        _description(argument.description, indent)
        + f"{indent}{argument.name}: {argument.type}{default}{joins}{common}\n"
    )


def _print_field(field: MergedField) -> str:
    arguments = ""
    if field.arguments and any(a.description for a in field.arguments):
        arguments = "(\n" + "".join(_print_input(a, "    ") for a in field.arguments) + "  )"
    elif field.arguments:
        arguments = "(" + ", ".join(_print_input(a, "").rstrip("\n") for a in field.arguments) + ")"
    joins = "".join(_join_field(j) for j in field.join_fields)
    common = _common(field.deprecation, field.tags, field.inaccessible)
    return _description(field.description, "  ") + f"  {field.name}{arguments}: {field.type}{joins}{common}\n"
