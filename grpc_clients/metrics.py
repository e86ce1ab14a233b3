"""Client-side gRPC telemetry: a Prometheus counter and latency histogram per RPC.

The interceptor sits on every backend channel, so each logical RPC is counted exactly once
(transparent retries configured by the service config happen below it), labelled with the
full proto service name, the method and the final status code — the shape of
``go-grpc-prometheus``'s ``grpc_client_handled_total``. It also applies the channel's default
deadline to calls that did not set one.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import grpc
from prometheus_client import CollectorRegistry, Counter, Histogram

__all__ = [
    "ClientMetrics",
    "ClientMetricsInterceptor",
    "StreamMetricsInterceptor",
    "client_interceptors",
    "split_method",
]

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 60.0)


@dataclass(frozen=True, slots=True)
class ClientMetrics:
    """The Prometheus collectors of the gRPC clients, registered in one registry."""

    handled: Counter
    """``grpc_client_handled_total{grpc_service,grpc_method,grpc_code}``: RPCs completed."""
    latency: Histogram
    """``grpc_client_handling_seconds{grpc_service,grpc_method}``: time until the final status."""

    @classmethod
    def create(cls, registry: CollectorRegistry) -> ClientMetrics:
        """Register the collectors in ``registry`` (each registry may hold them once)."""
        handled = Counter(
            "grpc_client_handled_total",
            "Total number of RPCs completed by the client, regardless of success or failure.",
            ["grpc_service", "grpc_method", "grpc_code"],
            registry=registry,
        )
        latency = Histogram(
            "grpc_client_handling_seconds",
            "Time from the start of an RPC until its final status, as seen by the client.",
            ["grpc_service", "grpc_method"],
            buckets=_LATENCY_BUCKETS,
            registry=registry,
        )
        return cls(handled, latency)

    def observe(self, method: str, code: grpc.StatusCode, seconds: float) -> None:
        """Record one finished RPC of the full ``/package.Service/Method`` name."""
        service, name = split_method(method)
        self.handled.labels(service, name, code.name).inc()
        self.latency.labels(service, name).observe(seconds)


def split_method(method: str | bytes) -> tuple[str, str]:
    """``/insuretech.x.v1.XService/GetX`` → ``("insuretech.x.v1.XService", "GetX")``."""
    text = method.decode() if isinstance(method, bytes) else method
    service, _, name = text.lstrip("/").partition("/")
    return service, name


def _with_deadline(details: grpc.aio.ClientCallDetails, timeout: float) -> grpc.aio.ClientCallDetails:
    if details.timeout is not None:
        return details
    return grpc.aio.ClientCallDetails(
        details.method, timeout, details.metadata, details.credentials, details.wait_for_ready
    )


class ClientMetricsInterceptor(grpc.aio.UnaryUnaryClientInterceptor):  # type: ignore[misc]
    """Count and time every unary RPC, and give calls without a deadline the default one."""

    def __init__(self, metrics: ClientMetrics, default_timeout: float) -> None:
        self._metrics = metrics
        self._default_timeout = default_timeout

    async def intercept_unary_unary(
        self,
        continuation: Callable[[grpc.aio.ClientCallDetails, Any], Awaitable[Any]],
        client_call_details: grpc.aio.ClientCallDetails,
        request: Any,
    ) -> Any:
        start = time.perf_counter()
        call = await continuation(_with_deadline(client_call_details, self._default_timeout), request)
        try:
            code = await call.code()
        except asyncio.CancelledError:
            self._metrics.observe(
                client_call_details.method, grpc.StatusCode.CANCELLED, time.perf_counter() - start
            )
            raise
        self._metrics.observe(client_call_details.method, code, time.perf_counter() - start)
        return call


class StreamMetricsInterceptor(grpc.aio.UnaryStreamClientInterceptor):  # type: ignore[misc]
    """Count and time every server-streaming RPC when its stream ends.

    A separate class because ``grpc.aio`` files each interceptor under ONE call type.
    Streams run until the server ends them, so they get no default deadline here; the caller
    passes one that fits the stream (the OSAGO watch lasts up to a minute).
    """

    def __init__(self, metrics: ClientMetrics) -> None:
        self._metrics = metrics

    async def intercept_unary_stream(
        self,
        continuation: Callable[[grpc.aio.ClientCallDetails, Any], Awaitable[Any]],
        client_call_details: grpc.aio.ClientCallDetails,
        request: Any,
    ) -> AsyncIterator[Any]:
        start = time.perf_counter()
        call = await continuation(client_call_details, request)
        return self._observe_stream(call, client_call_details.method, start)

    async def _observe_stream(self, call: Any, method: str, start: float) -> AsyncIterator[Any]:
        code = grpc.StatusCode.OK
        try:
            async for response in call:
                yield response
        except grpc.RpcError as exc:
            code = exc.code()
            raise
        except (asyncio.CancelledError, GeneratorExit):
            code = grpc.StatusCode.CANCELLED
            call.cancel()
            raise
        finally:
            self._metrics.observe(method, code, time.perf_counter() - start)


def client_interceptors(metrics: ClientMetrics, default_timeout: float) -> list[Any]:
    """The interceptors of a backend channel: unary (with the default deadline) and streaming."""
    return [ClientMetricsInterceptor(metrics, default_timeout), StreamMetricsInterceptor(metrics)]
