"""Gateway settings: one frozen value built once from the environment (no globals).

``Settings.from_env()`` reads ``GATEWAY_*`` variables; tests build ``Settings(...)`` directly.
Subgraph URLs come from the supergraph's ``join__graph(url:)``; ``subgraph_urls`` overrides them
per subgraph (env ``GATEWAY_SUBGRAPH_URL_<NAME>``, name upper-cased).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = ["DEFAULT_MAX_BODY_BYTES", "DEFAULT_MAX_DEPTH", "SUBGRAPH_URL_ENV_PREFIX", "Settings"]

DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024
DEFAULT_MAX_DEPTH = 15
SUBGRAPH_URL_ENV_PREFIX = "GATEWAY_SUBGRAPH_URL_"

_TRUE = frozenset({"1", "true", "yes", "on"})

_GATEWAY_SET_HEADERS = {
    "x-partner-id": "it names the caller to the subgraphs and the gateway sets it from the API key,"
    " so a client can never choose it.",
    "x-api-key": "the key never leaves the gateway.",
}
"""Headers a client's request may not pass on to subgraphs, and why."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the gateway process is configured with."""

    supergraph_path: str | None = None
    """Path of the supergraph SDL file loaded at startup (``--supergraph``)."""
    host: str = "127.0.0.1"
    port: int = 4000
    workers: int = 1
    dev: bool = False
    """Dev mode: enables ``extensions.queryPlan`` on request."""
    graphiql: bool = True
    """Serve the GraphiQL explorer on ``GET /graphql`` for browsers."""
    web_dist: str | None = None
    """The web app's build (``web/dist``): served at ``/``, and the explorer page comes from it.

    ``--web`` / ``GATEWAY_WEB_DIST``. Without it the app is not served and the explorer is read
    from ``INSURETECH_WEB_DIST`` or the checkout's ``web/dist``."""
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH
    subgraph_client: str = "native"
    """Subgraph HTTP client: ``"native"`` (``Http11Transport``, lean) or ``"httpx"`` (``HttpxTransport``)."""
    subgraph_timeout: float = 30.0
    """Seconds one subgraph request may take (connect + response)."""
    max_connections: int = 256
    """Upper bound of pooled connections to all subgraphs together."""
    max_keepalive_connections: int = 128
    keepalive_expiry: float = 4.0
    """Seconds an idle subgraph connection is reused; below the subgraphs' keep-alive (uvicorn: 5 s)."""
    plan_cache_size: int = 1024
    document_cache_size: int = 1024
    dedupe_inflight: bool = False
    """Share one execution between identical in-flight queries (same document, variables, name)."""
    forward_headers: tuple[str, ...] = ()
    """Client request headers passed on to subgraphs (lower-case names, e.g. ``authorization``).

    Never ``x-partner-id`` (the gateway sets it from the API key) nor ``x-api-key``."""
    subgraph_urls: Mapping[str, str] = field(default_factory=dict)
    """Per-subgraph URL overrides, keyed by subgraph name (case-insensitive)."""
    partners_path: str | None = None
    """The partner file (``--partners`` / ``PARTNERS_FILE``); with it ``/graphql`` needs ``X-API-Key``."""
    rest_path: str | None = None
    """REST routes from persisted operations (``--rest`` / ``REST_FILE``), served under ``/api/v1``."""
    redis_url: str | None = None
    """``REDIS_URL``: partner rate limits and APQ bodies shared by every replica (memory without it)."""
    redis_prefix: str = "insuretech"
    """Namespace of the gateway's Redis keys (``GATEWAY_REDIS_PREFIX``)."""
    shutdown_timeout: float = 25.0
    """Seconds in-flight requests get to finish after SIGTERM (below Kubernetes' grace period)."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from ``GATEWAY_*`` variables, then apply ``overrides``.

        Args:
            environ: The environment to read; ``os.environ`` by default.
            overrides: Field values that win over the environment (CLI flags).

        Raises:
            ValueError: A variable holds a value of the wrong type.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name, kind in _ENV_FIELDS.items():
            raw = env.get(f"GATEWAY_{name.upper()}")
            if raw is None:
                continue
            try:
                values[name] = raw.lower() in _TRUE if kind is bool else kind(raw)
            except ValueError as exc:
                raise ValueError(
                    f"Environment variable 'GATEWAY_{name.upper()}' must be a {kind.__name__}, got {raw!r}."
                ) from exc
        for name, variable in _PLAIN_ENV.items():
            if env.get(variable) and name not in values:
                values[name] = env[variable]
        forwarded = env.get("GATEWAY_FORWARD_HEADERS")
        if forwarded:
            values["forward_headers"] = tuple(h.strip().lower() for h in forwarded.split(",") if h.strip())
        urls = {
            key[len(SUBGRAPH_URL_ENV_PREFIX) :].lower(): value
            for key, value in env.items()
            if key.startswith(SUBGRAPH_URL_ENV_PREFIX) and value
        }
        if urls:
            values["subgraph_urls"] = urls
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def __post_init__(self) -> None:
        if self.subgraph_client not in ("native", "httpx"):
            raise ValueError(f"subgraph_client must be 'native' or 'httpx', got {self.subgraph_client!r}.")
        if self.max_body_bytes < 1 or self.max_depth < 1:
            raise ValueError("max_body_bytes and max_depth must be positive.")
        for name in self.forward_headers:
            if name.lower() in _GATEWAY_SET_HEADERS:
                raise ValueError(
                    f"forward_headers may not name {name!r}: {_GATEWAY_SET_HEADERS[name.lower()]} "
                    "Remove it from GATEWAY_FORWARD_HEADERS."
                )

    def with_changes(self, **changes: Any) -> Settings:
        """Return a copy with some fields replaced."""
        return replace(self, **changes)

    def subgraph_url(self, name: str, default: str) -> str:
        """The URL to use for subgraph ``name``: the override if one is set, else ``default``.

        Env names cannot hold ``-``, so ``client-info`` is also looked up as ``client_info``.
        """
        for key in (name, name.lower(), name.lower().replace("-", "_")):
            url = self.subgraph_urls.get(key)
            if url:
                return url
        return default


_ENV_FIELDS: dict[str, type] = {
    "supergraph_path": str,
    "host": str,
    "port": int,
    "workers": int,
    "dev": bool,
    "graphiql": bool,
    "web_dist": str,
    "max_body_bytes": int,
    "max_depth": int,
    "subgraph_client": str,
    "subgraph_timeout": float,
    "max_connections": int,
    "max_keepalive_connections": int,
    "keepalive_expiry": float,
    "plan_cache_size": int,
    "document_cache_size": int,
    "dedupe_inflight": bool,
    "partners_path": str,
    "rest_path": str,
    "redis_url": str,
    "redis_prefix": str,
    "shutdown_timeout": float,
}

# Conventional unprefixed names, read when the GATEWAY_* variable is not set.
_PLAIN_ENV: dict[str, str] = {
    "partners_path": "PARTNERS_FILE",
    "rest_path": "REST_FILE",
    "redis_url": "REDIS_URL",
}
