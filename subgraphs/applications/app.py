"""The applications subgraph's ASGI app (GraphQL at /graphql, /health, /metrics)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry
from starlette.applications import Starlette

from grpc_clients.applications import ApplicationsClient
from grpc_clients.channels import ChannelSettings
from resolvers.applications import ApplicationsLoaders
from subgraphs.applications.schema import schema
from subgraphs.common.app import create_subgraph_app

__all__ = ["DEFAULT_PORT", "create_app"]

DEFAULT_PORT = 4002


def create_app(
    settings: ChannelSettings | None = None, registry: CollectorRegistry | None = None
) -> Starlette:
    """The app; ``settings`` default to ``APPLICATIONS_GRPC`` from the environment."""
    return create_subgraph_app(
        name="applications",
        schema=schema,
        client_type=ApplicationsClient,
        make_loaders=ApplicationsLoaders,
        settings=settings,
        registry=registry,
    )
