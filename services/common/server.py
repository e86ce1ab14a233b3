"""Run a backend as a ``grpc.aio`` server with standard health checking and reflection."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from services.common.errors import ErrorInterceptor

__all__ = ["ServiceSpec", "build_server", "serve"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServiceSpec:
    """What a backend contributes to its server.

    ``register`` adds the servicer(s) to the server; ``service_names`` are the full proto
    service names (for health and reflection); ``on_stop`` releases resources (engines, tasks);
    ``own_text_checks`` names the methods (``/package.Service/Method``) that refuse unstorable
    text themselves instead of at the boundary (``ErrorInterceptor``).
    """

    name: str
    service_names: tuple[str, ...]
    register: Callable[[grpc.aio.Server], None]
    on_stop: Callable[[], Awaitable[None]] | None = None
    own_text_checks: frozenset[str] = frozenset()
    options: tuple[tuple[str, int], ...] = field(
        default=(("grpc.max_receive_message_length", 16 * 1024 * 1024),),
    )


async def build_server(spec: ServiceSpec, address: str) -> tuple[grpc.aio.Server, int]:
    """Create (not start) a server for ``spec`` bound to ``address``; returns it and the bound port."""
    server = grpc.aio.server(
        interceptors=[ErrorInterceptor(spec.own_text_checks)], options=list(spec.options)
    )
    spec.register(server)
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    for name in (*spec.service_names, ""):
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    health_name = health_pb2.DESCRIPTOR.services_by_name["Health"].full_name
    reflection.enable_server_reflection((*spec.service_names, health_name, reflection.SERVICE_NAME), server)
    port = server.add_insecure_port(address)
    if port == 0:
        raise OSError(f"Could not bind the {spec.name!r} gRPC server to {address!r}; is the port in use?")
    return server, port


async def serve(spec: ServiceSpec, address: str, *, ready: Callable[[int], None] | None = None) -> None:
    """Serve until SIGINT/SIGTERM, then stop gracefully (in-flight calls get 5 s)."""
    server, port = await build_server(spec, address)
    await server.start()
    _log.info("%s gRPC listening on %s", spec.name, address)
    if ready is not None:
        ready(port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    waiter = asyncio.ensure_future(server.wait_for_termination())
    stopper = asyncio.ensure_future(stop.wait())
    await asyncio.wait({waiter, stopper}, return_when=asyncio.FIRST_COMPLETED)
    await server.stop(grace=5)
    waiter.cancel()
    stopper.cancel()
    if spec.on_stop is not None:
        await spec.on_stop()
