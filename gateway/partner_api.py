"""The partner API on the gateway's Starlette app: keyed ``/graphql`` and REST under ``/api/v1``.

``mount_partner_api(app, config)`` adds, in front of the plain GraphQL endpoints, a ``/graphql``
that requires ``X-API-Key`` and runs requests through the ``PartnerGate``; the REST routes of
``rest.yaml`` and ``/api/v1/openapi.json``; and a lifespan step that, once the supergraph is
loaded, builds the persisted catalog (every manifest operation prepared and planned), opens
Redis for the shared rate limits and APQ store, and re-reads the partner file every few seconds
(an invalid change is logged and the last good config stays in force).

With a partner file configured every ``/graphql`` client needs a key; the B2C web app is a
first-party entry with ``persisted_only: false`` (free-form documents and APQ allowed).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from graphql import GraphQLSchema
from redis.asyncio import Redis
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from gateway.config import Settings
from gateway.errors import (
    BadRequest,
    GatewayError,
    OperationNotFound,
    ServiceNotReady,
    Unauthenticated,
    UnsupportedMediaType,
    to_graphql_errors,
)
from gateway.http.endpoints import graphql_get
from gateway.http.request import JSON, negotiate_media_type, object_param, read_body, wants_html
from gateway.partner_errors import PartnerRateLimited
from gateway.partner_gate import API_KEY_HEADER, OperationRequest, PartnerGate, forwarded_headers
from gateway.partners import Partner, RegistrySource, load_registry
from gateway.persisted_queries import (
    InMemoryPersistedQueryStore,
    PersistedQueryStore,
    RedisPersistedQueryStore,
)
from gateway.pipeline import Gateway, GraphQLRequest, GraphQLResponse
from gateway.ratelimit import PartnerRateLimiter, rate_limit_headers
from gateway.rest.endpoint import RestBinding, bind_routes, openapi_document, rest_routes
from gateway.rest.routes import RestConfigError, RestRoute, load_routes
from gateway.types import JSONObject

__all__ = [
    "REST_PREFIX",
    "PartnerApi",
    "PartnerApiConfig",
    "mount_partner_api",
    "open_partner_api",
    "operation_request_from_params",
    "partner_graphql_get",
    "partner_graphql_post",
]

_log = logging.getLogger(__name__)

REST_PREFIX = "/api/v1"
_LEGACY_200 = frozenset({"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT"})


@dataclass(frozen=True, slots=True)
class PartnerApiConfig:
    """Where the partner API's configuration and shared state live."""

    partners_path: str
    """The partner file (``--partners`` / ``PARTNERS_FILE``)."""
    rest_path: str | None = None
    """``rest.yaml`` (``--rest`` / ``REST_FILE``); no REST routes without it."""
    redis_url: str | None = None
    """``REDIS_URL``: rate-limit windows and APQ bodies shared by all replicas; memory without it."""
    redis_prefix: str = "insuretech"
    """Namespace of every Redis key (``GATEWAY_REDIS_PREFIX``)."""
    reload_seconds: float = 2.0
    """How often the partner file is checked for changes."""

    @classmethod
    def from_settings(cls, settings: Settings) -> PartnerApiConfig:
        """The partner API's part of the gateway settings (``partners_path`` must be set)."""
        assert settings.partners_path is not None
        return cls(settings.partners_path, settings.rest_path, settings.redis_url, settings.redis_prefix)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> PartnerApiConfig | None:
        """Read ``PARTNERS_FILE``, ``REST_FILE``, ``REDIS_URL``, ``GATEWAY_REDIS_PREFIX``; ``None`` without a partner file."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {
            "partners_path": env.get("PARTNERS_FILE"),
            "rest_path": env.get("REST_FILE"),
            "redis_url": env.get("REDIS_URL"),
        }
        if env.get("GATEWAY_REDIS_PREFIX"):
            values["redis_prefix"] = env["GATEWAY_REDIS_PREFIX"]
        values.update({k: v for k, v in overrides.items() if v is not None})
        if not values["partners_path"]:
            return None
        return cls(**values)


@dataclass(slots=True)
class PartnerApi:
    """The running partner API: the gate, the REST bindings and their OpenAPI document."""

    gate: PartnerGate
    routes: tuple[RestRoute, ...] = ()
    rest_bindings: Mapping[str, RestBinding] = field(default_factory=dict)
    openapi: JSONObject = field(default_factory=dict)
    redis: Redis | None = None

    def bind(self) -> None:
        """(Re)bind the REST routes to the catalog in force and rebuild the OpenAPI document.

        Raises:
            RestConfigError: A route does not fit its operation.
        """
        bindings = bind_routes(self.routes, self.gate.catalog)
        schema: GraphQLSchema = self.gate.gateway.schema
        self.openapi = openapi_document(schema, bindings)
        self.rest_bindings = bindings

    def reload_if_changed(self) -> bool:
        """Apply a changed partner file (and rebind REST); keep the last good config on errors."""
        if not self.gate.reload_if_changed():
            return False
        try:
            self.bind()
        except (RestConfigError, ValueError) as exc:
            _log.error("REST routes no longer fit the reloaded partner file; keeping the old routes: %s", exc)
        _log.info("partner API reloaded: %d partners", len(self.gate.registry.partners))
        return True

    async def watch(self, interval: float) -> None:
        """Check the partner file every ``interval`` seconds, forever."""
        while True:
            await asyncio.sleep(interval)
            try:
                self.reload_if_changed()
            except Exception:  # never let the watcher die
                _log.exception("checking the partner file failed")

    async def aclose(self) -> None:
        """Close Redis connections."""
        await self.gate.limiter.aclose()
        if self.redis is not None:
            await self.redis.aclose()

    async def run_graphql(
        self,
        partner: Partner,
        request: OperationRequest,
        method: str,
        headers: tuple[tuple[str, str], ...] = (),
    ) -> GraphQLResponse:
        """Resolve and run one GraphQL request of an authenticated, admitted partner.

        ``headers`` go to the subgraphs (see ``forwarded_headers``).
        """
        gate = self.gate
        resolved = await gate.resolve(partner, request)
        entry = resolved.entry
        if entry is not None:
            if request.operation_name is not None and request.operation_name != entry.op_key:
                raise OperationNotFound(
                    f"The persisted operation is named {entry.op_key!r}, not {request.operation_name!r}."
                )
            gate.check_persisted(partner, entry, request.variables)
            return await gate.run_persisted(entry, request.variables, method=method, headers=headers)
        free_form = OperationRequest(resolved.query, request.variables, request.operation_name)
        gate.check_free_form(gate.limits_of(partner), free_form)
        request_id = dict(headers).get("x-request-id")
        graphql_request = GraphQLRequest(
            resolved.query or "",
            request.variables,
            request.operation_name,
            request.extensions,
            tuple(h for h in headers if h[0] != "x-request-id"),
            request_id,
        )
        return await gate.gateway.run(graphql_request, method=method)


async def open_partner_api(gateway: Gateway, config: PartnerApiConfig) -> PartnerApi:
    """Build the partner API for a loaded gateway: catalog, Redis, REST bindings.

    Raises:
        PartnerConfigError: The partner file or a manifest operation is invalid.
        RestConfigError: ``rest.yaml`` is invalid or does not fit the operations.
    """
    source = RegistrySource(Path(config.partners_path))
    limiter = PartnerRateLimiter(config.redis_url, key_prefix=f"{config.redis_prefix}-rl")
    redis: Redis | None = None
    apq: PersistedQueryStore = InMemoryPersistedQueryStore()
    if config.redis_url:
        redis = Redis.from_url(config.redis_url, socket_connect_timeout=0.25, socket_timeout=0.5)
        apq = RedisPersistedQueryStore(redis, prefix=f"{config.redis_prefix}:apq:")
    try:
        gate = PartnerGate(gateway, source, limiter, apq)
        routes = load_routes(Path(config.rest_path)) if config.rest_path else ()
        api = PartnerApi(gate, routes, redis=redis)
        api.bind()
    except BaseException:
        await limiter.aclose()
        if redis is not None:
            await redis.aclose()
        raise
    _log.info(
        "partner API ready: %d partners, %d persisted operations, %d REST routes, rate limits %s",
        len(gate.registry.partners),
        len({e.sha256 for e in gate.catalog.by_ref.values()}),
        len(routes),
        "shared via Redis" if config.redis_url else "per process",
    )
    return api


def _request_id(request: Request) -> str:
    return request.headers.get("x-request-id") or uuid.uuid4().hex


def _api(request: Request) -> PartnerApi:
    api: PartnerApi | None = getattr(request.app.state, "partner_api", None)
    if api is None:
        raise ServiceNotReady(
            "The gateway is starting and has not loaded its partner API yet; retry shortly."
        )
    return api


def operation_request_from_params(params: Mapping[str, Any], *, json_encoded: bool) -> OperationRequest:
    """Validate request parameters; unlike plain GraphQL, ``query`` may be absent (persisted hash).

    Raises:
        BadRequest: A parameter has the wrong type.
    """
    query = params.get("query")
    if query is not None and not isinstance(query, str):
        raise BadRequest("'query' must be a string.")
    name = params.get("operationName") or None
    if name is not None and not isinstance(name, str):
        raise BadRequest("'operationName' must be a string or null.")
    return OperationRequest(
        query or None,
        object_param(params, "variables", json_encoded),
        name,
        object_param(params, "extensions", json_encoded),
    )


def _error_response(exc: Exception, media_type: str, request_id: str, headers: Mapping[str, str]) -> Response:
    errors = to_graphql_errors(exc, request_id)
    status = exc.status if isinstance(exc, GatewayError) and exc.expose else 500
    if media_type == JSON and isinstance(exc, GatewayError) and exc.code.name in _LEGACY_200:
        status = 200
    out = dict(headers)
    if isinstance(exc, PartnerRateLimited):
        out.update(exc.headers)
    elif isinstance(exc, Unauthenticated):
        out["www-authenticate"] = 'ApiKey header="X-API-Key"'
    out["x-request-id"] = request_id
    return Response(orjson.dumps({"errors": errors}), status, out, media_type)


async def _handle(request: Request, method: str) -> Response:
    request_id = _request_id(request)
    media_type = JSON
    headers: dict[str, str] = {}
    try:
        media_type = negotiate_media_type(request.headers.get("accept"))
        api = _api(request)
        partner = api.gate.authenticate(request.headers.get(API_KEY_HEADER))
        headers = rate_limit_headers(await api.gate.rate_limit(partner))
        if method == "POST":
            body = await read_body(request, request.app.state.settings.max_body_bytes)
            media = (request.headers.get("content-type") or "").split(";", 1)[0].strip().lower()
            if media and media != JSON and not media.endswith("+json"):
                raise UnsupportedMediaType(
                    f"POST requests must have 'Content-Type: application/json', got {media!r}."
                )
            try:
                params = orjson.loads(body)
            except orjson.JSONDecodeError as exc:
                raise BadRequest(f"The request body is not valid JSON: {exc}.") from exc
            if isinstance(params, list):
                raise BadRequest(
                    "Batched requests (a JSON array) are not supported; send one request object."
                )
            if not isinstance(params, dict):
                raise BadRequest(
                    "The request body must be a JSON object with a 'query' or a persisted query hash."
                )
            operation = operation_request_from_params(params, json_encoded=False)
        else:
            operation = operation_request_from_params(dict(request.query_params), json_encoded=True)
        settings: Settings = request.app.state.settings
        forwarded = forwarded_headers(settings.forward_headers, request.headers, partner, request_id)
        async with api.gate.in_flight(partner):
            response = await api.run_graphql(partner, operation, method, forwarded)
        headers["x-request-id"] = request_id
        return Response(orjson.dumps(response.payload), 200, headers, media_type)
    except Exception as exc:
        return _error_response(exc, media_type, request_id, headers)


async def partner_graphql_post(request: Request) -> Response:
    """``POST /graphql`` with ``X-API-Key``."""
    return await _handle(request, "POST")


async def partner_graphql_get(request: Request) -> Response:
    """``GET /graphql`` with ``X-API-Key`` (queries only); browsers without a query get GraphiQL."""
    params = request.query_params
    if wants_html(request.headers.get("accept")) and "query" not in params and "extensions" not in params:
        return await graphql_get(request)
    return await _handle(request, "GET")


def mount_partner_api(app: Starlette, config: PartnerApiConfig) -> None:
    """Add the partner API to the gateway app built by ``create_app``.

    The partner file and ``rest.yaml`` are validated here, so a bad file stops the process before
    it listens; manifest operations are prepared in the lifespan, once the supergraph is loaded.

    Raises:
        PartnerConfigError, RestConfigError: naming the bad entry.
    """
    load_registry(Path(config.partners_path))
    routes = load_routes(Path(config.rest_path)) if config.rest_path else ()
    extra: list[BaseRoute] = [
        Route("/graphql", partner_graphql_post, methods=["POST"]),
        Route("/graphql", partner_graphql_get, methods=["GET"]),
        *rest_routes(routes, REST_PREFIX),
    ]
    app.router.routes[0:0] = extra
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(started: Starlette) -> AsyncIterator[Any]:
        async with inner(started) as state:
            gateway: Gateway | None = started.state.gateway
            api = await open_partner_api(gateway, config) if gateway is not None else None
            started.state.partner_api = api
            watcher = asyncio.create_task(api.watch(config.reload_seconds)) if api is not None else None
            try:
                yield state
            finally:
                started.state.partner_api = None
                if watcher is not None:
                    watcher.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await watcher
                if api is not None:
                    await api.aclose()

    app.router.lifespan_context = lifespan
    app.state.partner_api = None
