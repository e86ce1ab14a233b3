"""The fetch graph: fetch groups (one future subgraph request each) and their dependencies.

A ``FetchGroup`` is either a root fetch (a selection on a root type) or an entity fetch
(``_entities`` at a merge ``path``, with the representation selection in ``requires``). The
walker creates groups and adds selections to them; ``optimize`` merges and prunes them;
``build`` turns the DAG into plan nodes. ``deps`` holds the ids of the groups that must run
first (parents).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gateway.planner.plan import FetchRewrite
from gateway.planner.selection import SelectionNode
from gateway.types import SubgraphName

if TYPE_CHECKING:
    from gateway.planner.conditions import Condition
    from gateway.planner.operation import NSelection
    from gateway.planner.position import Position

__all__ = ["FetchGraph", "FetchGroup", "Source"]


@dataclass(frozen=True, slots=True)
class Source:
    """Where an entity group's objects come from, and the key selected there for the jump."""

    position: Position
    """The parent group's position at the entity's path (inside ``... on object_type``)."""
    key: tuple[NSelection, ...] = ()
    """The key selected at the source for this jump (aliases applied)."""

    @property
    def group_id(self) -> int:
        """The id of the group the objects come from."""
        return self.position.group.id

    @property
    def node(self) -> SelectionNode:
        """The parent group's selection node at the entity's path."""
        return self.position.node

    @property
    def object_type(self) -> str:
        """The runtime type of the objects at the source."""
        return self.position.type_name


@dataclass(eq=False)
class FetchGroup:
    """One subgraph request in the making."""

    id: int
    subgraph: SubgraphName
    path: tuple[str, ...]
    """Merge path (client response keys, ``@`` for list items); ``()`` for root fetches."""
    entity: bool
    kind: str = "query"
    selection: SelectionNode = field(default_factory=SelectionNode)
    """Root: the root selection set. Entity: fragments per type inside ``_entities``."""
    requires: SelectionNode = field(default_factory=SelectionNode)
    """Entity only: the representation selection (fragments per runtime type)."""
    input_rewrites: list[FetchRewrite] = field(default_factory=list)
    deps: set[int] = field(default_factory=set)
    condition_sets: list[frozenset[Condition]] = field(default_factory=list)
    """Conditions under which each client field at the top of the group is selected."""
    sources: dict[str, list[Source]] = field(default_factory=dict)
    """Entity only: type condition in this subgraph → where its representations come from."""
    requirements: dict[str, list[tuple[str, tuple[NSelection, ...]]]] = field(default_factory=dict)
    """Entity only: type condition → ``(coordinate, required selections)`` of its ``@requires``
    fields; every source provides them."""
    useful: bool = False
    """Some leaf the operation (or a later fetch) needs was selected here, not only plumbing."""
    requires_key: str = ""
    """Distinguishes groups created to satisfy ``@requires`` from plain key jumps (reuse)."""
    batch: list[FetchGroup] = field(default_factory=list)
    """Entity groups at other paths sent in the same request as this one (``batching``)."""

    def common_conditions(self) -> frozenset[Condition]:
        """Conditions shared by every client field of the group (the fetch is useless otherwise)."""
        if not self.condition_sets:
            return frozenset()
        common = self.condition_sets[0]
        for conditions in self.condition_sets[1:]:
            common = common & conditions
        return common


class FetchGraph:
    """The groups of one plan (or one mutation step) and their dependency edges."""

    def __init__(self, kind: str = "query") -> None:
        self.kind = kind
        self.groups: dict[int, FetchGroup] = {}
        self._next = 0

    def _new(self, subgraph: SubgraphName, path: tuple[str, ...], entity: bool) -> FetchGroup:
        group = FetchGroup(id=self._next, subgraph=subgraph, path=path, entity=entity)
        group.kind = self.kind if not entity else "query"
        self._next += 1
        self.groups[group.id] = group
        return group

    def root_group(self, subgraph: SubgraphName) -> FetchGroup:
        """The root fetch for ``subgraph`` (one per subgraph)."""
        for group in self.groups.values():
            if not group.entity and group.subgraph == subgraph:
                return group
        return self._new(subgraph, (), entity=False)

    def entity_group(
        self,
        subgraph: SubgraphName,
        path: tuple[str, ...],
        parent: FetchGroup,
        requires_key: str = "",
        avoid: frozenset[int] = frozenset(),
    ) -> FetchGroup:
        """The entity fetch to ``subgraph`` at ``path`` fed by ``parent`` (reused when it exists).

        Groups in ``avoid`` are never reused (they wait for what is being planned).
        """
        for group in self.groups.values():
            if (
                group.id not in avoid
                and group.entity
                and group.subgraph == subgraph
                and group.path == path
                and parent.id in group.deps
                and group.requires_key == requires_key
            ):
                return group
        group = self._new(subgraph, path, entity=True)
        group.deps.add(parent.id)
        group.requires_key = requires_key
        return group

    def children(self, group_id: int) -> list[FetchGroup]:
        """Groups that directly depend on ``group_id``."""
        return [g for g in self.groups.values() if group_id in g.deps]

    def descendants(self, group_id: int) -> set[int]:
        """Every group that depends on ``group_id``, transitively (``group_id`` included)."""
        seen = {group_id}
        stack = [group_id]
        while stack:
            current = stack.pop()
            for child in self.children(current):
                if child.id not in seen:
                    seen.add(child.id)
                    stack.append(child.id)
        return seen

    def ancestors(self, group_id: int) -> set[int]:
        """Every group ``group_id`` depends on, transitively."""
        seen: set[int] = set()
        stack = list(self.groups[group_id].deps)
        while stack:
            current = stack.pop()
            if current in seen or current not in self.groups:
                continue
            seen.add(current)
            stack.extend(self.groups[current].deps)
        return seen

    def remove(self, group_id: int) -> None:
        """Drop a group; its children inherit its dependencies."""
        removed = self.groups.pop(group_id)
        for child in self.children(group_id):
            child.deps.discard(group_id)
            child.deps |= removed.deps
