"""Turn errors reported by subgraphs into client-facing errors with client paths.

A root fetch's errors already use client response keys; they only get the path prefix of the
object the fetch ran for. An entity fetch reports paths as ``["_entities", i, ...]``; ``i`` is
a (deduplicated) representation, so the error is copied to the path of every object that
representation came from. Every error gets ``extensions.serviceName`` and a code
(``DOWNSTREAM_SERVICE_ERROR`` unless the subgraph gave one).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from gateway.errors import ErrorCode, UpstreamError
from gateway.types import JSONObject

__all__ = ["entity_errors", "root_errors", "upstream_error_to_json"]


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


def root_errors(errors: Any, service_name: str, prefix: Sequence[str | int]) -> list[JSONObject]:
    """Re-path the errors of a root fetch that ran for the object at ``prefix``."""
    if not isinstance(errors, list):
        return []
    out: list[JSONObject] = []
    for error in errors:
        raw_path = error.get("path") if isinstance(error, dict) else None
        path = [*prefix, *raw_path] if isinstance(raw_path, list) else None
        out.append(_with_service(error, service_name, path))
    return out


def entity_errors(
    errors: Any,
    service_name: str,
    origins: Sequence[Sequence[JSONObject]],
    path_of: Callable[[JSONObject], list[str | int] | None],
    entities_key: str = "_entities",
    other_keys: frozenset[str] | None = None,
) -> list[JSONObject]:
    """Re-path the errors of an ``_entities`` fetch onto the objects each representation came from.

    ``path_of`` gives an origin object's response path (``None``: unknown, the error stays pathless).
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
            for origin in origins[raw_path[1]]:
                origin_path = path_of(origin)
                path = None if origin_path is None else [*origin_path, *rest]
                out.append(_with_service(error, service_name, path))
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
