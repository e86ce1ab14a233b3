"""Wire the core_app service: database, OSAGO aggregator, quote cache, the applications peer, the servicer."""

from __future__ import annotations

from pathlib import Path

import grpc

from grpc_clients.applications import ApplicationsClient
from schema.protos import core_app_pb2, core_app_pb2_grpc
from services.common.db import Database
from services.common.peers import open_peer
from services.common.server import ServiceSpec
from services.core_app.applications_peer import ApplicationDirectory, BackendApplications
from services.core_app.osago import (
    GatewayFactory,
    OsagoConfig,
    QuoteAggregator,
    QuoteCache,
    RedisQuoteCache,
)
from services.core_app.outbox_relay import ApplicationsRelay
from services.core_app.servicer import CoreAppServicer

__all__ = ["MIGRATIONS_DIR", "SERVICE_NAME", "build_spec"]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

SERVICE_NAME = core_app_pb2.DESCRIPTOR.services_by_name["CoreAppService"].full_name


def build_spec(
    database: Database,
    *,
    config: OsagoConfig | None = None,
    gateway_factory: GatewayFactory | None = None,
    cache: QuoteCache | None = None,
    applications: ApplicationDirectory | None = None,
    relay: ApplicationsRelay | None = None,
) -> ServiceSpec:
    """The core_app ``ServiceSpec``.

    Args:
        database: the migrated core_app database.
        config: OSAGO settings; ``OsagoConfig.from_env()`` by default.
        gateway_factory: insurer gateways; simulated insurers by default.
        cache: the quote cache; Redis when ``config.redis_url`` is set, else none.
        applications: the applications backend; by default at ``APPLICATIONS_GRPC`` (its
            channel is closed on stop).
        relay: the outbox relay running beside the server, stopped on stop.

    Returns:
        A spec whose ``on_stop`` stops the relay, cancels the insurer calls in flight and closes
        the cache and the channel.
    """
    settings = config or OsagoConfig.from_env()
    if cache is None and settings.redis_url:
        cache = RedisQuoteCache.from_url(
            settings.redis_url, ttl_s=settings.cache_ttl_s, prefix=settings.cache_prefix
        )
    aggregator = QuoteAggregator(database, settings, gateway_factory=gateway_factory, cache=cache)
    peer: ApplicationsClient | None = None
    if applications is None:
        peer = open_peer(ApplicationsClient)
        applications = BackendApplications(peer)
    servicer = CoreAppServicer(database, aggregator, applications)

    async def on_stop() -> None:
        if relay is not None:
            await relay.stop()
        await aggregator.close()
        if peer is not None:
            await peer.channel.close()

    def register(server: grpc.aio.Server) -> None:
        core_app_pb2_grpc.add_CoreAppServiceServicer_to_server(servicer, server)

    return ServiceSpec(
        name="core_app",
        service_names=(SERVICE_NAME,),
        register=register,
        on_stop=on_stop,
    )
