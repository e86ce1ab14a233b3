"""Frozen records describing which subgraph owns what in a supergraph.

They are read from the ``join__`` directives of the supergraph SDL (see ``join.py``) and never
change afterwards; the planner only queries them.

Spec: https://specs.apollo.dev/join/v0.3
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, TypeAlias

from gateway.types import SubgraphName

__all__ = [
    "EntityKey",
    "FieldJoin",
    "FieldOwnership",
    "SubgraphInfo",
    "TypeJoin",
    "TypeKind",
    "TypeOwnership",
]

TypeKind: TypeAlias = Literal["object", "interface", "union", "enum", "input", "scalar"]


def _empty_fields() -> Mapping[str, FieldOwnership]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class SubgraphInfo:
    """One subgraph declared by a ``join__Graph`` enum value."""

    name: SubgraphName
    """The subgraph's name (``@join__graph(name:)``)."""
    url: str
    """Where the gateway sends this subgraph's requests (``@join__graph(url:)``)."""
    enum_value: str
    """The ``join__Graph`` enum value naming this subgraph inside the SDL (e.g. ``PRODUCTS``)."""


@dataclass(frozen=True, slots=True)
class EntityKey:
    """One ``@key`` of an entity in one subgraph."""

    graph: SubgraphName
    fields: str
    """The key's field set, as written (``"id"``, ``"id org { id }"``)."""
    resolvable: bool = True
    """``False`` when the subgraph references the entity but cannot resolve it (``resolvable: false``)."""


@dataclass(frozen=True, slots=True)
class TypeJoin:
    """One ``@join__type`` application: the type exists in ``graph``."""

    graph: SubgraphName
    key: str | None = None
    extension: bool = False
    resolvable: bool = True
    is_interface_object: bool = False


@dataclass(frozen=True, slots=True)
class FieldJoin:
    """One ``@join__field`` application: how ``graph`` defines the field."""

    graph: SubgraphName | None
    """``None`` for a bare ``@join__field`` (the field is resolved by no subgraph at this type)."""
    requires: str | None = None
    provides: str | None = None
    type: str | None = None
    external: bool = False
    override: str | None = None
    override_label: str | None = None
    used_overridden: bool = False


@dataclass(frozen=True, slots=True)
class FieldOwnership:
    """Which subgraphs define one field, with their ``@join__field`` details."""

    type_name: str
    name: str
    joins: tuple[FieldJoin, ...] = ()
    """Empty when the field carries no ``@join__field``: it then exists wherever its type does."""


@dataclass(frozen=True, slots=True)
class TypeOwnership:
    """Which subgraphs define one named type, and how."""

    name: str
    kind: TypeKind
    joins: tuple[TypeJoin, ...] = ()
    fields: Mapping[str, FieldOwnership] = field(default_factory=_empty_fields)
    implements: tuple[tuple[SubgraphName, str], ...] = ()
    """``(graph, interface)`` pairs from ``@join__implements``."""
    union_members: tuple[tuple[SubgraphName, str], ...] = ()
    """``(graph, member)`` pairs from ``@join__unionMember``."""
    enum_values: Mapping[str, tuple[SubgraphName, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """Enum value → graphs from ``@join__enumValue`` (empty tuple: every graph)."""

    @property
    def graphs(self) -> frozenset[SubgraphName]:
        """The subgraphs that define this type."""
        return frozenset(j.graph for j in self.joins)

    def keys(self, graph: SubgraphName) -> tuple[EntityKey, ...]:
        """The ``@key``s the type has in ``graph`` (empty for a value type)."""
        return tuple(
            EntityKey(graph=j.graph, fields=j.key, resolvable=j.resolvable)
            for j in self.joins
            if j.graph == graph and j.key is not None
        )

    def is_interface_object(self, graph: SubgraphName) -> bool:
        """Whether ``graph`` declares this interface as an ``@interfaceObject`` (an object type there)."""
        return any(j.graph == graph and j.is_interface_object for j in self.joins)
