"""Differences from Hive Gateway where ours is right: each listed with its reason.

A difference is *known* only when it can be explained without trusting either gateway: by
asking Hive Gateway an equivalent operation (``rewrite.without_conditions``: the spec says both
select the same fields) and getting our answer back, or by a shape that is wrong per the spec
whatever the data (an error path that skips list indices cannot point at a response position).
Where an oracle exists it has already said that ours is right. Known differences are counted and
printed by every run, never silenced; anything else fails the differential test.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bench.differential.compare import canonical, classify
from bench.differential.generator import GeneratedOperation
from bench.differential.rewrite import without_conditions

__all__ = ["HIVE_CRASH_REASON", "KNOWN_DIFFERENCES", "AskHive", "KnownDifference"]

AskHive = Callable[[str, dict[str, Any]], Awaitable[Any]]
"""``ask(document, variables)``: Hive Gateway's response body to another operation."""

Explainer = Callable[[GeneratedOperation, Any, Any, AskHive], Awaitable[bool]]


@dataclass(frozen=True, slots=True)
class KnownDifference:
    """A known Hive Gateway defect: a name, why ours is right, and how to recognise it."""

    name: str
    reason: str
    explains: Explainer
    """``explains(operation, ours, hive, ask)``: whether this defect accounts for the difference."""


async def _conditions(operation: GeneratedOperation, ours: Any, hive: Any, ask: AskHive) -> bool:
    rewritten = without_conditions(operation.document, operation.variables)
    if rewritten is None:
        return False
    again = await ask(rewritten, operation.variables)
    if classify(canonical(again), canonical(hive)).identical:
        return False  # the conditions are not what Hive gets wrong here
    if classify(canonical(again), canonical(ours)).identical:
        return True
    # Conditions are one defect; what still differs may be another known one.
    same = GeneratedOperation(rewritten, operation.variables, operation.seed)
    for other in KNOWN_DIFFERENCES:
        if other.explains is not _conditions and await other.explains(same, ours, again, ask):
            return True
    return False


def _paths(body: Any) -> list[tuple[str | int, ...]]:
    out = []
    for error in body.get("errors") or ():
        path = error.get("path") if isinstance(error, dict) else None
        if isinstance(path, list) and path:
            out.append(tuple(path))
    return out


def _value_at(data: Any, path: tuple[str | int, ...]) -> tuple[bool, Any]:
    """``(found, value)``: the value at ``path`` in ``data``, if the path names a position."""
    current = data
    for key in path:
        in_list = isinstance(current, list) and isinstance(key, int) and 0 <= key < len(current)
        if not in_list and not (isinstance(current, dict) and isinstance(key, str) and key in current):
            return False, None
        current = current[key]
    return True, current


def _points_at_null(data: Any, path: tuple[str | int, ...]) -> bool:
    """Whether ``path`` names a null in ``data``, or lies below a position nulled by propagation."""
    for end in range(1, len(path) + 1):
        found, value = _value_at(data, path[:end])
        if not found:
            return False
        if value is None:
            return True
    return False


def _strip(paths: list[tuple[str | int, ...]]) -> set[tuple[str | int, ...]]:
    return {tuple(key for key in path if isinstance(key, str)) for path in paths}


async def _error_positions(operation: GeneratedOperation, ours: Any, hive: Any, ask: AskHive) -> bool:
    del operation, ask
    mine, theirs = canonical(ours), canonical(hive)
    if not mine.data_equal(theirs) or _strip(_paths(ours)) != _strip(_paths(hive)):
        return False
    ours_right = all(_points_at_null(mine.data, path) for path in _paths(ours))
    hive_wrong = any(not _points_at_null(theirs.data, path) for path in _paths(hive))
    return ours_right and hive_wrong


_VALIDATION_MESSAGES = (
    "Unknown fragment",
    "Fragment cannot be spread here",
    "Cannot query field",
    "Unknown type",
    "Unknown argument",
    "Variable '$",
    "There can be only one",
)
"""How graphql-core's validation rules start their messages (the subgraphs here use it)."""


async def _invalid_subgraph_operation(
    operation: GeneratedOperation, ours: Any, hive: Any, ask: AskHive
) -> bool:
    del operation, ours, ask
    return any(
        isinstance(error, dict)
        and isinstance(error.get("extensions"), dict)
        and "serviceName" in error["extensions"]
        and str(error.get("message", "")).startswith(_VALIDATION_MESSAGES)
        for error in hive.get("errors") or ()
    )


KNOWN_DIFFERENCES: tuple[KnownDifference, ...] = (
    KnownDifference(
        "conditions",
        "Hive Gateway mishandles @skip/@include: a field selected twice whose first selection is "
        "excluded comes back null (and a non-null one nulls its parents), and a field excluded in a "
        "type-conditioned fragment takes its sibling fields' values with it. Asked the same "
        "operation with the conditions evaluated away (the spec's CollectFields selects exactly "
        "the same fields), it gives our answer.",
        _conditions,
    ),
    KnownDifference(
        "error path names no null",
        "Hive Gateway re-paths some errors of entity fetches below lists to the wrong item (often "
        "the first) or leaves the list index out (['a', 'reviews', 0, 'body'] for ['a', 3, "
        "'reviews', 0, 'body']). A field error's path must name the field that became null; "
        "these name a non-null value or no position at all, while ours name the nulls.",
        _error_positions,
    ),
    KnownDifference(
        "invalid subgraph operation",
        "Hive Gateway sends some subgraphs operations that are not valid GraphQL (a fragment it "
        "never defines; a fragment spread where its type can never apply) when fragments on "
        "abstract types nest; the subgraph rejects the document and the fields become null. The "
        "subgraph's own validation error, returned by Hive, says so.",
        _invalid_subgraph_operation,
    ),
)

HIVE_CRASH_REASON = (
    "Hive Gateway exits (unhandled promise rejection 'Cannot return null for non-nullable "
    "field ...') after answering some operations that select a non-null field twice with the "
    "first selection excluded; the run restarts it and resends the operation in flight."
)
