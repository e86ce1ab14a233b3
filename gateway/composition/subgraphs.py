"""Read one subgraph's SDL into the normalized :class:`~gateway.composition.model.Subgraph`.

Stages, top to bottom: parse → read the federation ``@link`` → strip the
federation plumbing (``_Service``, ``_Entity``, ``_Any``, ``Query._entities``,
``Query._service``, federation directive and scalar definitions) → build and
validate the schema with graphql-core → fold every type's definition and
extensions into a :class:`~gateway.composition.model.TypeInfo`. Root types
renamed through ``schema { query: RootQuery }`` get their default names.

Spec: https://www.apollographql.com/docs/graphos/reference/federation/subgraph-spec
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, TypeVar, cast

from graphql import (
    DefinitionNode,
    DirectiveDefinitionNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    FieldDefinitionNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    build_ast_schema,
    parse,
    print_ast,
    specified_directives,
    specified_scalar_types,
)
from graphql.language import DirectiveNode
from graphql.utilities import value_from_ast_untyped

from gateway.composition.errors import CompositionError, composition_error
from gateway.composition.federation_spec import (
    PLUMBING_TYPES,
    FederationLink,
    LinkProblem,
    directive_definitions,
    read_federation_link,
)
from gateway.composition.model import (
    ArgumentInfo,
    EnumValueInfo,
    FieldInfo,
    KeyInfo,
    Subgraph,
    TypeInfo,
    TypeKind,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from graphql import GraphQLArgument, GraphQLField, GraphQLInputField, GraphQLNamedType, Node

    from gateway.composition.sources import SubgraphSource

__all__ = ["read_subgraph"]

_ROOT_NAMES = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}
_PLUMBING_FIELDS = frozenset({"_entities", "_service"})


def read_subgraph(source: SubgraphSource) -> Subgraph | CompositionError:
    """Parse, validate and normalize one subgraph; return an error instead of raising."""
    try:
        document = parse(source.sdl)
    except GraphQLError as exc:
        return _invalid(source, f"does not parse: {exc.message}")
    link = read_federation_link(document)
    if isinstance(link, LinkProblem):
        return composition_error(link.code, f"Subgraph {source.name!r} {link.detail}.", source.name)
    document = _strip_plumbing(document, link)
    document, orphans = _define_orphan_extensions(document)
    defined = frozenset(d.name.value for d in document.definitions if isinstance(d, DirectiveDefinitionNode))
    try:
        definitions = (*document.definitions, *_parsed_definitions(directive_definitions(link, defined)))
        schema = build_ast_schema(DocumentNode(definitions=definitions))
    except (GraphQLError, TypeError) as exc:
        return _invalid(source, f"is not a valid schema: {getattr(exc, 'message', str(exc))}")
    return _normalize(source, schema, link, orphans)


@functools.lru_cache(maxsize=32)
def _parsed_definitions(sdl: str) -> tuple[DefinitionNode, ...]:
    """Parse the (few distinct) federation directive definition texts once."""
    return tuple(parse(sdl, no_location=True).definitions)


def _invalid(source: SubgraphSource, detail: str) -> CompositionError:
    return composition_error(
        "INVALID_GRAPHQL",
        f"Subgraph {source.name!r} {detail.rstrip('.')}. Fix its SDL and compose again.",
        source.name,
    )


def _strip_plumbing(document: DocumentNode, link: FederationLink) -> DocumentNode:
    federation_directives = {*link.names.values(), "link"}
    kept: list[Node | None] = []
    dropped: set[str] = set()
    for definition in document.definitions:
        if isinstance(definition, DirectiveDefinitionNode) and definition.name.value in federation_directives:
            continue
        if isinstance(definition, TypeDefinitionNode | TypeExtensionNode):
            if definition.name.value in PLUMBING_TYPES:
                continue
            if (
                isinstance(definition, ObjectTypeDefinitionNode | ObjectTypeExtensionNode)
                and definition.fields
            ):
                fields = tuple(f for f in definition.fields if f.name.value not in _PLUMBING_FIELDS)
                if not fields:
                    if isinstance(definition, ObjectTypeDefinitionNode):
                        dropped.add(definition.name.value)
                    continue
                definition = _copy(definition, fields=fields)
        kept.append(definition)
    dropped -= {
        d.name.value for d in kept if isinstance(d, TypeExtensionNode)
    }  # fields remain in an extension
    if dropped:
        # A subgraph whose Query only held `_entities`/`_service` has no query root of its own.
        kept = [_without_roots(d, dropped) if isinstance(d, SchemaDefinitionNode) else d for d in kept]
        kept = [d for d in kept if d is not None]
    return DocumentNode(definitions=cast("tuple[DefinitionNode, ...]", tuple(kept)))


_N = TypeVar("_N", bound="Node")


def _copy(node: _N, **changes: object) -> _N:
    values = {key: getattr(node, key) for key in node.keys}
    values.update(changes)
    return type(node)(**values)


def _without_roots(schema: SchemaDefinitionNode, dropped: set[str]) -> Node | None:
    operations = tuple(o for o in schema.operation_types if o.type.name.value not in dropped)
    if operations:
        return _copy(schema, operation_types=operations)
    if schema.directives:
        return SchemaExtensionNode(directives=schema.directives, operation_types=())
    return None


_DEFINITION_OF: dict[type[Node], type[Node]] = {
    ObjectTypeExtensionNode: ObjectTypeDefinitionNode,
    InterfaceTypeExtensionNode: InterfaceTypeDefinitionNode,
    UnionTypeExtensionNode: UnionTypeDefinitionNode,
    EnumTypeExtensionNode: EnumTypeDefinitionNode,
    InputObjectTypeExtensionNode: InputObjectTypeDefinitionNode,
    ScalarTypeExtensionNode: ScalarTypeDefinitionNode,
}


def _define_orphan_extensions(document: DocumentNode) -> tuple[DocumentNode, frozenset[str]]:
    """Turn the first extension of a type that has no definition into its definition.

    Federation lets a subgraph write ``extend type Product @key(fields: "id")`` for an entity defined
    elsewhere; graphql-core would reject the extension, so it becomes a definition here and the
    type is remembered as an extension (``@join__type(extension: true)``).
    """
    defined = {d.name.value for d in document.definitions if isinstance(d, TypeDefinitionNode)}
    orphans: set[str] = set()
    definitions: list[Node] = []
    for definition in document.definitions:
        if isinstance(definition, TypeExtensionNode) and definition.name.value not in defined:
            name = definition.name.value
            target = _DEFINITION_OF[type(definition)]
            definitions.append(target(**{key: getattr(definition, key, None) for key in target.keys}))
            defined.add(name)
            orphans.add(name)
        else:
            definitions.append(definition)
    document = DocumentNode(definitions=cast("tuple[DefinitionNode, ...]", tuple(definitions)))
    return document, frozenset(orphans)


def _normalize(
    source: SubgraphSource, schema: GraphQLSchema, link: FederationLink, orphans: frozenset[str]
) -> Subgraph:
    renames: dict[str, str] = {}
    roots: dict[str, str] = {}
    for operation, root in (
        ("query", schema.query_type),
        ("mutation", schema.mutation_type),
        ("subscription", schema.subscription_type),
    ):
        if root is not None:
            renames[root.name] = _ROOT_NAMES[operation]
            roots[operation] = _ROOT_NAMES[operation]
    reader = _Reader(link.names, renames, orphans)
    types: dict[str, TypeInfo] = {}
    for name, named in schema.type_map.items():
        if name.startswith("__") or name in specified_scalar_types or name in PLUMBING_TYPES:
            continue
        info = reader.type_info(named)
        types[info.name] = info
    if "query" not in roots:
        # Every federated subgraph has a Query root (`_entities`, `_service`), even when it adds no field.
        types["Query"] = TypeInfo("Query", TypeKind.OBJECT)
        roots["query"] = "Query"
    federation = {*link.names.values(), "link"}
    custom = tuple(
        sorted(
            d.name for d in schema.directives if d.name not in federation and d not in specified_directives
        )
    )
    return Subgraph(source.name, source.url, link.version, types, roots, custom)


class _Reader:
    """Turns graphql-core types into model records, resolving federation directives by local name."""

    def __init__(self, names: dict[str, str], renames: dict[str, str], orphans: frozenset[str]) -> None:
        self.names = names
        self.renames = renames
        self.orphans = orphans

    def is_extension(self, named: GraphQLNamedType, node: Node | None) -> bool:
        if isinstance(node, TypeExtensionNode):
            return True
        return node is not None and node is named.ast_node and named.name in self.orphans

    def rename(self, reference: str) -> str:
        base = reference.replace("[", "").replace("]", "").replace("!", "")
        return reference.replace(base, self.renames[base]) if base in self.renames else reference

    def applied(self, nodes: Sequence[Node | None], directive: str) -> list[dict[str, object]]:
        local = self.names.get(directive, directive)
        found: list[dict[str, object]] = []
        for node in nodes:
            for applied in getattr(node, "directives", None) or ():
                if isinstance(applied, DirectiveNode) and applied.name.value == local:
                    found.append(
                        {a.name.value: value_from_ast_untyped(a.value) for a in applied.arguments or ()}
                    )
        return found

    def tags(self, nodes: Sequence[Node | None]) -> tuple[str, ...]:
        return tuple(str(args["name"]) for args in self.applied(nodes, "tag"))

    def type_info(self, named: GraphQLNamedType) -> TypeInfo:
        nodes: list[Node | None] = [named.ast_node, *named.extension_ast_nodes]
        extends = bool(self.applied(nodes, "extends"))
        common = {
            "name": self.renames.get(named.name, named.name),
            "description": named.description,
            "inaccessible": bool(self.applied(nodes, "inaccessible")),
            "tags": self.tags(nodes),
        }
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            keys: list[KeyInfo] = []
            fields: list[FieldInfo] = []
            for node in nodes:
                extension = extends or self.is_extension(named, node)
                for key in self.applied([node], "key"):
                    keys.append(KeyInfo(str(key["fields"]), key.get("resolvable") is not False, extension))
                type_shareable = bool(self.applied([node], "shareable"))
                type_external = bool(self.applied([node], "external"))
                for field_node in getattr(node, "fields", None) or ():
                    assert isinstance(field_node, FieldDefinitionNode)
                    field = named.fields[field_node.name.value]
                    fields.append(
                        self.field_info(field_node.name.value, field, type_shareable, type_external)
                    )
            kind = TypeKind.OBJECT if isinstance(named, GraphQLObjectType) else TypeKind.INTERFACE
            return TypeInfo(
                kind=kind,
                keys=tuple(keys),
                extension=all(extends or self.is_extension(named, n) for n in nodes if n is not None),
                interface_object=bool(self.applied(nodes, "interfaceObject")),
                interfaces=tuple(i.name for i in named.interfaces),
                fields=tuple(fields),
                **common,  # type: ignore[arg-type]
            )
        if isinstance(named, GraphQLUnionType):
            return TypeInfo(kind=TypeKind.UNION, members=tuple(t.name for t in named.types), **common)  # type: ignore[arg-type]
        if isinstance(named, GraphQLEnumType):
            values = tuple(
                EnumValueInfo(
                    value_name,
                    value.description,
                    value.deprecation_reason,
                    bool(self.applied([value.ast_node], "inaccessible")),
                    self.tags([value.ast_node]),
                )
                for value_name, value in named.values.items()
            )
            return TypeInfo(kind=TypeKind.ENUM, values=values, **common)  # type: ignore[arg-type]
        if isinstance(named, GraphQLInputObjectType):
            inputs = tuple(self.argument_info(n, f) for n, f in named.fields.items())
            return TypeInfo(kind=TypeKind.INPUT_OBJECT, input_fields=inputs, **common)  # type: ignore[arg-type]
        assert isinstance(named, GraphQLScalarType)
        return TypeInfo(kind=TypeKind.SCALAR, specified_by=named.specified_by_url, **common)  # type: ignore[arg-type]

    def field_info(
        self, name: str, field: GraphQLField, type_shareable: bool, type_external: bool
    ) -> FieldInfo:
        nodes = [field.ast_node]
        requires = self.applied(nodes, "requires")
        provides = self.applied(nodes, "provides")
        override = self.applied(nodes, "override")
        label = override[0].get("label") if override else None
        return FieldInfo(
            name=name,
            type=self.rename(str(field.type)),
            arguments=tuple(self.argument_info(n, a) for n, a in field.args.items()),
            description=field.description,
            deprecation=field.deprecation_reason,
            external=type_external or bool(self.applied(nodes, "external")),
            shareable=type_shareable or bool(self.applied(nodes, "shareable")),
            requires=str(requires[0]["fields"]) if requires else None,
            provides=str(provides[0]["fields"]) if provides else None,
            override=str(override[0]["from"]) if override else None,
            override_label=str(label) if label is not None else None,
            inaccessible=bool(self.applied(nodes, "inaccessible")),
            tags=self.tags(nodes),
        )

    def argument_info(self, name: str, argument: GraphQLArgument | GraphQLInputField) -> ArgumentInfo:
        node = argument.ast_node
        default = node.default_value if node is not None else None
        return ArgumentInfo(
            name=name,
            type=self.rename(str(argument.type)),
            default=print_ast(default) if default is not None else None,
            description=argument.description,
            deprecation=argument.deprecation_reason,
            inaccessible=bool(self.applied([node], "inaccessible")),
            tags=self.tags([node]),
        )
