"""GraphQL types and selections rendered as JSON Schema (OpenAPI 3.1 dialect).

Inputs come from variable types; outputs from an operation's selection set over the API schema,
so a REST response is described exactly as the operation shapes it (aliases included).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    SelectionSetNode,
)

__all__ = ["input_schema", "nullable", "output_schema", "scalar_schema"]

JSONSchema = dict[str, Any]

_SCALARS: Mapping[str, JSONSchema] = {
    "ID": {"type": "string"},
    "String": {"type": "string"},
    "Int": {"type": "integer", "format": "int32"},
    "Float": {"type": "number"},
    "Boolean": {"type": "boolean"},
    "Date": {"type": "string", "format": "date"},
    "DateTime": {"type": "string", "format": "date-time"},
    "UUID": {"type": "string", "format": "uuid"},
    "Long": {"type": "integer", "format": "int64"},
}


def scalar_schema(scalar: GraphQLScalarType) -> JSONSchema:
    """The JSON Schema of a scalar (unknown custom scalars allow any JSON value)."""
    schema = dict(_SCALARS.get(scalar.name, {}))
    if scalar.description and scalar.name not in _SCALARS:
        schema["description"] = scalar.description
    return schema


def nullable(schema: JSONSchema) -> JSONSchema:
    """Allow ``null`` besides ``schema`` (JSON Schema 2020-12 / OpenAPI 3.1 style)."""
    if not schema:
        return schema
    kind = schema.get("type")
    if isinstance(kind, str):
        return {**schema, "type": [kind, "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def input_schema(type_: GraphQLInputType, _seen: frozenset[str] = frozenset()) -> JSONSchema:
    """JSON Schema for a variable or input field of ``type_``."""
    if isinstance(type_, GraphQLNonNull):
        return _input_non_null(type_.of_type, _seen)
    return nullable(_input_non_null(type_, _seen))


def _input_non_null(type_: Any, seen: frozenset[str]) -> JSONSchema:
    if isinstance(type_, GraphQLList):
        return {"type": "array", "items": input_schema(type_.of_type, seen)}
    if isinstance(type_, GraphQLEnumType):
        return {"type": "string", "enum": list(type_.values)}
    if isinstance(type_, GraphQLScalarType):
        return scalar_schema(type_)
    if isinstance(type_, GraphQLInputObjectType):
        if type_.name in seen:  # recursive input: describe loosely rather than loop
            return {"type": "object"}
        inner = seen | {type_.name}
        properties = {name: input_schema(field.type, inner) for name, field in type_.fields.items()}
        required = [name for name, field in type_.fields.items() if isinstance(field.type, GraphQLNonNull)]
        schema: JSONSchema = {"type": "object", "properties": properties, "additionalProperties": False}
        if required:
            schema["required"] = required
        if type_.description:
            schema["description"] = type_.description
        return schema
    raise TypeError(f"{type_!r} is not an input type.")


def output_schema(
    schema: GraphQLSchema,
    type_: GraphQLOutputType,
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
) -> JSONSchema:
    """JSON Schema of the value a field of ``type_`` yields under ``selection_set``."""
    if isinstance(type_, GraphQLNonNull):
        return _output_non_null(schema, type_.of_type, selection_set, fragments)
    return nullable(_output_non_null(schema, type_, selection_set, fragments))


def _output_non_null(
    schema: GraphQLSchema,
    type_: Any,
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
) -> JSONSchema:
    if isinstance(type_, GraphQLList):
        return {"type": "array", "items": output_schema(schema, type_.of_type, selection_set, fragments)}
    if isinstance(type_, GraphQLEnumType):
        return {"type": "string", "enum": list(type_.values)}
    if isinstance(type_, GraphQLScalarType):
        return scalar_schema(type_)
    if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType) and selection_set:
        properties: dict[str, JSONSchema] = {}
        _collect(schema, type_, selection_set, fragments, properties, frozenset())
        return {"type": "object", "properties": properties}
    return {"type": "object"}


def _collect(
    schema: GraphQLSchema,
    parent: Any,
    selection_set: SelectionSetNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    properties: dict[str, JSONSchema],
    active: frozenset[str],
) -> None:
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            key = selection.alias.value if selection.alias else selection.name.value
            if selection.name.value == "__typename":
                properties[key] = {"type": "string"}
                continue
            fields = getattr(parent, "fields", {})
            field = fields.get(selection.name.value)
            if field is None:
                properties.setdefault(key, {})
                continue
            properties[key] = output_schema(schema, field.type, selection.selection_set, fragments)
        elif isinstance(selection, InlineFragmentNode):
            target = parent
            if selection.type_condition is not None:
                target = schema.get_type(selection.type_condition.name.value)
            _collect(schema, target, selection.selection_set, fragments, properties, active)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in active:
                target = schema.get_type(fragment.type_condition.name.value)
                _collect(schema, target, fragment.selection_set, fragments, properties, active | {name})
