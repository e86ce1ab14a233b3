"""Starlette endpoints: ``/graphql`` (GET, POST, GraphiQL), ``/health`` and ``/metrics``.

Only HTTP concerns live here: media types, status codes, headers, request ids. The GraphQL
work is ``Gateway.run``. With ``Accept: application/graphql-response+json`` a request error
gets its code's 4xx status; with ``application/json`` parse, validation and variable errors are
answered with 200, as the spec's legacy rules say.

See https://graphql.github.io/graphql-over-http/draft/#sec-Response
"""

from __future__ import annotations

import itertools
import logging
import uuid
from dataclasses import replace

import orjson
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from gateway.config import Settings
from gateway.errors import (
    ErrorCode,
    GatewayError,
    MethodNotAllowed,
    RateLimited,
    ServiceNotReady,
    to_graphql_errors,
)
from gateway.http.request import (
    JSON,
    negotiate_media_type,
    read_body,
    request_from_body,
    request_from_query_params,
    wants_html,
)
from gateway.pipeline import Gateway, GraphQLRequest
from gateway.telemetry import METRICS_CONTENT_TYPE, Metrics

__all__ = ["graphql_get", "graphql_post", "health", "liveness", "metrics"]

logger = logging.getLogger("gateway.http")

_LEGACY_200 = frozenset(
    {ErrorCode.GRAPHQL_PARSE_FAILED, ErrorCode.GRAPHQL_VALIDATION_FAILED, ErrorCode.BAD_USER_INPUT}
)


# Request ids: a random per-process prefix and a counter (uuid4 per request costs a syscall).
_ID_PREFIX = uuid.uuid4().hex[:12]
_id_counter = itertools.count(1)


def _request_id(request: Request) -> str:
    return request.headers.get("x-request-id") or f"{_ID_PREFIX}-{next(_id_counter):x}"


def _json(payload: object, status: int, media_type: str, request_id: str) -> Response:
    return Response(orjson.dumps(payload), status, {"x-request-id": request_id}, media_type)


def _error_response(exc: BaseException, media_type: str, request_id: str) -> Response:
    errors = to_graphql_errors(exc, request_id)
    if isinstance(exc, GatewayError) and exc.expose:
        status = exc.status
        if media_type == JSON and exc.code in _LEGACY_200:
            status = 200
    else:
        status = 500
    response = _json({"errors": errors}, status, media_type, request_id)
    if isinstance(exc, MethodNotAllowed):
        response.headers["allow"] = "POST"
    elif isinstance(exc, RateLimited):
        response.headers["retry-after"] = str(max(1, round(exc.retry_after)))
    return response


def _gateway(request: Request) -> Gateway:
    gateway: Gateway | None = request.app.state.gateway
    if gateway is None:
        raise ServiceNotReady("The gateway is starting and has not loaded its supergraph yet; retry shortly.")
    return gateway


def _include_plan(request: Request, graphql_request: GraphQLRequest) -> bool:
    settings: Settings = request.app.state.settings
    if not settings.dev:
        return False
    if request.headers.get("x-query-plan", "").lower() == "true":
        return True
    extensions = graphql_request.extensions
    return bool(extensions and extensions.get("queryPlan") is True)


async def _run(
    request: Request, graphql_request: GraphQLRequest, method: str, media_type: str, rid: str
) -> Response:
    gateway = _gateway(request)
    settings: Settings = request.app.state.settings
    forwarded = tuple(
        (name, value) for name in settings.forward_headers if (value := request.headers.get(name)) is not None
    )
    graphql_request = replace(graphql_request, forward_headers=forwarded, request_id=rid)
    response = await gateway.run(
        graphql_request, method=method, include_plan=_include_plan(request, graphql_request)
    )
    return _json(response.payload, 200, media_type, rid)


async def graphql_post(request: Request) -> Response:
    """``POST /graphql`` with a JSON body."""
    rid = _request_id(request)
    media_type = JSON
    try:
        media_type = negotiate_media_type(request.headers.get("accept"))
        settings: Settings = request.app.state.settings
        body = await read_body(request, settings.max_body_bytes)
        graphql_request = request_from_body(body, request.headers.get("content-type"))
        return await _run(request, graphql_request, "POST", media_type, rid)
    except Exception as exc:
        return _error_response(exc, media_type, rid)


async def graphql_get(request: Request) -> Response:
    """``GET /graphql``: a query in the URL, or the GraphiQL explorer for browsers."""
    accept = request.headers.get("accept")
    if wants_html(accept) and "query" not in request.query_params:
        html: str | None = request.app.state.explorer_html
        if html is not None:
            return HTMLResponse(html)
    rid = _request_id(request)
    media_type = JSON
    try:
        media_type = negotiate_media_type(accept)
        graphql_request = request_from_query_params(request.query_params)
        return await _run(request, graphql_request, "GET", media_type, rid)
    except Exception as exc:
        return _error_response(exc, media_type, rid)


async def liveness(request: Request) -> Response:
    """``GET /healthz``: 200 while the process serves requests (Kubernetes liveness probe)."""
    return Response(b'{"status":"alive"}', 200, media_type=JSON)


async def health(request: Request) -> Response:
    """``GET /health`` and ``/readyz``: 200 once the supergraph is loaded, 503 before (readiness)."""
    if request.app.state.gateway is None:
        return Response(b'{"status":"starting"}', 503, media_type=JSON)
    return Response(b'{"status":"ok"}', 200, media_type=JSON)


async def metrics(request: Request) -> Response:
    """``GET /metrics`` in Prometheus' text format."""
    registry: Metrics = request.app.state.metrics
    return Response(registry.render(), 200, media_type=METRICS_CONTENT_TYPE)
