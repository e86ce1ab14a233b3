"""Derive the API (client-facing) schema from a supergraph document.

The API schema is what clients introspect and what operations are validated against: the
``join__``/``link__`` machinery is stripped, and every element marked ``@inaccessible`` (types,
fields, arguments, input fields, enum values) is removed together with references to it.

Spec: https://specs.apollo.dev/inaccessible/v0.2
"""

from __future__ import annotations

from typing import Any

from graphql import (
    DirectiveDefinitionNode,
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    NamedTypeNode,
    SchemaDefinitionNode,
    TypeDefinitionNode,
    TypeNode,
    build_ast_schema,
)
from graphql.language import ListTypeNode, NonNullTypeNode

from gateway.supergraph.errors import SupergraphError
from gateway.supergraph.join import FeatureNames

__all__ = ["build_api_schema", "build_supergraph_schema"]

_BUILTIN_DIRECTIVES = frozenset({"deprecated", "specifiedBy", "oneOf", "skip", "include"})


def _named(type_node: TypeNode) -> str:
    while isinstance(type_node, (ListTypeNode, NonNullTypeNode)):
        type_node = type_node.type
    assert isinstance(type_node, NamedTypeNode)
    return type_node.name.value


class _Stripper:
    def __init__(self, names: FeatureNames, document: DocumentNode) -> None:
        self.names = names
        self.machinery = {names.link, names.inaccessible, names.tag, "core"}
        self.removed_types: set[str] = set()
        for definition in document.definitions:
            if isinstance(definition, TypeDefinitionNode):
                name = definition.name.value
                if name.startswith(names.prefixes) or self.inaccessible(definition):
                    self.removed_types.add(name)

    def inaccessible(self, node: Any) -> bool:
        return any(d.name.value == self.names.inaccessible for d in getattr(node, "directives", None) or ())

    def is_machinery_directive(self, name: str) -> bool:
        return name in self.machinery or name.startswith(self.names.prefixes)

    def directives(self, node: Any) -> tuple[Any, ...]:
        return tuple(
            d
            for d in getattr(node, "directives", None) or ()
            if not self.is_machinery_directive(d.name.value)
        )

    def keep_typed(self, node: Any) -> bool:
        return not self.inaccessible(node) and _named(node.type) not in self.removed_types

    def field(self, node: Any) -> Any:
        arguments = tuple(self.strip_simple(a) for a in node.arguments or () if self.keep_typed(a))
        return node.__class__(
            name=node.name,
            description=node.description,
            arguments=arguments,
            type=node.type,
            directives=self.directives(node),
        )

    def strip_simple(self, node: Any) -> Any:
        kwargs = {key: getattr(node, key) for key in node.keys if key != "loc"}
        kwargs["directives"] = self.directives(node)
        return node.__class__(**kwargs)

    def type_definition(self, node: Any) -> Any:
        kwargs = {key: getattr(node, key) for key in node.keys if key != "loc"}
        kwargs["directives"] = self.directives(node)
        if "fields" in kwargs and kwargs["fields"] is not None:
            if node.kind == "input_object_type_definition":
                kwargs["fields"] = tuple(self.strip_simple(f) for f in node.fields if self.keep_typed(f))
            else:
                kwargs["fields"] = tuple(self.field(f) for f in node.fields if self.keep_typed(f))
        if kwargs.get("interfaces"):
            kwargs["interfaces"] = tuple(i for i in node.interfaces if i.name.value not in self.removed_types)
        if kwargs.get("types"):
            kwargs["types"] = tuple(t for t in node.types if t.name.value not in self.removed_types)
        if kwargs.get("values"):
            kwargs["values"] = tuple(self.strip_simple(v) for v in node.values if not self.inaccessible(v))
        return node.__class__(**kwargs)


def build_api_schema(document: DocumentNode, names: FeatureNames) -> GraphQLSchema:
    """Build the client-facing schema: core machinery stripped, ``@inaccessible`` removed.

    Raises:
        SupergraphError: the stripped SDL is not a valid schema.
    """
    stripper = _Stripper(names, document)
    definitions: list[Any] = []
    for definition in document.definitions:
        if isinstance(definition, DirectiveDefinitionNode):
            name = definition.name.value
            if stripper.is_machinery_directive(name) or name in _BUILTIN_DIRECTIVES:
                continue
            definitions.append(definition)
        elif isinstance(definition, SchemaDefinitionNode):
            operation_types = tuple(
                op for op in definition.operation_types if op.type.name.value not in stripper.removed_types
            )
            definitions.append(
                SchemaDefinitionNode(
                    description=definition.description, directives=(), operation_types=operation_types
                )
            )
        elif isinstance(definition, TypeDefinitionNode):
            if definition.name.value in stripper.removed_types:
                continue
            stripped = stripper.type_definition(definition)
            if getattr(stripped, "fields", None) == () and definition.kind != "input_object_type_definition":
                continue  # every field was inaccessible: the type disappears with them
            definitions.append(stripped)
        else:
            definitions.append(definition)
    try:
        return build_ast_schema(DocumentNode(definitions=tuple(definitions)))
    except (GraphQLError, TypeError) as exc:
        raise SupergraphError(
            f"The API schema derived from the supergraph is invalid: {exc}", code="INVALID_API_SCHEMA"
        ) from exc


def build_supergraph_schema(document: DocumentNode) -> GraphQLSchema:
    """Build the full supergraph schema (inaccessible elements included) for the planner's typing.

    Raises:
        SupergraphError: the SDL does not describe a schema.
    """
    try:
        return build_ast_schema(document, assume_valid_sdl=True)
    except (GraphQLError, TypeError, KeyError) as exc:
        raise SupergraphError(f"The supergraph SDL is not a valid schema: {exc}") from exc
