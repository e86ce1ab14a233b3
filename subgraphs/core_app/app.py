"""The core_app subgraph's ASGI app (GraphQL and subscriptions at /graphql, /health, /metrics)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry
from starlette.applications import Starlette

from grpc_clients.channels import ChannelSettings
from grpc_clients.core_app import CoreAppClient
from resolvers.core_app import CoreAppLoaders
from subgraphs.common.app import create_subgraph_app
from subgraphs.core_app.schema import schema

__all__ = ["DEFAULT_PORT", "create_app"]

DEFAULT_PORT = 4003


def create_app(
    settings: ChannelSettings | None = None, registry: CollectorRegistry | None = None
) -> Starlette:
    """The app; ``settings`` default to ``CORE_APP_GRPC`` from the environment."""
    return create_subgraph_app(
        name="core_app",
        schema=schema,
        client_type=CoreAppClient,
        make_loaders=CoreAppLoaders,
        settings=settings,
        registry=registry,
    )
