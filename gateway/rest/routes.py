"""``deploy/rest.yaml``: REST routes, each bound to one persisted operation.

A route names its operation (manifest id or operation name) and says where each variable comes
from: path parameters (``/applications/{id}`` → ``$id``), query parameters, the JSON body as one
variable (``body: input``), or fields of the JSON body (``body_fields: [reason]``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["RestConfigError", "RestRoute", "load_routes", "parse_routes"]

_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
_PATH = re.compile(r"^(/[A-Za-z0-9_.\-]+|/\{[A-Za-z_][A-Za-z0-9_]*\})+$")
_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class RestConfigError(ValueError):
    """``rest.yaml`` is invalid; the message names the route."""


@dataclass(frozen=True, slots=True)
class RestRoute:
    """One REST endpoint backed by a persisted operation."""

    name: str
    """OpenAPI ``operationId``."""
    method: str
    path: str
    """Relative to the REST prefix (``/api/v1``), with ``{param}`` segments."""
    operation: str
    """The persisted operation's manifest id or operation name."""
    query: Mapping[str, str] = field(default_factory=dict)
    """Query parameter → variable."""
    body: str | None = None
    """Variable that receives the whole JSON body."""
    body_fields: tuple[str, ...] = ()
    """Body object fields passed as variables of the same names."""
    status: int = 200
    replay_flag: str | None = None
    """A boolean result field (e.g. ``created``); when it is false the request was an idempotent
    replay and the response is 200 instead of ``status``."""
    summary: str = ""

    @property
    def path_params(self) -> tuple[str, ...]:
        """Names of the ``{param}`` segments, which are variables of the same names."""
        return tuple(_PARAM.findall(self.path))

    @property
    def specificity(self) -> tuple[int, int]:
        """Sort key: literal segments before parameters, so ``/a/search`` wins over ``/a/{id}``."""
        segments = self.path.strip("/").split("/")
        return (-sum(not s.startswith("{") for s in segments), len(segments))


def _route(raw: Any, index: int) -> RestRoute:
    where = f"routes[{index}]"
    if not isinstance(raw, dict):
        raise RestConfigError(f"{where} must be a mapping with 'method', 'path' and 'operation'.")
    method = str(raw.get("method", "")).upper()
    path = raw.get("path")
    operation = raw.get("operation")
    if method not in _METHODS:
        raise RestConfigError(
            f"{where}: 'method' must be one of {sorted(_METHODS)}, got {raw.get('method')!r}."
        )
    if not isinstance(path, str) or not _PATH.match(path):
        raise RestConfigError(f"{where}: 'path' must look like '/applications/{{id}}', got {path!r}.")
    where = f"{where} ({method} {path})"
    if not isinstance(operation, str) or not operation:
        raise RestConfigError(f"{where}: 'operation' must name a persisted operation.")
    query = raw.get("query", {})
    if isinstance(query, list):
        query = {name: name for name in query}
    if not isinstance(query, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in query.items()
    ):
        raise RestConfigError(f"{where}: 'query' must map query parameters to variable names.")
    body = raw.get("body")
    body_fields = raw.get("body_fields", [])
    if body is not None and not isinstance(body, str):
        raise RestConfigError(f"{where}: 'body' must be a variable name.")
    if not isinstance(body_fields, list) or not all(isinstance(f, str) for f in body_fields):
        raise RestConfigError(f"{where}: 'body_fields' must be a list of variable names.")
    if (body or body_fields) and method == "GET":
        raise RestConfigError(f"{where}: a GET route cannot take a body.")
    status = raw.get("status", 200)
    if not isinstance(status, int) or not 200 <= status < 300:
        raise RestConfigError(f"{where}: 'status' must be a 2xx code.")
    replay_flag = raw.get("replay_flag")
    if replay_flag is not None and not isinstance(replay_flag, str):
        raise RestConfigError(f"{where}: 'replay_flag' must name a boolean field of the result.")
    name = raw.get("name") or operation[0].lower() + operation[1:]
    return RestRoute(
        name=str(name),
        method=method,
        path=path,
        operation=operation,
        query=dict(query),
        body=body,
        body_fields=tuple(body_fields),
        status=status,
        replay_flag=replay_flag,
        summary=str(raw.get("summary", "")),
    )


def parse_routes(document: Any) -> tuple[RestRoute, ...]:
    """Validate a parsed ``rest.yaml``; routes come back most specific first."""
    if not isinstance(document, dict) or not isinstance(document.get("routes"), list):
        raise RestConfigError("rest.yaml must be a mapping with a 'routes' list.")
    routes = [_route(raw, index) for index, raw in enumerate(document["routes"])]
    seen: set[tuple[str, str]] = set()
    names: set[str] = set()
    for route in routes:
        key = (route.method, _PARAM.sub("{}", route.path))
        if key in seen:
            raise RestConfigError(f"Two routes answer {route.method} {route.path}.")
        if route.name in names:
            raise RestConfigError(f"Two routes are named {route.name!r}; names are OpenAPI operationIds.")
        seen.add(key)
        names.add(route.name)
    return tuple(sorted(routes, key=lambda r: r.specificity))


def load_routes(path: Path) -> tuple[RestRoute, ...]:
    """Read and validate ``rest.yaml``."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RestConfigError(f"Cannot read {str(path)!r}: {exc.strerror}.") from exc
    except yaml.YAMLError as exc:
        raise RestConfigError(f"{str(path)!r} is not valid YAML: {exc}.") from exc
    return parse_routes(document)
