"""Compare GraphQL responses the way the spec allows them to differ, and classify differences.

Two correct responses to one operation have equal ``data``, but not necessarily equal errors:
messages, ``extensions`` and ``locations`` are the server's own, and errors below a position
that null propagation removed are reported by some executors and not others (graphql-js stops
completing a list at its first failed item; a gateway has already received the subgraph's
errors for every item). ``canonical`` therefore keeps the data and the paths of the errors
whose parent positions survive in the data, plus whether any error had no path at all.

See https://spec.graphql.org/October2021/#sec-Handling-Field-Errors
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Canonical", "Outcome", "canonical", "classify"]


@dataclass(frozen=True, slots=True)
class Canonical:
    """What must agree between two correct responses."""

    data: Any
    """``data`` (``None`` when absent or null), compared with its key order."""
    error_paths: frozenset[tuple[str | int, ...]]
    """Paths of errors whose parent positions are present (non-null) in ``data``."""
    pathless_errors: bool
    """Some error had no path (a request error, or one a server could not place)."""
    repeated_paths: bool = False
    """Two errors name the same position (one field error is reported once, at its field)."""

    def data_equal(self, other: Canonical) -> bool:
        """Equal data, key order included (responses keep the operation's field order)."""
        return bool(_ordered(self.data) == _ordered(other.data))


def _ordered(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple((key, _ordered(item)) for key, item in value.items())
    if isinstance(value, list):
        return tuple(_ordered(item) for item in value)
    return value


def _reachable(data: Any, path: Sequence[str | int]) -> bool:
    """Whether every strict prefix of ``path`` leads to a non-null value in ``data``."""
    current = data
    for key in path[:-1]:
        if isinstance(current, dict) and isinstance(key, str):
            current = current.get(key)
        elif isinstance(current, list) and isinstance(key, int) and 0 <= key < len(current):
            current = current[key]
        else:
            return False
        if current is None:
            return False
    return current is not None


def canonical(response: Any) -> Canonical:
    """The parts of a GraphQL response body that must agree between correct servers."""
    body = response if isinstance(response, dict) else {}
    data = body.get("data")
    paths: set[tuple[str | int, ...]] = set()
    pathless = repeated = False
    for error in body.get("errors") or ():
        path = error.get("path") if isinstance(error, dict) else None
        if not isinstance(path, list) or not path:
            pathless = True
        elif _reachable(data, path):
            repeated = repeated or tuple(path) in paths
            paths.add(tuple(path))
    return Canonical(data, frozenset(paths), pathless, repeated)


@dataclass(frozen=True, slots=True)
class Outcome:
    """How two canonical responses compare: ``identical`` or the first kind of difference."""

    kind: str
    """``identical``, or what differs first: ``data``, ``error paths``, ``pathless errors`` or
    ``repeated error paths``."""

    @property
    def identical(self) -> bool:
        """Whether the responses agree."""
        return self.kind == "identical"


def classify(first: Canonical, second: Canonical) -> Outcome:
    """Compare two canonical responses."""
    if not first.data_equal(second):
        return Outcome("data")
    if first.error_paths != second.error_paths:
        return Outcome("error paths")
    if first.pathless_errors != second.pathless_errors:
        return Outcome("pathless errors")
    if first.repeated_paths != second.repeated_paths:
        return Outcome("repeated error paths")
    return Outcome("identical")
