"""Wire the core_app service: database, OSAGO aggregator, quote cache and the gRPC servicer."""

from __future__ import annotations

from pathlib import Path

import grpc

from schema.protos import core_app_pb2, core_app_pb2_grpc
from services.common.db import Database
from services.common.server import ServiceSpec
from services.core_app.osago import (
    GatewayFactory,
    OsagoConfig,
    QuoteAggregator,
    QuoteCache,
    RedisQuoteCache,
)
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
) -> ServiceSpec:
    """The core_app ``ServiceSpec``.

    Args:
        database: the migrated core_app database.
        config: OSAGO settings; ``OsagoConfig.from_env()`` by default.
        gateway_factory: insurer gateways; simulated insurers by default.
        cache: the quote cache; Redis when ``config.redis_url`` is set, else none.

    Returns:
        A spec whose ``on_stop`` cancels the insurer calls in flight and closes the cache.
    """
    settings = config or OsagoConfig.from_env()
    if cache is None and settings.redis_url:
        cache = RedisQuoteCache.from_url(
            settings.redis_url, ttl_s=settings.cache_ttl_s, prefix=settings.cache_prefix
        )
    aggregator = QuoteAggregator(database, settings, gateway_factory=gateway_factory, cache=cache)
    servicer = CoreAppServicer(database, aggregator)

    def register(server: grpc.aio.Server) -> None:
        core_app_pb2_grpc.add_CoreAppServiceServicer_to_server(servicer, server)

    return ServiceSpec(
        name="core_app",
        service_names=(SERVICE_NAME,),
        register=register,
        on_stop=aggregator.close,
    )
