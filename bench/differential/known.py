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
from typing import Any, Literal

from graphql import GraphQLSchema

from bench.differential.compare import canonical, classify
from bench.differential.generator import GeneratedOperation
from bench.differential.rewrite import without_conditions

__all__ = ["HIVE_CRASH_REASON", "KNOWN_DIFFERENCES", "AskHive", "Context", "KnownDifference"]

AskHive = Callable[[str, dict[str, Any]], Awaitable[Any]]
"""``ask(document, variables)``: Hive Gateway's response body to another operation."""


@dataclass(frozen=True, slots=True)
class Context:
    """What an explanation may use besides the two responses."""

    ask: AskHive
    schema: GraphQLSchema
    """The API schema."""


Explainer = Callable[[GeneratedOperation, Any, Any, Context], Awaitable[bool]]


@dataclass(frozen=True, slots=True)
class KnownDifference:
    """A known Hive Gateway defect: a name, why ours is right, and how to recognise it."""

    name: str
    reason: str
    explains: Explainer
    """``explains(operation, ours, hive, context)``: whether this defect accounts for the difference."""
    aspect: Literal["data", "errors", "all"] = "all"
    """What it explains: a difference in ``data``, in error paths, or any."""


async def _equivalent(
    operation: GeneratedOperation,
    ours: Any,
    hive: Any,
    context: Context,
    rewritten: str | None,
    skip: Explainer,
) -> bool:
    """Whether Hive answers ``rewritten`` (equivalent to the operation) like ours, possibly up to
    other known differences, while it answered the operation itself otherwise."""
    if rewritten is None or rewritten == operation.document:
        return False
    again = await context.ask(rewritten, operation.variables)
    if classify(canonical(again), canonical(hive)).identical:
        return False  # the rewrite is not what Hive gets wrong here
    if classify(canonical(again), canonical(ours)).identical:
        return True
    same = GeneratedOperation(rewritten, operation.variables, operation.seed)
    for other in KNOWN_DIFFERENCES:
        if (
            other.explains is not skip
            and other.aspect != "all"
            and await other.explains(same, ours, again, context)
        ):
            return True
    return False


async def _conditions(operation: GeneratedOperation, ours: Any, hive: Any, context: Context) -> bool:
    rewritten = without_conditions(operation.document, operation.variables)
    return await _equivalent(operation, ours, hive, context, rewritten, _conditions)


async def _fragments(operation: GeneratedOperation, ours: Any, hive: Any, context: Context) -> bool:
    rewritten = without_conditions(operation.document, operation.variables, context.schema)
    return await _equivalent(operation, ours, hive, context, rewritten, _fragments)


def _paths(body: Any) -> list[tuple[str | int, ...]]:
    out = []
    for error in body.get("errors") or ():
        path = error.get("path") if isinstance(error, dict) else None
        if isinstance(path, list) and path:
            out.append(tuple(path))
    return out


def _position(data: Any, path: tuple[str | int, ...]) -> str:
    """What ``path`` names in ``data``: ``null``, ``below null`` (an ancestor is null: the error
    was propagated away), ``value`` (a non-null value) or ``none`` (no position at all)."""
    current = data
    for end, key in enumerate(path, start=1):
        in_list = isinstance(current, list) and isinstance(key, int) and 0 <= key < len(current)
        if not in_list and not (isinstance(current, dict) and isinstance(key, str) and key in current):
            return "none"
        current = current[key]
        if current is None:
            return "null" if end == len(path) else "below null"
    return "value"


async def _error_positions(operation: GeneratedOperation, ours: Any, hive: Any, context: Context) -> bool:
    del operation, context
    mine, theirs = canonical(ours), canonical(hive)
    ours_right = all(_position(mine.data, path) in ("null", "below null") for path in _paths(ours))
    kinds = [(path, _position(theirs.data, path)) for path in _paths(hive)]
    named = [path for path, kind in kinds if kind == "null"]
    # Wrong: a path that names a non-null value or no position, or one position named by several
    # errors (each error of a list item belongs to that item's own position).
    hive_wrong = any(kind in ("value", "none") for _, kind in kinds) or len(set(named)) < len(named)
    if ours_right and hive_wrong and set(named) <= set(_paths(ours)):
        return True
    # The same errors at other items of a list (an item whose own value happens to be null).
    return ours_right and mine.data_equal(theirs) and _without_indices(ours) == _without_indices(hive)


def _without_indices(body: Any) -> list[tuple[str | int, ...]]:
    return sorted(tuple(key for key in path if isinstance(key, str)) for path in _paths(body))


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
    operation: GeneratedOperation, ours: Any, hive: Any, context: Context
) -> bool:
    del operation, ours, context
    # The client's operation is valid (the generator validates it), so a validation error can
    # only come from an operation Hive Gateway sent to a subgraph.
    return any(
        isinstance(error, dict) and str(error.get("message", "")).startswith(_VALIDATION_MESSAGES)
        for error in hive.get("errors") or ()
    )


def _differences(ours: Any, hive: Any, path: tuple[str | int, ...] = ()) -> list[tuple[Any, Any]]:
    """The topmost positions where two data trees differ, as ``(ours, hive)`` value pairs."""
    if isinstance(ours, dict) and isinstance(hive, dict) and list(ours) == list(hive):
        return [d for key in ours for d in _differences(ours[key], hive[key], (*path, key))]
    if isinstance(ours, list) and isinstance(hive, list) and len(ours) == len(hive):
        return [d for index, item in enumerate(ours) for d in _differences(item, hive[index], (*path, index))]
    return [] if ours == hive else [(ours, hive)]


def _has_empty_object(value: Any) -> bool:
    if isinstance(value, dict):
        return not value or any(_has_empty_object(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_empty_object(item) for item in value)
    return False


async def _empty_selection_null(
    operation: GeneratedOperation, ours: Any, hive: Any, context: Context
) -> bool:
    del operation, context
    differences = _differences(ours.get("data"), hive.get("data"))
    return bool(differences) and all(
        theirs is None and _has_empty_object(mine) for mine, theirs in differences
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
        "fragments on abstract types",
        "Hive Gateway mishandles fragments on abstract types nested inside others: one whose type "
        "can never apply where it stands (... on Media inside ... on SearchResult on a Person), or "
        "one on a union at a field of a member type (cast { ... on SearchResult { ... } }); it "
        "nulls the field, or a non-null parent. Asked the same operation with named fragments "
        "inlined, such fragments removed or replaced by their selections (CollectFields gives the "
        "same fields for every object there), it gives our answer.",
        _fragments,
    ),
    KnownDifference(
        "error path at the wrong position",
        "Hive Gateway re-paths some errors of entity fetches below lists to the wrong item (often "
        "the first) or leaves the list index out (['a', 'reviews', 0, 'body'] for ['a', 3, "
        "'reviews', 0, 'body']). A field error's path must name the field that became null; "
        "these name a non-null value, no position at all, one position for several items' "
        "errors, or another item than the one that failed, while ours name the nulls.",
        _error_positions,
        "errors",
    ),
    KnownDifference(
        "invalid subgraph operation",
        "Hive Gateway sends some subgraphs operations that are not valid GraphQL (a fragment it "
        "never defines; a fragment spread where its type can never apply) when fragments on "
        "abstract types nest; the subgraph rejects the document and the fields become null. The "
        "subgraph's own validation error, returned by Hive, says so.",
        _invalid_subgraph_operation,
    ),
    KnownDifference(
        "empty selection answered null",
        "When a field's selection selects nothing for the object it returns (every fragment in it "
        "is on types the object can never have), the spec completes the object as {}; Hive Gateway "
        "answers null instead, and for a non-null field nulls the parents too. Where it differs "
        "from ours, ours holds an empty object there.",
        _empty_selection_null,
        "data",
    ),
)

HIVE_CRASH_REASON = (
    "Hive Gateway exits (unhandled promise rejection 'Cannot return null for non-nullable "
    "field ...') after answering some operations that select a non-null field twice with the "
    "first selection excluded; the run restarts it and resends the operation in flight."
)
