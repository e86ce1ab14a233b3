"""The client_info subgraph's ASGI app (GraphQL at /graphql, /health, /metrics)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry
from starlette.applications import Starlette

from grpc_clients.channels import ChannelSettings
from grpc_clients.client_info import ClientInfoClient
from resolvers.client_info import ClientInfoLoaders
from subgraphs.client_info.schema import schema
from subgraphs.common.app import create_subgraph_app

__all__ = ["DEFAULT_PORT", "create_app"]

DEFAULT_PORT = 4001


def create_app(
    settings: ChannelSettings | None = None, registry: CollectorRegistry | None = None
) -> Starlette:
    """The app; ``settings`` default to ``CLIENT_INFO_GRPC`` from the environment."""
    return create_subgraph_app(
        name="client_info",
        schema=schema,
        client_type=ClientInfoClient,
        make_loaders=ClientInfoLoaders,
        settings=settings,
        registry=registry,
    )
