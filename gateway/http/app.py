"""The Starlette application: routes, and a lifespan that loads the supergraph and opens transport.

``create_app(settings)`` is what uvicorn serves. Its lifespan reads ``settings.supergraph_path``,
builds the supergraph, the planner, the pooled subgraph transport and (with ``redis_url``) the
shared plan cache in Redis, and closes them on shutdown. Until the supergraph is loaded
``/health`` answers 503 and ``/graphql`` answers ``SERVICE_NOT_READY``. Tests inject the transport, the supergraph loader and the planner.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.routing import Route, WebSocketRoute

from gateway.caching import RedisPlanStore
from gateway.config import Settings
from gateway.execution import Http11Transport, HttpxTransport, SubgraphTransport
from gateway.http.endpoints import graphql_get, graphql_post, health, liveness, metrics
from gateway.http.explorer import explorer_html, web_dist
from gateway.http.web_app import web_app_routes
from gateway.http.websocket import graphql_ws
from gateway.pipeline import Gateway, Planner, SupergraphLike, supergraph_id_of
from gateway.readiness import ready
from gateway.telemetry import Metrics

__all__ = ["app_from_env", "create_app", "open_transport", "subgraph_urls", "tune_gc"]

logger = logging.getLogger("gateway.http")

SupergraphLoader = Callable[[str], Any]
PlannerFactory = Callable[[Any], Planner]


def _default_loader(sdl: str) -> Any:
    from gateway.supergraph import load_supergraph  # type: ignore[attr-defined,unused-ignore]

    return load_supergraph(sdl)


def _default_planner(supergraph: Any) -> Planner:
    from gateway.planner import QueryPlanner  # type: ignore[attr-defined,unused-ignore]

    planner: Planner = QueryPlanner(supergraph)
    return planner


def subgraph_urls(supergraph: Any, settings: Settings) -> dict[str, str]:
    """Subgraph name → URL: the supergraph's ``join__graph(url:)`` unless settings override it."""
    subgraphs = getattr(supergraph, "subgraphs", {}) or {}
    return {str(name): settings.subgraph_url(str(name), str(info.url)) for name, info in subgraphs.items()}


def open_transport(urls: Mapping[str, str], settings: Settings) -> HttpxTransport | Http11Transport:
    """The pooled subgraph transport ``settings.subgraph_client`` names."""
    factory = HttpxTransport.create if settings.subgraph_client == "httpx" else Http11Transport
    return factory(
        urls,
        timeout=settings.subgraph_timeout,
        max_connections=settings.max_connections,
        max_keepalive_connections=settings.max_keepalive_connections,
        keepalive_expiry=settings.keepalive_expiry,
    )


def create_app(
    settings: Settings,
    *,
    transport: SubgraphTransport | None = None,
    load_supergraph: SupergraphLoader | None = None,
    make_planner: PlannerFactory | None = None,
    metrics_registry: Metrics | None = None,
) -> Starlette:
    """Build the gateway's ASGI application.

    Args:
        settings: The gateway's configuration; ``supergraph_path`` is loaded at startup.
        transport: The subgraph transport; by default a pooled ``HttpxTransport`` opened in the lifespan.
        load_supergraph: ``sdl -> Supergraph``; by default ``gateway.supergraph.load_supergraph``.
        make_planner: ``supergraph -> Planner``; by default ``gateway.planner.QueryPlanner``.
        metrics_registry: Where metrics go; a fresh ``Metrics`` by default.

    Returns:
        The Starlette application.
    """
    app_metrics = metrics_registry or Metrics()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        owned: HttpxTransport | Http11Transport | None = None
        plan_store: RedisPlanStore | None = None
        if settings.supergraph_path is not None:
            sdl = await asyncio.to_thread(Path(settings.supergraph_path).read_text, encoding="utf-8")
            supergraph: SupergraphLike = (load_supergraph or _default_loader)(sdl)
            planner = (make_planner or _default_planner)(supergraph)
            active = transport
            if active is None:
                owned = active = open_transport(subgraph_urls(supergraph, settings), settings)
            if settings.redis_url:
                plan_store = RedisPlanStore.from_url(
                    settings.redis_url,
                    prefix=f"{settings.redis_prefix}:plan:",
                    on_error=app_metrics.plan_cache_redis_error,
                )
            app.state.gateway = Gateway(
                supergraph,
                planner,
                active,
                settings,
                supergraph_id=supergraph_id_of(sdl),
                metrics=app_metrics,
                plan_store=plan_store,
            )
            logger.info("supergraph loaded from %s", settings.supergraph_path)
            # The schema, planner graph and caches live as long as the process: move them out of
            # the collector's sight so full collections stay cheap under load.
            gc.collect()
            gc.freeze()
        try:
            yield
        finally:
            app.state.gateway = None
            if owned is not None:
                await owned.aclose()
            if plan_store is not None:
                await plan_store.aclose()

    app = Starlette(
        routes=[
            Route("/graphql", graphql_post, methods=["POST"]),
            Route("/graphql", graphql_get, methods=["GET"]),
            WebSocketRoute("/graphql", graphql_ws),
            Route("/health", health, methods=["GET"]),
            Route("/readyz", health, methods=["GET"]),
            Route("/ready", ready, methods=["GET"]),
            Route("/healthz", liveness, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.metrics = app_metrics
    app.state.gateway = None
    app.state.explorer_html = explorer_html(web_dist(settings.web_dist)) if settings.graphiql else None
    if settings.web_dist is not None:
        app.router.routes.extend(web_app_routes(Path(settings.web_dist)))
    if settings.partners_path is not None:
        from gateway.partner_api import PartnerApiConfig, mount_partner_api

        mount_partner_api(app, PartnerApiConfig.from_settings(settings))
    return app


def tune_gc() -> None:
    """Collect young objects less often: each response allocates thousands of short-lived dicts.

    Called by the server entry points (not by ``create_app``, which tests also use).
    """
    gc.set_threshold(20_000, 20, 20)


def app_from_env() -> Starlette:
    """Factory for ``uvicorn --factory gateway.http.app:app_from_env`` (multi-worker mode)."""
    tune_gc()
    return create_app(Settings.from_env())
