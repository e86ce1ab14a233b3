"""The query graph: what each subgraph can resolve, and the entity edges between subgraphs.

Built once per supergraph (``build_query_graph``) and shared by every plan. Vertices are
``(type, subgraph)`` pairs; a field edge exists when the subgraph resolves the field at that
type (honouring ``@external``, ``@provides``, ``@override``), and a key edge (``EntityTarget``)
leads from any subgraph holding an entity's key fields into a subgraph that can resolve the
entity by that key (``_entities``), including ``@interfaceObject`` subgraphs reached through an
interface. Parsed ``@key``/``@requires``/``@provides`` field sets are cached here.

PORT_NOTE: Apollo and Hive materialise the graph's edges; we answer the same questions lazily
with memoised methods, which keeps the structure small for the supergraph sizes we serve.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, replace
from functools import cache

from graphql import (
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLUnionType,
    get_named_type,
)

from gateway.planner.operation import NField, NFragment, NSelection, parse_field_set
from gateway.supergraph import FieldJoin, Supergraph
from gateway.types import SubgraphName

__all__ = ["EntityTarget", "QueryGraph", "build_query_graph"]

Provided = tuple[NSelection, ...]


@dataclass(frozen=True, slots=True)
class EntityTarget:
    """A key edge: ``graph`` resolves ``type_name`` entities from one of ``keys``."""

    graph: SubgraphName
    type_name: str
    """The type condition inside ``_entities`` (the interface for ``@interfaceObject``)."""
    keys: tuple[tuple[NSelection, ...], ...]
    rewrite_typename: bool = False
    """Representations must carry ``__typename: type_name`` (``@interfaceObject`` targets)."""


class QueryGraph:
    """Answers the planner's ownership questions for one supergraph."""

    def __init__(self, supergraph: Supergraph) -> None:
        self.supergraph = supergraph
        self.schema = supergraph.schema
        self.root_types = frozenset(supergraph.root_types.values())
        self._cache_targets: dict[str, tuple[EntityTarget, ...]] = {}
        self._joins: dict[tuple[str, str, str], FieldJoin | None] = {}
        # functools.cache on bound methods would keep the graph alive; wrap per instance instead.
        self.runtime_types = cache(self._runtime_types)
        self.is_interface_object = cache(self._is_interface_object)
        self.possible_types = cache(self._possible_types)
        self.field_set = cache(self._field_set)
        self.requires = cache(self._requires)

    # -- schema shape -------------------------------------------------------------------------
    def field_type(self, type_name: str, field_name: str) -> tuple[str, int]:
        """The named return type of a field and how many list wrappers it has."""
        gql_type = self.schema.get_type(type_name)
        assert isinstance(gql_type, (GraphQLObjectType, GraphQLInterfaceType))
        wrapped = gql_type.fields[field_name].type
        depth = 0
        while isinstance(wrapped, (GraphQLNonNull, GraphQLList)):
            if isinstance(wrapped, GraphQLList):
                depth += 1
            wrapped = wrapped.of_type
        return get_named_type(wrapped).name, depth

    def field_type_in(self, graph: SubgraphName, type_name: str, field_name: str) -> str:
        """The named return type of a field as ``graph`` declares it (``@join__field(type:)``).

        A subgraph may return a narrower type than the supergraph (``Book`` where the
        supergraph merged a ``Media`` union), which changes what fragments apply there.
        """
        join = self.supergraph.field_join(type_name, field_name, graph)
        if join is not None and join.type:
            named = join.type.replace("[", "").replace("]", "").replace("!", "").strip()
            if self.schema.get_type(named) is not None:
                return named
        return self.field_type(type_name, field_name)[0]

    def _possible_types(self, type_name: str) -> frozenset[str]:
        """Object types (supergraph-wide) a value of this type can have."""
        gql_type = self.schema.get_type(type_name)
        if isinstance(gql_type, (GraphQLInterfaceType, GraphQLUnionType)):
            return frozenset(t.name for t in self.schema.get_possible_types(gql_type))
        return frozenset({type_name})

    def is_object_type(self, type_name: str) -> bool:
        """Whether the supergraph declares the type as an object type."""
        return isinstance(self.schema.get_type(type_name), GraphQLObjectType)

    def _is_interface_object(self, type_name: str, graph: SubgraphName) -> bool:
        """Whether ``graph`` sees the interface as an ``@interfaceObject`` (an object type)."""
        owner = self.supergraph.type(type_name)
        return owner is not None and owner.is_interface_object(graph)

    def is_abstract_in(self, graph: SubgraphName, type_name: str) -> bool:
        """Whether the type is an interface or union as ``graph`` sees it."""
        return not self.is_object_type(type_name) and not self.is_interface_object(type_name, graph)

    def is_entity(self, type_name: str) -> bool:
        """Whether some subgraph declares a ``@key`` on the type."""
        owner = self.supergraph.type(type_name)
        return owner is not None and any(j.key is not None for j in owner.joins)

    def _runtime_types(self, graph: SubgraphName, type_name: str) -> tuple[str, ...]:
        """Object types a value at a ``type_name`` position returned by ``graph`` can have."""
        if not self.is_abstract_in(graph, type_name):
            return (type_name,)
        possible = self.possible_types(type_name)
        owner = self.supergraph.type(type_name)
        in_graph: set[str] = set()
        for name in possible:
            member = self.supergraph.type(name)
            if member is None or graph not in member.graphs:
                continue
            if owner is not None and owner.kind == "union":
                declared = owner.union_members
                if not declared or (graph, name) in declared:
                    in_graph.add(name)
            elif not member.implements or (graph, type_name) in member.implements:
                in_graph.add(name)
        return tuple(sorted(in_graph))

    # -- field resolution ---------------------------------------------------------------------
    def _field_set(self, type_name: str, fields: str) -> tuple[NSelection, ...]:
        return parse_field_set(self.schema, type_name, fields)

    def key_fields_in(
        self, graph: SubgraphName, type_name: str, extensions_only: bool = False
    ) -> frozenset[str]:
        """Top-level field names of the type's keys in ``graph``.

        With ``extensions_only`` only keys of Federation 1 type extensions count: their
        ``@external`` key fields are still resolvable (the subgraph returns them).
        """
        owner = self.supergraph.type(type_name)
        if owner is None:
            return frozenset()
        names: set[str] = set()
        for join in owner.joins:
            if join.graph != graph or join.key is None or (extensions_only and not join.extension):
                continue
            names |= {s.name for s in self.field_set(type_name, join.key) if isinstance(s, NField)}
        return frozenset(names)

    def field_join(
        self, graph: SubgraphName, type_name: str, field_name: str, provided: Provided | None = None
    ) -> FieldJoin | None:
        """How ``graph`` resolves the field at this position, or ``None`` if it cannot."""
        if provided:
            return self._field_join(graph, type_name, field_name, provided)
        key = (graph, type_name, field_name)
        if key not in self._joins:
            self._joins[key] = self._field_join(graph, type_name, field_name, None)
        return self._joins[key]

    def _field_join(
        self, graph: SubgraphName, type_name: str, field_name: str, provided: Provided | None
    ) -> FieldJoin | None:
        owner = self.supergraph.type(type_name)
        if owner is None or graph not in owner.graphs:
            return None
        join = self.supergraph.field_join(type_name, field_name, graph)
        if join is None or join.used_overridden:
            return None
        for other in self.supergraph.field_joins(type_name, field_name):
            if other.graph != graph and other.override == graph and other.override_label is None:
                return None
        if join.external:
            if provided_field(provided, type_name, field_name, self) is not None:
                return join
            if field_name in self.key_fields_in(graph, type_name, extensions_only=True):
                return replace(join, external=False)
            return None
        return join

    def abstract_field_resolvable(
        self, graph: SubgraphName, type_name: str, field_name: str, provided: Provided | None
    ) -> bool:
        """Whether ``graph`` resolves the field directly on an abstract type for every runtime type."""
        owner = self.supergraph.type(type_name)
        if owner is None or owner.kind != "interface":
            return False
        if self.supergraph.field_join(type_name, field_name, graph) is None:
            return False
        return all(
            self.field_join(graph, obj, field_name, narrow(provided, obj, self)) is not None
            for obj in self.runtime_types(graph, type_name)
        )

    def _requires(self, graph: SubgraphName, type_name: str, field_name: str) -> tuple[NSelection, ...]:
        join = self.supergraph.field_join(type_name, field_name, graph)
        if join is None or not join.requires:
            return ()
        return _alias_arguments(self.field_set(type_name, join.requires))

    def with_typenames(self, type_name: str, selections: tuple[NSelection, ...]) -> tuple[NSelection, ...]:
        """Add ``__typename`` to every sub-selection on an abstract type (representations need it)."""
        out: list[NSelection] = []
        for selection in selections:
            if isinstance(selection, NFragment):
                inner = self.with_typenames(selection.type_condition, selection.selections)
                out.append(replace(selection, selections=inner))
            elif selection.selections:
                child = self.field_type(type_name, selection.name)[0]
                inner = self.with_typenames(child, selection.selections)
                if not self.is_object_type(child) and not any(
                    isinstance(s, NField) and s.name == "__typename" for s in inner
                ):
                    inner = (NField("__typename"), *inner)
                out.append(replace(selection, selections=inner))
            else:
                out.append(selection)
        return tuple(out)

    def provides(self, join: FieldJoin, type_name: str, field_name: str) -> Provided | None:
        """The ``@provides`` selection of a field, relative to its return type."""
        if not join.provides:
            return None
        return self.field_set(self.field_type(type_name, field_name)[0], join.provides)

    # -- candidate subgraphs of a path --------------------------------------------------------
    def field_candidates(
        self, graph: SubgraphName, candidates: frozenset[SubgraphName], type_name: str, field_name: str
    ) -> frozenset[SubgraphName]:
        """Subgraphs that could resolve ``field_name`` where ``graph`` resolves it (``graph`` included).

        A subgraph counts when it resolves the field and the parent is reachable there: it is
        one of the parent's ``candidates``, the parent is a root type, or an entity with a key
        that subgraph resolves.
        """
        owner = self.supergraph.type(type_name)
        out = {graph}
        if owner is None:
            return frozenset(out)
        root = type_name in self.root_types
        for subgraph in owner.graphs:
            reachable = subgraph in candidates or root or any(k.resolvable for k in owner.keys(subgraph))
            if reachable and self.field_join(subgraph, type_name, field_name) is not None:
                out.add(subgraph)
        return frozenset(out)

    def shared_union_members(
        self, type_name: str, candidates: frozenset[SubgraphName], runtime: tuple[str, ...]
    ) -> tuple[str, ...]:
        """The members of ``runtime`` that every candidate subgraph declares in the union.

        When a shareable path could be served by several subgraphs, only the members they all
        know are safe to select (the federation audit's ``partial-union-complex``); objects of
        other members keep just their ``__typename``. Interfaces are left as they are.
        """
        owner = self.supergraph.type(type_name)
        if owner is None or owner.kind != "union" or not owner.union_members:
            return runtime
        declared = set(owner.union_members)
        return tuple(name for name in runtime if all((sub, name) in declared for sub in candidates))

    # -- key edges ----------------------------------------------------------------------------
    def entity_targets(self, type_name: str) -> tuple[EntityTarget, ...]:
        """Subgraphs that can resolve this type's entities, with their keys."""
        cached = self._cache_targets.get(type_name)
        if cached is not None:
            return cached
        targets: list[EntityTarget] = []
        owner = self.supergraph.type(type_name)
        if owner is not None:
            for graph in sorted(owner.graphs):
                keys = tuple(self.field_set(type_name, k.fields) for k in owner.keys(graph) if k.resolvable)
                if keys:
                    targets.append(EntityTarget(graph, type_name, keys))
            gql_type = self.schema.get_type(type_name)
            if isinstance(gql_type, GraphQLObjectType):
                for interface in gql_type.interfaces:
                    iface = self.supergraph.type(interface.name)
                    if iface is None:
                        continue
                    for graph in sorted(iface.graphs):
                        if not iface.is_interface_object(graph) or graph in owner.graphs:
                            continue
                        keys = tuple(
                            self.field_set(interface.name, k.fields)
                            for k in iface.keys(graph)
                            if k.resolvable
                        )
                        if keys:
                            targets.append(EntityTarget(graph, interface.name, keys, rewrite_typename=True))
        result = tuple(targets)
        self._cache_targets[type_name] = result
        return result

    def can_resolve_locally(
        self,
        graph: SubgraphName,
        type_name: str,
        selections: tuple[NSelection, ...],
        provided: Provided | None,
    ) -> bool:
        """Whether ``graph`` alone resolves the selections at this position (used for key fields)."""
        for selection in selections:
            if isinstance(selection, NFragment):
                if not self.can_resolve_locally(
                    graph, selection.type_condition, selection.selections, provided
                ):
                    return False
                continue
            if selection.name == "__typename":
                continue
            join = self.field_join(graph, type_name, selection.name, provided)
            if join is None:
                return False
            if selection.selections:
                child = self.field_type(type_name, selection.name)[0]
                sub_provided = provided_field(provided, type_name, selection.name, self)
                if not self.can_resolve_locally(
                    graph, child, selection.selections, sub_provided.selections if sub_provided else None
                ):
                    return False
        return True


def provided_field(
    provided: Provided | None, type_name: str, field_name: str, graph: QueryGraph
) -> NField | None:
    """The provided selection of ``field_name`` at a position of ``type_name``, if any."""
    for selection in provided or ():
        if isinstance(selection, NField) and selection.name == field_name:
            return selection
        if isinstance(selection, NFragment) and type_name in graph.possible_types(selection.type_condition):
            found = provided_field(selection.selections, type_name, field_name, graph)
            if found is not None:
                return found
    return None


def narrow(provided: Provided | None, type_name: str, graph: QueryGraph) -> Provided | None:
    """Restrict a provided selection to what applies to objects of ``type_name``."""
    if not provided:
        return provided
    out: list[NSelection] = []
    for selection in provided:
        if isinstance(selection, NField):
            out.append(selection)
        elif type_name in graph.possible_types(selection.type_condition):
            out.extend(narrow(selection.selections, type_name, graph) or ())
    return tuple(out)


def _alias_arguments(selections: tuple[NSelection, ...]) -> tuple[NSelection, ...]:
    """Alias required fields that take arguments, so they never collide with client fields."""
    out: list[NSelection] = []
    for selection in selections:
        if isinstance(selection, NField):
            alias = selection.alias
            if selection.arguments and alias is None:
                printed = ",".join(f"{n}:{v}" for n, v in selection.arguments)
                alias = f"{selection.name}__req_{zlib.crc32(printed.encode()):08x}"
            out.append(replace(selection, alias=alias, selections=_alias_arguments(selection.selections)))
        else:
            out.append(replace(selection, selections=_alias_arguments(selection.selections)))
    return tuple(out)


def build_query_graph(supergraph: Supergraph) -> QueryGraph:
    """Build the query graph of a supergraph (once per supergraph snapshot)."""
    return QueryGraph(supergraph)
