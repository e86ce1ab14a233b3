"""Which fields each subgraph's field sets (``@key``, ``@requires``, ``@provides``) touch.

Merge and the rules ask the same questions many times: is ``Product.id`` part of a
key in subgraph ``a``? Is ``Product.weight`` required or provided there? This
module resolves every field set once and answers from sets of coordinates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from gateway.composition.fieldsets import resolve_field_set
from gateway.composition.model import Subgraph
from gateway.composition.typerefs import named_type

__all__ = ["Coordinate", "FieldUsage", "collect_usage"]

Coordinate = tuple[str, str]
"""``(type name, field name)``."""


@dataclass(slots=True)
class FieldUsage:
    """Field-set usage per subgraph name."""

    in_keys: dict[str, set[Coordinate]] = field(default_factory=dict)
    in_requires: dict[str, set[Coordinate]] = field(default_factory=dict)
    in_provides: dict[str, set[Coordinate]] = field(default_factory=dict)

    def used(self, subgraph: str, coordinate: Coordinate) -> bool:
        """Tell whether any field set of ``subgraph`` selects ``coordinate``."""
        return any(coordinate in table.get(subgraph, set()) for table in self._tables())

    def is_key(self, subgraph: str, coordinate: Coordinate) -> bool:
        """Tell whether a ``@key`` of ``subgraph`` selects ``coordinate``."""
        return coordinate in self.in_keys.get(subgraph, set())

    def is_provided(self, subgraph: str, coordinate: Coordinate) -> bool:
        """Tell whether a ``@provides`` of ``subgraph`` selects ``coordinate``."""
        return coordinate in self.in_provides.get(subgraph, set())

    def _tables(self) -> tuple[dict[str, set[Coordinate]], ...]:
        return (self.in_keys, self.in_requires, self.in_provides)


def collect_usage(subgraphs: Sequence[Subgraph]) -> FieldUsage:
    """Resolve every ``@key``, ``@requires`` and ``@provides`` of ``subgraphs``."""
    usage = FieldUsage()
    for subgraph in subgraphs:
        keys = usage.in_keys.setdefault(subgraph.name, set())
        requires = usage.in_requires.setdefault(subgraph.name, set())
        provides = usage.in_provides.setdefault(subgraph.name, set())
        for info in subgraph.types.values():
            for key in info.keys:
                keys.update(
                    (s.parent, s.field.name)
                    for s in resolve_field_set(subgraph, info.name, key.fields).selected
                )
            for field_info in info.fields:
                if field_info.requires is not None:
                    resolution = resolve_field_set(subgraph, info.name, field_info.requires)
                    requires.update((s.parent, s.field.name) for s in resolution.selected)
                if field_info.provides is not None:
                    target = named_type(field_info.type)
                    resolution = resolve_field_set(subgraph, target, field_info.provides)
                    provides.update((s.parent, s.field.name) for s in resolution.selected)
    return usage
