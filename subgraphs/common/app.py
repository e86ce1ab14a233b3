"""The Starlette application shared by the three subgraphs.

Routes: ``/graphql`` (GraphQL over HTTP and graphql-transport-ws, served by Strawberry; browsers
get the offline GraphiQL page of ``subgraphs.common.explorer``),
``GET /health`` (200 when the backend's gRPC health check answers SERVING, else 503: readiness),
``GET /healthz`` (200 while the process serves: liveness, never restarted for a backend outage) and
``GET /metrics`` (Prometheus). The lifespan opens the backend's single ``grpc.aio`` channel
at startup and closes it at shutdown; the context getter builds fresh loaders per request, over
a client bound to the request's caller (the ``x-partner-id`` header the gateway sets), so every
backend call of the request carries it as gRPC metadata (``grpc_clients.caller``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import grpc
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, ProcessCollector, generate_latest
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.federation import Schema

from grpc_clients.base import BackendClient
from grpc_clients.caller import InvalidCallerError, caller_from_headers
from grpc_clients.channels import ChannelSettings, open_channel, settings_from_env
from grpc_clients.health import check_serving
from grpc_clients.metrics import ClientMetrics
from resolvers.context import RequestContext, new_request_id
from subgraphs.common.explorer import subgraph_explorer_html

__all__ = ["SubgraphRuntime", "create_subgraph_app"]

C = TypeVar("C", bound=BackendClient)
L = TypeVar("L")


@dataclass(slots=True)
class SubgraphRuntime(Generic[C]):
    """What lives as long as the app: the backend channel and client, and the metrics."""

    name: str
    settings: ChannelSettings
    registry: CollectorRegistry
    metrics: ClientMetrics
    channel: grpc.aio.Channel | None = None
    client: C | None = None

    def require_client(self) -> C:
        """The started backend client; a clear error when the lifespan did not run."""
        if self.client is None:
            raise RuntimeError(
                f"The {self.name!r} subgraph has no backend channel; run the app with its lifespan "
                "(uvicorn does; in tests use `async with app.router.lifespan_context(app)`)."
            )
        return self.client


class _SubgraphGraphQL(GraphQL[RequestContext[Any], None]):
    def __init__(
        self, schema: Schema, make_context: Callable[[Request | WebSocket, Any], RequestContext[Any]]
    ):
        super().__init__(schema)
        self._make_context = make_context

    async def get_context(self, request: Request | WebSocket, response: Any) -> RequestContext[Any]:
        return self._make_context(request, response)

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(subgraph_explorer_html())


class _KnownCallersOnly:
    """Refuse a request whose ``x-partner-id`` is no partner id: 400, or close 4400 on a socket.

    Only the gateway sets the header, so a malformed one is a fault, and the request must not
    run — least of all as the first party, which the absence of the header means.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            caller_from_headers(Headers(scope=scope))
        except InvalidCallerError as error:
            if scope["type"] == "websocket":
                await WebSocket(scope, receive, send).close(code=4400, reason="Invalid x-partner-id")
                return
            body = {"errors": [{"message": str(error), "extensions": {"code": "BAD_REQUEST"}}]}
            await JSONResponse(body, status_code=400)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def create_subgraph_app(
    *,
    name: str,
    schema: Schema,
    client_type: type[C],
    make_loaders: Callable[[C], L],
    settings: ChannelSettings | None = None,
    registry: CollectorRegistry | None = None,
) -> Starlette:
    """Build a subgraph's ASGI app around its schema and its backend.

    Args:
        name: the subgraph name (``client_info``).
        schema: the Strawberry federation schema.
        client_type: the typed backend client class; its ``spec`` names the backend.
        make_loaders: builds the per-request loaders container from the client.
        settings: where the backend is; default from the environment (``spec.env_var``).
        registry: the Prometheus registry ``/metrics`` serves; a fresh one by default, so
            several apps in one process (tests) never collide.
    """
    spec = client_type.spec
    if registry is None:
        registry = CollectorRegistry()
        ProcessCollector(registry=registry)
    runtime: SubgraphRuntime[C] = SubgraphRuntime(
        name=name,
        settings=settings or settings_from_env(spec),
        registry=registry,
        metrics=ClientMetrics.create(registry),
    )

    def make_context(request: Request | WebSocket, response: Any) -> RequestContext[L]:
        request_id = request.headers.get("x-request-id") or new_request_id()
        # A malformed partner id raises here (the request fails): never fall back to first party.
        caller = caller_from_headers(request.headers)
        client = runtime.require_client().for_caller(caller)
        return RequestContext(
            loaders=make_loaders(client),
            request=request,
            response=response,
            request_id=request_id,
            make_loaders=lambda: make_loaders(client),
            caller=caller,
        )

    graphql_app = _KnownCallersOnly(_SubgraphGraphQL(schema, make_context))

    async def health(_request: Request) -> Response:
        serving = runtime.channel is not None and await check_serving(runtime.channel, spec.service_name)
        status = "SERVING" if serving else "NOT_SERVING"
        return JSONResponse(
            {"status": status, "subgraph": name, "backend": spec.service_name},
            status_code=200 if serving else 503,
        )

    async def liveness(_request: Request) -> Response:
        return JSONResponse({"status": "alive", "subgraph": name})

    async def metrics(_request: Request) -> Response:
        return Response(generate_latest(runtime.registry), media_type=CONTENT_TYPE_LATEST)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        runtime.channel = open_channel(spec, runtime.settings, runtime.metrics)
        runtime.client = client_type(runtime.channel)
        try:
            yield
        finally:
            channel, runtime.channel, runtime.client = runtime.channel, None, None
            await channel.close()

    app = Starlette(
        routes=[
            Route("/graphql", graphql_app, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql_app),
            Route("/health", health, methods=["GET"]),
            Route("/healthz", liveness, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    return app
