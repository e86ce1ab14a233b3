"""Walk the normalized operation and fill the fetch graph (find paths + build fetch groups).

At every position (a fetch group, the selection node inside it, the supergraph type there, the
response path) the walker keeps each selection in the current subgraph when that subgraph
resolves it, and returns the rest as a *residual*. A residual at an entity is resolved by a key
jump (an ``_entities`` fetch) to the subgraph ``best.choose_key_edge`` picks; at a value type it
bubbles up to the nearest entity (or root field) above. ``@requires`` fields get their
requirements fetched at the parent position first, and the entity fetch depends on every
group that helped; ``@provides`` extends what a subgraph resolves under the providing field.

``@interfaceObject`` subgraphs see an interface as an object type: representations sent there
carry the interface's name (a ``ValueSetter`` input rewrite), and objects they return get
their concrete ``__typename`` from the interface's own subgraph.

PORT_NOTE: Apollo and Hive enumerate every path per leaf and pick the cheapest combination;
this walker decides greedily per position (stay in the current subgraph when it can, else the
key edge covering the most), with cost look-ahead only for root fields (``root_fields``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from gateway.planner.best import choose_key_edge
from gateway.planner.conditions import Condition, Conditions, conjoin
from gateway.planner.errors import UnsatisfiableRequiresError
from gateway.planner.fetch_graph import FetchGraph, FetchGroup, Source
from gateway.planner.operation import NField, NFragment, NSelection
from gateway.planner.plan import ValueSetter
from gateway.planner.position import Position
from gateway.planner.query_graph import Provided, QueryGraph, narrow, provided_field
from gateway.planner.selection import SelectionNode, representation_conflict
from gateway.types import SubgraphName

__all__ = ["Walker"]


class Walker:
    """Adds selections to a ``FetchGraph``, creating entity fetches where needed."""

    def __init__(self, graph: QueryGraph, fetch_graph: FetchGraph) -> None:
        self.graph = graph
        self.fetch_graph = fetch_graph
        self._touched: list[set[int]] = []
        self._avoid: frozenset[int] = frozenset()
        self._fetching_keys: set[tuple[tuple[str, ...], str]] = set()

    # -- bookkeeping --------------------------------------------------------------------------
    def _touch(self, group: FetchGroup) -> None:
        for touched in self._touched:
            touched.add(group.id)

    @contextmanager
    def _tracking(self) -> Iterator[set[int]]:
        touched: set[int] = set()
        self._touched.append(touched)
        try:
            yield touched
        finally:
            self._touched.pop()

    # -- entry points -------------------------------------------------------------------------
    def root_position(self, group: FetchGroup, root_type: str) -> Position:
        """The position at the top of a root fetch."""
        return Position(group, group.selection, root_type, (), visited=frozenset({group.subgraph}), top=True)

    def plan_at(self, pos: Position, items: tuple[NSelection, ...]) -> tuple[NSelection, ...]:
        """Plan ``items`` at ``pos``, jumping to other subgraphs for what ``pos`` cannot resolve."""
        residual = self.plan_items(pos, items)
        if not residual or pos.type_name in self.graph.root_types:
            return residual
        if not self.graph.is_abstract_in(pos.subgraph, pos.type_name):
            return self.jump(pos, pos.type_name, residual, ())
        return self._jump_by_type(pos, residual, ())

    def _jump_by_type(
        self, pos: Position, items: tuple[NSelection, ...], conditions: Conditions
    ) -> tuple[NSelection, ...]:
        """At an abstract position, resolve residual fragments per object type through jumps.

        A fragment that does not name an object type (a condition-only ``... @include(if: $v)``
        or one on the abstract type itself) is descended with its conditions added, so the
        fragments on object types inside it jump under every condition around them.
        """
        left: list[NSelection] = []
        for item in items:
            if not isinstance(item, NFragment):
                left.append(item)
                continue
            combined = conjoin(conditions, item.conditions)
            if combined is None:
                continue  # included under no values of the variables
            if self.graph.is_object_type(item.type_condition):
                rest = self.jump(pos, item.type_condition, item.selections, combined)
            else:
                rest = self._jump_by_type(pos, item.selections, combined)
            if rest:
                left.append(replace(item, selections=rest))
        return tuple(left)

    # -- local resolution ---------------------------------------------------------------------
    def plan_items(self, pos: Position, items: tuple[NSelection, ...]) -> tuple[NSelection, ...]:
        """Add what ``pos``'s subgraph resolves; return the residual (same shape as ``items``)."""
        graph, subgraph, type_name = self.graph, pos.subgraph, pos.type_name
        abstract = graph.is_abstract_in(subgraph, type_name)
        residual: list[NSelection] = []
        for item in items:
            if isinstance(item, NFragment):
                residual.extend(self._plan_fragment(pos, item, abstract))
                continue
            if item.name == "__typename":
                if graph.is_interface_object(type_name, subgraph):
                    residual.append(item)
                else:
                    self._add_field(pos, item)
                continue
            if abstract:
                if graph.abstract_field_resolvable(subgraph, type_name, item.name, pos.provided):
                    residual.extend(self._add_field(pos, item))
                elif not graph.runtime_types(subgraph, type_name):
                    residual.append(item)  # no object here to take it from
                else:
                    for obj in graph.runtime_types(subgraph, type_name):
                        residual.extend(self._plan_fragment(pos, NFragment(obj, (), (item,)), abstract))
                continue
            join = graph.field_join(subgraph, type_name, item.name, pos.provided)
            if join is None:
                residual.append(item)
            elif graph.requires(subgraph, type_name, item.name):
                residual.extend(self._plan_requires_field(pos, item))
            else:
                residual.extend(self._add_field(pos, item))
        return tuple(residual)

    def _plan_fragment(self, pos: Position, item: NFragment, abstract: bool) -> list[NSelection]:
        graph, type_name = self.graph, pos.type_name
        conditions = pos.conditions | set(item.conditions)
        target = item.type_condition
        if graph.is_interface_object(type_name, pos.subgraph) and target != type_name:
            return self._plan_on_interface_object(pos, item)
        if target == type_name or (not abstract and type_name in graph.possible_types(target)):
            node = pos.node.fragment(None, item.conditions) if item.conditions else pos.node
            rest = self.plan_items(replace(pos, node=node, conditions=conditions), item.selections)
            return [replace(item, type_condition=type_name, selections=rest)] if rest else []
        if not abstract:
            return []  # the object here can never be of that type
        runtime = graph.runtime_types(pos.subgraph, type_name)
        if len(pos.candidates) > 1:
            runtime = graph.shared_union_members(type_name, pos.candidates, runtime)
        if graph.is_object_type(target):
            if target not in runtime:
                return []  # this subgraph never returns such objects here
            node = pos.node.fragment(target, item.conditions)
            sub = replace(
                pos,
                node=node,
                type_name=target,
                conditions=conditions,
                provided=narrow(pos.provided, target, graph),
            )
            rest = self.plan_items(sub, item.selections)
            return [replace(item, selections=rest)] if rest else []
        out: list[NSelection] = []
        for obj in runtime:
            if obj in graph.possible_types(target):
                out.extend(
                    self._plan_fragment(pos, NFragment(obj, item.conditions, item.selections), abstract)
                )
        return out

    def _plan_on_interface_object(self, pos: Position, item: NFragment) -> list[NSelection]:
        """A fragment on an implementation, at an ``@interfaceObject`` position.

        Only a subgraph with the real interface knows the concrete type. Interface fields this
        subgraph resolves are fetched here for every object (the response shaper keeps them
        only for matching ``__typename``s), and the real ``__typename`` plus everything else is
        left to a jump to the interface's own subgraph.
        """
        direct: list[NSelection] = []
        rest: list[NSelection] = []
        for selection in item.selections:
            if (
                isinstance(selection, NField)
                and selection.name != "__typename"
                and self.graph.field_join(pos.subgraph, pos.type_name, selection.name, pos.provided)
                is not None
                and not self.graph.requires(pos.subgraph, pos.type_name, selection.name)
            ):
                direct.append(selection)
            else:
                rest.append(selection)
        out: list[NSelection] = [NField("__typename")]
        if direct:
            node = pos.node.fragment(None, item.conditions) if item.conditions else pos.node
            conditions = pos.conditions | set(item.conditions)
            out.extend(self.plan_items(replace(pos, node=node, conditions=conditions), tuple(direct)))
        if rest:
            out.append(replace(item, selections=tuple(rest)))
        return out

    def _add_field(self, pos: Position, item: NField) -> list[NSelection]:
        """Select the field in ``pos``'s group and plan its sub-selections below it."""
        graph = self.graph
        self._touch(pos.group)
        if pos.top and item.name != "__typename":
            pos.group.condition_sets.append(pos.conditions | set(item.conditions))
        entry = pos.node.add_field(item, composite=bool(item.selections))
        if not item.selections or entry.sub is None:
            pos.group.useful = True
            return []
        depth = graph.field_type(pos.type_name, item.name)[1]
        child_type = graph.field_type_in(pos.subgraph, pos.type_name, item.name)
        provided = provided_field(pos.provided, pos.type_name, item.name, graph)
        child_provided: Provided | None = provided.selections if provided else None
        join = graph.supergraph.field_join(pos.type_name, item.name, pos.subgraph)
        if join is not None and join.provides:
            child_provided = (
                *(child_provided or ()),
                *(graph.provides(join, pos.type_name, item.name) or ()),
            )
        if graph.is_abstract_in(pos.subgraph, child_type) or (
            graph.is_entity(child_type) and not graph.is_interface_object(child_type, pos.subgraph)
        ):
            # An @interfaceObject subgraph answers the interface's name, never the concrete type;
            # it is selected there only when a representation needs it.
            entry.sub.add_typename()
        child = Position(
            group=pos.group,
            node=entry.sub,
            type_name=child_type,
            path=(*pos.path, item.response_key, *(["@"] * depth)),
            provided=child_provided,
            conditions=pos.conditions | set(item.conditions),
            visited=frozenset({pos.subgraph}),
            candidates=graph.field_candidates(pos.subgraph, pos.candidates, pos.type_name, item.name),
        )
        selections = item.selections
        if graph.is_interface_object(child_type, pos.subgraph) and self._knows_concrete_types(child_type):
            # Only the interface's own subgraph knows each object's concrete type, which the
            # response needs for an abstract type: always fetch the real ``__typename`` there.
            selections = (*selections, NField("__typename"))
        rest = self.plan_at(child, selections)
        if not rest:
            # The field is served here in full, even when nothing below it needs fetching
            # (only fragments on types this subgraph never returns): its list and nulls count.
            pos.group.useful = True
        return [replace(item, selections=rest)] if rest else []

    def _knows_concrete_types(self, interface: str) -> bool:
        """Whether some subgraph resolves ``interface`` entities to their concrete types."""
        return any(
            not self.graph.is_interface_object(t.type_name, t.graph)
            and self.graph.runtime_types(t.graph, interface)
            for t in self.graph.entity_targets(interface)
        )

    # -- entity jumps -------------------------------------------------------------------------
    def jump(
        self,
        pos: Position,
        object_type: str,
        items: tuple[NSelection, ...],
        conditions: Conditions,
    ) -> tuple[NSelection, ...]:
        """Resolve ``items`` on objects of ``object_type`` at ``pos`` through ``_entities`` fetches."""
        graph = self.graph
        remaining = items
        if pos.hops > 2 * len(graph.supergraph.subgraphs):
            return remaining
        visited = pos.visited | {pos.subgraph}
        abstract = graph.is_abstract_in(pos.subgraph, pos.type_name)
        source_node = pos.node.fragment(object_type) if abstract else pos.node
        created: list[Position] = []
        while remaining:
            edge = choose_key_edge(
                graph,
                pos.subgraph,
                object_type,
                pos.provided,
                remaining,
                visited,
                lambda sub: self._existing(sub, pos),
            )
            if edge is None and (pos.path, object_type) not in self._fetching_keys:
                edge = choose_key_edge(
                    graph,
                    pos.subgraph,
                    object_type,
                    pos.provided,
                    remaining,
                    visited,
                    lambda sub: self._existing(sub, pos),
                    remote_keys=True,
                )
            if edge is None:
                break
            target = edge.target
            visited = visited | {target.graph}
            touched: set[int] = set()
            if not edge.local:
                # The source lacks some key fields: fetch them first (like @requires).
                key_pos = replace(
                    pos,
                    node=source_node,
                    type_name=object_type,
                    visited=frozenset({pos.subgraph, target.graph}),
                )
                self._fetching_keys.add((pos.path, object_type))
                try:
                    with self._tracking() as touched:
                        if self.plan_at(key_pos, edge.key):
                            continue
                finally:
                    self._fetching_keys.discard((pos.path, object_type))
            group = self.fetch_graph.entity_group(target.graph, pos.path, pos.group, avoid=self._avoid)
            group.deps |= touched - {group.id}
            self._link_source(pos, source_node, object_type, group, target.type_name, edge.key, edge.local)
            top = group.selection.fragment(target.type_name)
            if graph.is_abstract_in(target.graph, target.type_name):
                top.add_typename()
            under = pos.conditions | set(conditions)
            entity_pos = Position(
                group=group,
                node=_under_conditions(top, under),
                type_name=target.type_name,
                path=pos.path,
                conditions=under,
                visited=visited,
                top=True,
                hops=pos.hops + 1,
            )
            created.append(entity_pos)
            remaining = self.plan_items(entity_pos, remaining)
        # What no direct jump covers may still be reachable through a group just created
        # (its subgraph may hold keys the source lacks): jump again from there.
        for entity_pos in created:
            if not remaining:
                break
            remaining = self.plan_at(replace(entity_pos, visited=frozenset({entity_pos.subgraph})), remaining)
        return remaining

    def _existing(self, subgraph: SubgraphName, pos: Position) -> bool:
        return any(
            g.entity and g.subgraph == subgraph and g.path == pos.path
            for g in self.fetch_graph.groups.values()
        )

    def _link_source(
        self,
        pos: Position,
        source_node: SelectionNode,
        object_type: str,
        group: FetchGroup,
        type_in_target: str,
        key: tuple[NSelection, ...],
        local: bool = True,
    ) -> None:
        """Select ``__typename`` and the key at the source; record the representation.

        On an abstract position the key goes on the abstract type itself when every runtime
        type resolves it there (``{__typename id}`` rather than one fragment per type).
        """
        self._touch(pos.group)
        key_node = source_node
        if source_node is not pos.node and all(
            isinstance(k, NField)
            and not k.selections
            and self.graph.abstract_field_resolvable(pos.subgraph, pos.type_name, k.name, pos.provided)
            for k in key
        ):
            key_node = pos.node
        key_node.add_typename()
        if local:
            key = key_node.add_selections(key)
            pos.group.useful = True
        representation = group.requires.fragment(object_type)
        representation.add_typename()
        representation.add_selections(key)
        if self.graph.is_interface_object(type_in_target, group.subgraph):
            # That subgraph only knows the interface as an object type: name it so, whatever
            # concrete type the object has by the time the fetch runs.
            rewrite = ValueSetter((f"... on {object_type}", "__typename"), type_in_target)
            if rewrite not in group.input_rewrites:
                group.input_rewrites.append(rewrite)
        sources = group.sources.setdefault(type_in_target, [])
        if not any(s.node is source_node for s in sources):
            position = replace(
                pos,
                node=source_node,
                type_name=object_type,
                provided=narrow(pos.provided, object_type, self.graph),
            )
            source = Source(position, key)
            sources.append(source)
            # The group's representations already carry requirements of its ``@requires``
            # fields; a source that joins later (another copy of the field, under other
            # conditions) must provide them too, or its objects get no representation.
            for coordinate, requirement in list(group.requirements.get(type_in_target, ())):
                self._satisfy(group, source, coordinate, requirement)

    # -- @requires ----------------------------------------------------------------------------
    def _plan_requires_field(self, pos: Position, item: NField) -> list[NSelection]:
        """Plan a field with ``@requires``: requirements first, then an entity fetch with them.

        At the top of an entity fetch the requirements join that fetch's representations;
        elsewhere (or when the representation would need one field with two argument sets)
        a separate entity fetch back into the same subgraph is used.
        """
        graph, subgraph, type_name = self.graph, pos.subgraph, pos.type_name
        requirement = graph.with_typenames(type_name, graph.requires(subgraph, type_name, item.name))
        group = pos.group
        sources = group.sources.get(type_name, []) if (pos.top and group.entity) else []
        if sources and any(
            representation_conflict(group.requires, self._probe(requirement, s.object_type)) for s in sources
        ):
            group = self._requires_group(pos, item, sources, requirement)
        elif not sources:
            group = self._requires_group(pos, item, [], requirement)
        sources = group.sources[type_name]
        entity_pos = pos
        if group is not pos.group:
            entity_pos = Position(
                group=group,
                node=_under_conditions(group.selection.fragment(type_name), pos.conditions),
                type_name=type_name,
                path=pos.path,
                conditions=pos.conditions,
                visited=pos.visited,
                top=True,
            )
        coordinate = f"{type_name}.{item.name}"
        requirements = group.requirements.setdefault(type_name, [])
        if (coordinate, requirement) not in requirements:
            requirements.append((coordinate, requirement))
        for source in list(sources):
            self._satisfy(group, source, coordinate, requirement)
        return self._add_field(entity_pos, item)

    def _satisfy(
        self, group: FetchGroup, source: Source, coordinate: str, requirement: tuple[NSelection, ...]
    ) -> None:
        """Fetch ``requirement`` at ``source`` first and put it in the group's representations."""
        saved = self._avoid
        self._avoid = saved | self.fetch_graph.descendants(group.id)
        try:
            with self._tracking() as touched:
                rest = self.plan_at(replace(source.position, visited=frozenset()), requirement)
        finally:
            self._avoid = saved
        if rest:
            raise UnsatisfiableRequiresError(
                f"Cannot satisfy '@requires' of '{coordinate}' in subgraph '{group.subgraph}': "
                "no subgraph resolves the required fields at that position."
            )
        group.deps |= touched - {group.id}
        group.requires.fragment(source.object_type).add_selections(requirement)

    @staticmethod
    def _probe(requirement: tuple[NSelection, ...], object_type: str) -> SelectionNode:
        probe = SelectionNode()
        probe.fragment(object_type).add_selections(requirement)
        return probe

    def _requires_group(
        self, pos: Position, item: NField, sources: list[Source], requirement: tuple[NSelection, ...]
    ) -> FetchGroup:
        """A separate entity fetch into ``pos``'s subgraph whose representations carry ``requirement``."""
        graph, subgraph, type_name = self.graph, pos.subgraph, pos.type_name
        parent = self.fetch_graph.groups[sources[0].group_id] if sources else pos.group
        index = 0
        while True:
            group = self.fetch_graph.entity_group(
                subgraph, pos.path, parent, requires_key=f"requires{index}", avoid=self._avoid
            )
            conflict = any(
                representation_conflict(group.requires, self._probe(requirement, object_type))
                for object_type in [s.object_type for s in sources] or [type_name]
            )
            if not conflict:
                break
            index += 1
        if sources:
            for source in sources:
                self._link_source(
                    source.position, source.node, source.object_type, group, type_name, source.key
                )
            return group
        key = next(
            (
                graph.field_set(type_name, k.fields)
                for k in graph.supergraph.types[type_name].keys(subgraph)
                if k.resolvable
                and graph.can_resolve_locally(subgraph, type_name, graph.field_set(type_name, k.fields), None)
            ),
            None,
        )
        if key is None:
            raise UnsatisfiableRequiresError(
                f"Cannot satisfy '@requires' of '{type_name}.{item.name}' in subgraph '{subgraph}': "
                f"'{type_name}' has no key there to fetch it as an entity."
            )
        self._link_source(pos, pos.node, type_name, group, type_name, key)
        return group


def _under_conditions(node: SelectionNode, conditions: frozenset[Condition]) -> SelectionNode:
    """Where an entity fetch selects what was planned under ``conditions``.

    Every condition the selection is under is printed in the entity fetch too (as a
    condition-only fragment): the objects may exist whatever the conditions (the same field is
    also selected unconditionally, or under other conditions), and the subgraph must resolve
    (and report errors for) only what the client asked for.
    """
    # A contradiction (``@include(if: $v)`` and ``@skip(if: $v)``) prints as it is: never included.
    printed = conjoin(conditions)
    if printed is None:
        printed = tuple(sorted(conditions))
    return node.fragment(None, printed) if printed else node
