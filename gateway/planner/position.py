"""Where the walker stands while it plans: a node of a fetch group, its type and response path.

A ``Position`` is also what an entity fetch remembers about each of its sources (``Source``): to
plan ``@requires`` fields for that fetch later, possibly by another walker planning another root
field into the same fetch graph, the walker returns to the exact place the objects came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gateway.types import SubgraphName

if TYPE_CHECKING:
    from gateway.planner.conditions import Condition
    from gateway.planner.fetch_graph import FetchGroup
    from gateway.planner.query_graph import Provided
    from gateway.planner.selection import SelectionNode

__all__ = ["Position"]


@dataclass(frozen=True, slots=True)
class Position:
    """Where the walker is: a node of a fetch group, its type and response path."""

    group: FetchGroup
    node: SelectionNode
    type_name: str
    path: tuple[str, ...]
    provided: Provided | None = None
    conditions: frozenset[Condition] = frozenset()
    visited: frozenset[SubgraphName] = frozenset()
    """Subgraphs already used at this path in the current chain (stops ping-pong jumps)."""
    top: bool = False
    """The node is the top of the group (root selection or an ``_entities`` fragment)."""
    hops: int = 0
    """Entity jumps already chained at this path (bounded, so jumps cannot ping-pong forever)."""
    candidates: frozenset[SubgraphName] = frozenset()
    """Subgraphs (this one included) that could serve the value at this path: shareable fields
    below an entity or a shareable root field. A union here only has the members they all know."""

    @property
    def subgraph(self) -> SubgraphName:
        """The subgraph of the group."""
        return self.group.subgraph
