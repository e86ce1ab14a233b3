"""Turn errors reported by subgraphs into client-facing errors with client paths.

A root fetch's errors already use client response keys; they only get the path prefix of the
object the fetch ran for. An entity fetch reports paths as ``["_entities", i, ...]``; ``i`` is
a (deduplicated) representation, so the error is copied to the path of every object that
representation came from. Every error gets ``extensions.serviceName`` and a code
(``DOWNSTREAM_SERVICE_ERROR`` unless the subgraph gave one).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from graphql import FieldNode, InlineFragmentNode, OperationDefinitionNode, SelectionSetNode, parse

from gateway.errors import ErrorCode, UpstreamError
from gateway.types import JSONObject

__all__ = [
    "MAX_FAILED_FETCH_ERRORS",
    "entity_errors",
    "failed_fetch_errors",
    "root_errors",
    "root_response_keys",
    "upstream_error_to_json",
]

MAX_FAILED_FETCH_ERRORS = 100
"""Errors one failed fetch reports at most; past that, the rest share one error at their common
prefix (a failed fetch for 10,000 objects should not add 10,000 errors to the response)."""


def _with_service(error: Any, service_name: str, path: list[Any] | None) -> JSONObject:
    if not isinstance(error, dict):
        error = {"message": str(error)}
    # ``locations`` refer to the subgraph's document, not the client's, so they are dropped.
    out: JSONObject = {"message": str(error.get("message", "Subgraph error."))}
    if path is not None:
        out["path"] = path
    extensions = error.get("extensions")
    merged: JSONObject = dict(extensions) if isinstance(extensions, dict) else {}
    merged.setdefault("code", ErrorCode.DOWNSTREAM_SERVICE_ERROR.name)
    merged["serviceName"] = service_name
    out["extensions"] = merged
    return out


def root_errors(
    errors: Any, service_name: str, prefix: Sequence[str | int], unanswered: Sequence[str] = ()
) -> list[JSONObject]:
    """Re-path the errors of a root fetch that ran for the object at ``prefix``.

    ``unanswered`` names the root fields of a fetch whose subgraph returned no data at all (it
    refused the request, e.g. a variable its scalar rejects): a pathless error is then the
    reason each of those fields is missing, and is reported at each of their paths.
    """
    if not isinstance(errors, list):
        return []
    out: list[JSONObject] = []
    for error in errors:
        raw_path = error.get("path") if isinstance(error, dict) else None
        if isinstance(raw_path, list):
            out.append(_with_service(error, service_name, [*prefix, *raw_path]))
        elif unanswered:
            out.extend(_with_service(error, service_name, [*prefix, key]) for key in unanswered)
        else:
            out.append(_with_service(error, service_name, None))
    return out


def entity_errors(
    errors: Any,
    service_name: str,
    origins: Sequence[Sequence[JSONObject]],
    paths_of: Callable[[JSONObject], list[list[str | int]]],
    entities_key: str = "_entities",
    other_keys: frozenset[str] | None = None,
) -> list[JSONObject]:
    """Re-path the errors of an ``_entities`` fetch onto the objects each representation came from.

    ``paths_of`` gives an origin object's response paths, every position it sits at (none known:
    the error stays pathless); each error is reported once per position.
    ``entities_key`` is the response key of the ``_entities`` call (an alias in a batch fetch).
    In a batch fetch ``other_keys`` names the other calls: errors under their keys are left to
    them, and with ``other_keys=None`` (every call but the first) errors that belong to no call
    are not repeated.
    """
    if not isinstance(errors, list):
        return []
    out: list[JSONObject] = []
    for error in errors:
        raw_path = error.get("path") if isinstance(error, dict) else None
        if (
            isinstance(raw_path, list)
            and len(raw_path) >= 2
            and raw_path[0] == entities_key
            and isinstance(raw_path[1], int)
            and 0 <= raw_path[1] < len(origins)
        ):
            rest = raw_path[2:]
            unique = {id(origin): origin for origin in origins[raw_path[1]]}
            paths = [[*path, *rest] for origin in unique.values() for path in paths_of(origin)]
            for path in dict.fromkeys(map(tuple, paths)):
                out.append(_with_service(error, service_name, list(path)))
            if not paths:
                out.append(_with_service(error, service_name, None))
        elif entities_key == "_entities" or (
            other_keys is not None
            and not (isinstance(raw_path, list) and raw_path and raw_path[0] in other_keys)
        ):
            out.append(_with_service(error, service_name, None))
    return out


def upstream_error_to_json(exc: UpstreamError, path: Sequence[str | int] | None = None) -> JSONObject:
    """The GraphQL error for a fetch that failed as a whole (unreachable, timeout, bad body)."""
    error = exc.to_json()[0]
    if path:
        error["path"] = list(path)
    return error


def failed_fetch_errors(exc: UpstreamError, paths: Sequence[Sequence[str | int]]) -> list[JSONObject]:
    """The errors of a fetch that failed as a whole: one per response path it was to fill.

    Without any path (nothing was left to fill), one error without a path. Past
    ``MAX_FAILED_FETCH_ERRORS`` paths, the remaining ones share one error at their longest
    common prefix.
    """
    unique: list[list[str | int]] = []
    seen: set[tuple[str | int, ...]] = set()
    for path in paths:
        if tuple(path) not in seen:
            seen.add(tuple(path))
            unique.append(list(path))
    if not unique:
        return [upstream_error_to_json(exc)]
    head, rest = unique[: MAX_FAILED_FETCH_ERRORS - 1], unique[MAX_FAILED_FETCH_ERRORS - 1 :]
    if len(rest) > 1:
        head.append(_common_prefix(rest))
    else:
        head.extend(rest)
    return [upstream_error_to_json(exc, path) for path in head]


def _common_prefix(paths: Sequence[Sequence[str | int]]) -> list[str | int]:
    prefix = list(paths[0])
    for path in paths[1:]:
        size = 0
        while size < min(len(prefix), len(path)) and prefix[size] == path[size]:
            size += 1
        prefix = prefix[:size]
    return prefix


@lru_cache(maxsize=256)
def root_response_keys(operation: str) -> tuple[str, ...]:
    """The response keys of the root fields a root fetch's operation selects (``__typename`` aside)."""
    document = parse(operation, no_location=True)
    definition = next((d for d in document.definitions if isinstance(d, OperationDefinitionNode)), None)
    return tuple(dict.fromkeys(_keys(definition.selection_set))) if definition is not None else ()


def _keys(selection_set: SelectionSetNode) -> list[str]:
    out: list[str] = []
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode) and selection.name.value != "__typename":
            out.append(selection.alias.value if selection.alias else selection.name.value)
        elif isinstance(selection, InlineFragmentNode):
            out.extend(_keys(selection.selection_set))
    return out
