"""The merged supergraph model: what the printer prints.

Each element carries its API-schema shape (name, type, arguments, description)
plus the ``join__`` applications that tell the gateway which subgraph resolves
what. Graphs are referred to by their ``join__Graph`` enum value (``CLIENT_INFO``).

Spec: https://specs.apollo.dev/join/v0.3/
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gateway.composition.model import TypeKind

__all__ = [
    "Graph",
    "JoinField",
    "JoinType",
    "MergedArgument",
    "MergedEnumValue",
    "MergedField",
    "MergedType",
    "Supergraph",
]


@dataclass(frozen=True, slots=True)
class Graph:
    """One ``join__Graph`` enum value."""

    enum_name: str
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class JoinType:
    """One ``@join__type`` application."""

    graph: str
    key: str | None = None
    extension: bool = False
    resolvable: bool = True
    is_interface_object: bool = False


@dataclass(frozen=True, slots=True)
class JoinField:
    """One ``@join__field`` application."""

    graph: str | None
    """``None`` prints a bare ``@join__field``: the field comes through an ``@interfaceObject``."""
    requires: str | None = None
    provides: str | None = None
    type: str | None = None
    external: bool = False
    override: str | None = None
    used_overridden: bool = False


@dataclass(slots=True)
class MergedArgument:
    """A merged argument or input field (input fields also carry ``join_fields``)."""

    name: str
    type: str
    default: str | None = None
    description: str | None = None
    deprecation: str | None = None
    inaccessible: bool = False
    tags: list[str] = field(default_factory=list)
    join_fields: list[JoinField] = field(default_factory=list)


@dataclass(slots=True)
class MergedField:
    """A merged output field."""

    name: str
    type: str
    arguments: list[MergedArgument] = field(default_factory=list)
    description: str | None = None
    deprecation: str | None = None
    inaccessible: bool = False
    tags: list[str] = field(default_factory=list)
    join_fields: list[JoinField] = field(default_factory=list)


@dataclass(slots=True)
class MergedEnumValue:
    """A merged enum value and the graphs that define it."""

    name: str
    description: str | None = None
    deprecation: str | None = None
    inaccessible: bool = False
    tags: list[str] = field(default_factory=list)
    graphs: list[str] = field(default_factory=list)


@dataclass(slots=True)
class MergedType:
    """A merged named type."""

    name: str
    kind: TypeKind
    description: str | None = None
    join_types: list[JoinType] = field(default_factory=list)
    interfaces: list[str] = field(default_factory=list)
    implements: list[tuple[str, str]] = field(default_factory=list)
    """``(graph, interface)`` pairs for ``@join__implements``."""
    fields: list[MergedField] = field(default_factory=list)
    input_fields: list[MergedArgument] = field(default_factory=list)
    values: list[MergedEnumValue] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    union_members: list[tuple[str, str]] = field(default_factory=list)
    """``(graph, member)`` pairs for ``@join__unionMember``."""
    specified_by: str | None = None
    inaccessible: bool = False
    tags: list[str] = field(default_factory=list)

    def field(self, name: str) -> MergedField | None:
        """Return the output field ``name`` or ``None``."""
        return next((f for f in self.fields if f.name == name), None)


@dataclass(slots=True)
class Supergraph:
    """The whole merged supergraph."""

    graphs: list[Graph]
    types: dict[str, MergedType] = field(default_factory=dict)
    roots: dict[str, str] = field(default_factory=dict)
    """Operation → root type name, for the ``schema { }`` block."""

    def graph_enum(self, subgraph_name: str) -> str:
        """Return the ``join__Graph`` value of ``subgraph_name``."""
        for graph in self.graphs:
            if graph.name == subgraph_name:
                return graph.enum_name
        raise KeyError(subgraph_name)
