"""Read the ``join__`` directives of a supergraph document into ownership records.

One small function per directive (``join__graph``, ``join__type``, ``join__field``,
``join__implements``, ``join__unionMember``, ``join__enumValue``). Feature names are resolved
through ``@link`` so a supergraph that imports the join spec ``as`` another prefix still loads.

Spec: https://specs.apollo.dev/join/v0.3, https://specs.apollo.dev/link/v1.0
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from graphql import (
    BooleanValueNode,
    DirectiveNode,
    EnumTypeDefinitionNode,
    EnumValueNode,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    ObjectTypeDefinitionNode,
    ScalarTypeDefinitionNode,
    SchemaDefinitionNode,
    StringValueNode,
    UnionTypeDefinitionNode,
    ValueNode,
)

from gateway.supergraph.errors import SupergraphError
from gateway.supergraph.model import (
    FieldJoin,
    FieldOwnership,
    SubgraphInfo,
    TypeJoin,
    TypeKind,
    TypeOwnership,
)
from gateway.types import SubgraphName

if TYPE_CHECKING:
    from graphql import DocumentNode, FieldDefinitionNode

__all__ = ["FeatureNames", "read_feature_names", "read_subgraphs", "read_type_ownership"]

_JOIN_URL = "https://specs.apollo.dev/join/"
_INACCESSIBLE_URL = "https://specs.apollo.dev/inaccessible/"
_TAG_URL = "https://specs.apollo.dev/tag/"
_LINK_URL = "https://specs.apollo.dev/link/"
_CORE_URL = "https://specs.apollo.dev/core/"


@dataclass(frozen=True, slots=True)
class FeatureNames:
    """The local names under which the supergraph uses the core features."""

    join: str = "join"
    """Prefix of the join directives/types (``join__type`` ...)."""
    join_version: str = "v0.3"
    inaccessible: str = "inaccessible"
    tag: str = "tag"
    link: str = "link"

    def join_directive(self, name: str) -> str:
        """The directive name of ``join__<name>`` under the imported prefix."""
        return f"{self.join}__{name}"

    @property
    def prefixes(self) -> tuple[str, ...]:
        """Type/directive name prefixes that belong to the core machinery."""
        return (f"{self.join}__", f"{self.link}__", "core__")


def _value(node: ValueNode | None) -> object:
    if node is None:
        return None
    if isinstance(node, (StringValueNode, EnumValueNode)):
        return node.value
    if isinstance(node, BooleanValueNode):
        return node.value
    return getattr(node, "value", None)


def _args(directive: DirectiveNode) -> dict[str, object]:
    return {arg.name.value: _value(arg.value) for arg in directive.arguments or ()}


def read_feature_names(document: DocumentNode) -> FeatureNames:
    """Find the ``@link`` (or legacy ``@core``) applications and the names they import."""
    names: dict[str, str] = {}
    found_join = False
    for definition in document.definitions:
        if not isinstance(definition, SchemaDefinitionNode):
            continue
        for directive in definition.directives or ():
            if directive.name.value not in ("link", "core"):
                continue
            args = _args(directive)
            url = str(args.get("url") or args.get("feature") or "")
            alias = args.get("as")
            default = url.rstrip("/").rsplit("/", 2)[-2] if url.count("/") >= 2 else ""
            local = str(alias) if alias else default
            if url.startswith(_JOIN_URL):
                found_join = True
                names["join"] = local
                names["join_version"] = url.rstrip("/").rsplit("/", 1)[-1]
            elif url.startswith(_INACCESSIBLE_URL):
                names["inaccessible"] = local
            elif url.startswith(_TAG_URL):
                names["tag"] = local
            elif url.startswith((_LINK_URL, _CORE_URL)):
                names["link"] = local
    if not found_join:
        raise SupergraphError(
            "The supergraph SDL does not link the join spec; expected "
            "'@link(url: \"https://specs.apollo.dev/join/v0.3\", for: EXECUTION)' on 'schema'.",
            code="SUPERGRAPH_MISSING_JOIN_SPEC",
        )
    return FeatureNames(**names)


def read_subgraphs(document: DocumentNode, names: FeatureNames) -> dict[str, SubgraphInfo]:
    """Read the ``join__Graph`` enum: enum value → subgraph (name, url)."""
    enum_name = f"{names.join}__Graph"
    directive_name = names.join_directive("graph")
    for definition in document.definitions:
        if isinstance(definition, EnumTypeDefinitionNode) and definition.name.value == enum_name:
            graphs: dict[str, SubgraphInfo] = {}
            for value in definition.values or ():
                applied = [d for d in value.directives or () if d.name.value == directive_name]
                if not applied:
                    raise SupergraphError(
                        f"The enum value '{enum_name}.{value.name.value}' has no '@{directive_name}'; "
                        "every graph must declare its name and url.",
                        code="SUPERGRAPH_INVALID_GRAPH",
                    )
                args = _args(applied[0])
                graphs[value.name.value] = SubgraphInfo(
                    name=SubgraphName(str(args.get("name") or value.name.value.lower())),
                    url=str(args.get("url") or ""),
                    enum_value=value.name.value,
                )
            return graphs
    raise SupergraphError(
        f"The supergraph SDL has no '{enum_name}' enum, so it names no subgraphs.",
        code="SUPERGRAPH_INVALID_GRAPH",
    )


class _Reader:
    """Read every type definition's join directives, resolving graph enum values to names."""

    def __init__(self, names: FeatureNames, graphs: Mapping[str, SubgraphInfo]) -> None:
        self.names = names
        self.graphs = graphs

    def graph(self, value: object, where: str) -> SubgraphName:
        info = self.graphs.get(str(value))
        if info is None:
            raise SupergraphError(
                f"{where} names the graph {value!r}, which the 'join__Graph' enum does not declare.",
                code="SUPERGRAPH_INVALID_GRAPH",
            )
        return info.name

    def applied(self, node: object, name: str) -> list[dict[str, object]]:
        directive = self.names.join_directive(name)
        return [_args(d) for d in getattr(node, "directives", None) or () if d.name.value == directive]

    def type_joins(self, node: object, type_name: str) -> tuple[TypeJoin, ...]:
        return tuple(
            TypeJoin(
                graph=self.graph(a.get("graph"), f"'@join__type' on '{type_name}'"),
                key=str(a["key"]) if a.get("key") is not None else None,
                extension=bool(a.get("extension", False)),
                resolvable=a.get("resolvable", True) is not False,
                is_interface_object=bool(a.get("isInterfaceObject", False)),
            )
            for a in self.applied(node, "type")
        )

    def field_joins(self, node: FieldDefinitionNode, coordinate: str) -> tuple[FieldJoin, ...]:
        joins = []
        for a in self.applied(node, "field"):
            graph = a.get("graph")
            joins.append(
                FieldJoin(
                    graph=self.graph(graph, f"'@join__field' on '{coordinate}'") if graph else None,
                    requires=_opt_str(a.get("requires")),
                    provides=_opt_str(a.get("provides")),
                    type=_opt_str(a.get("type")),
                    external=bool(a.get("external", False)),
                    override=_opt_str(a.get("override")),
                    override_label=_opt_str(a.get("overrideLabel")),
                    used_overridden=bool(a.get("usedOverridden", False)),
                )
            )
        return tuple(joins)

    def pairs(
        self, node: object, name: str, arg: str, type_name: str
    ) -> tuple[tuple[SubgraphName, str], ...]:
        return tuple(
            (self.graph(a.get("graph"), f"'@join__{name}' on '{type_name}'"), str(a.get(arg)))
            for a in self.applied(node, name)
        )


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)


_KINDS: dict[type, TypeKind] = {
    ObjectTypeDefinitionNode: "object",
    InterfaceTypeDefinitionNode: "interface",
    UnionTypeDefinitionNode: "union",
    EnumTypeDefinitionNode: "enum",
    InputObjectTypeDefinitionNode: "input",
    ScalarTypeDefinitionNode: "scalar",
}


def read_type_ownership(
    document: DocumentNode, names: FeatureNames, graphs: Mapping[str, SubgraphInfo]
) -> dict[str, TypeOwnership]:
    """Build a ``TypeOwnership`` for every non-core named type of the document."""
    reader = _Reader(names, graphs)
    out: dict[str, TypeOwnership] = {}
    for definition in document.definitions:
        kind = _KINDS.get(type(definition))
        if kind is None:
            continue
        type_name = definition.name.value  # type: ignore[attr-defined]
        if type_name.startswith(names.prefixes):
            continue
        fields: dict[str, FieldOwnership] = {}
        if isinstance(definition, (ObjectTypeDefinitionNode, InterfaceTypeDefinitionNode)):
            for field_node in definition.fields or ():
                coordinate = f"{type_name}.{field_node.name.value}"
                fields[field_node.name.value] = FieldOwnership(
                    type_name=type_name,
                    name=field_node.name.value,
                    joins=reader.field_joins(field_node, coordinate),
                )
        enum_values: dict[str, tuple[SubgraphName, ...]] = {}
        if isinstance(definition, EnumTypeDefinitionNode):
            for value in definition.values or ():
                enum_values[value.name.value] = tuple(
                    reader.graph(a.get("graph"), f"'@join__enumValue' on '{type_name}'")
                    for a in reader.applied(value, "enumValue")
                )
        joins = reader.type_joins(definition, type_name)
        if not joins:
            # Federation 1 supergraphs (join v0.1) leave value types and root types without
            # @join__type: they exist wherever a field leads to them.
            joins = tuple(TypeJoin(graph=info.name) for info in graphs.values())
        out[type_name] = TypeOwnership(
            name=type_name,
            kind=kind,
            joins=joins,
            fields=MappingProxyType(fields),
            implements=reader.pairs(definition, "implements", "interface", type_name),
            union_members=reader.pairs(definition, "unionMember", "member", type_name),
            enum_values=MappingProxyType(enum_values),
        )
    return out
