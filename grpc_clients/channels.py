"""One long-lived ``grpc.aio`` channel per backend, with keep-alive, retries and a deadline.

A subgraph opens its backend's channel once at startup and closes it at shutdown; every
request reuses it (HTTP/2 multiplexes the calls). The channel's service config enables
transparent retries with exponential backoff, but ONLY for the idempotent read methods
(``Get*``, ``BatchGet*``, ``List*``, ``Search*``, ``BatchList*``); writes are never retried by
the channel, because a retried create could run twice (creates rely on idempotency keys
chosen by the caller instead). Every unary call gets a default deadline (5 s).

See https://github.com/grpc/grpc/blob/master/doc/service_config.md and
https://github.com/grpc/proposal/blob/master/A6-client-retries.md
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import grpc
from google.protobuf.descriptor import ServiceDescriptor

from grpc_clients.metrics import ClientMetrics, client_interceptors
from schema.protos import applications_pb2, client_info_pb2, core_app_pb2

__all__ = [
    "APPLICATIONS",
    "CLIENT_INFO",
    "CORE_APP",
    "DEFAULT_TIMEOUT_SECONDS",
    "READ_METHOD_PREFIXES",
    "BackendSpec",
    "ChannelSettings",
    "channel_options",
    "open_channel",
    "read_methods",
    "service_config",
    "settings_from_env",
]

DEFAULT_TIMEOUT_SECONDS = 5.0
READ_METHOD_PREFIXES = ("Get", "BatchGet", "BatchList", "List", "Search")
"""Methods with these prefixes only read, so retrying them is always safe."""


@dataclass(frozen=True, slots=True)
class BackendSpec:
    """A backend service a subgraph talks to: its proto service and where to find it."""

    name: str
    """Short name: ``client_info``."""
    service: ServiceDescriptor
    """The proto service descriptor (full name ``insuretech.client_info.v1.ClientInfoService``)."""
    env_var: str
    """The environment variable holding ``host:port``."""
    default_address: str

    @property
    def service_name(self) -> str:
        """The full proto service name, as used by health checks and metrics."""
        return str(self.service.full_name)


CLIENT_INFO = BackendSpec(
    "client_info", client_info_pb2.DESCRIPTOR.services_by_name["ClientInfoService"], "CLIENT_INFO_GRPC",
    "127.0.0.1:50051",
)  # fmt: skip
APPLICATIONS = BackendSpec(
    "applications", applications_pb2.DESCRIPTOR.services_by_name["ApplicationsService"], "APPLICATIONS_GRPC",
    "127.0.0.1:50052",
)  # fmt: skip
CORE_APP = BackendSpec(
    "core_app", core_app_pb2.DESCRIPTOR.services_by_name["CoreAppService"], "CORE_APP_GRPC",
    "127.0.0.1:50053",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ChannelSettings:
    """How to reach one backend and how patient to be with it."""

    address: str
    """``host:port`` of the backend."""
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    """Default deadline of every unary call, in seconds."""
    max_attempts: int = 3
    """Attempts of a retried read method (the first call included)."""
    keepalive_time_ms: int = 120_000
    keepalive_timeout_ms: int = 20_000
    max_message_bytes: int = 32 * 1024 * 1024
    """Large enough for a batch of 1,000 full client cards."""


def settings_from_env(spec: BackendSpec, environ: Mapping[str, str] | None = None) -> ChannelSettings:
    """Read the backend's address (``spec.env_var``) and ``GRPC_CLIENT_TIMEOUT_SECONDS``.

    Raises:
        ValueError: when the timeout is not a positive number.
    """
    env = os.environ if environ is None else environ
    raw_timeout = env.get("GRPC_CLIENT_TIMEOUT_SECONDS", str(DEFAULT_TIMEOUT_SECONDS))
    try:
        timeout = float(raw_timeout)
    except ValueError:
        timeout = -1.0
    if timeout <= 0:
        raise ValueError(
            f"GRPC_CLIENT_TIMEOUT_SECONDS must be a positive number of seconds, got {raw_timeout!r}."
        )
    return ChannelSettings(address=env.get(spec.env_var, spec.default_address), timeout=timeout)


def read_methods(spec: BackendSpec) -> tuple[str, ...]:
    """The unary methods of ``spec`` that only read (and so may be retried)."""
    return tuple(
        method.name
        for method in spec.service.methods
        if method.name.startswith(READ_METHOD_PREFIXES) and not method.server_streaming
    )


def service_config(spec: BackendSpec, settings: ChannelSettings) -> dict[str, Any]:
    """The gRPC service config: round-robin over the backend's addresses; read methods retried.

    ``round_robin`` keeps a connection to every address the name resolves to (a Kubernetes
    headless Service resolves to every backend pod) and spreads calls over them; with one
    address it behaves like the default ``pick_first``.
    """
    return {
        "loadBalancingConfig": [{"round_robin": {}}],
        "methodConfig": [
            {
                "name": [{"service": spec.service_name, "method": name} for name in read_methods(spec)],
                "retryPolicy": {
                    "maxAttempts": settings.max_attempts,
                    "initialBackoff": "0.05s",
                    "maxBackoff": "1s",
                    "backoffMultiplier": 2,
                    "retryableStatusCodes": ["UNAVAILABLE"],
                },
            }
        ],
    }


def channel_options(spec: BackendSpec, settings: ChannelSettings) -> list[tuple[str, Any]]:
    """Channel arguments: keep-alive, message sizes, retries and the service config."""
    return [
        ("grpc.keepalive_time_ms", settings.keepalive_time_ms),
        ("grpc.keepalive_timeout_ms", settings.keepalive_timeout_ms),
        # Ping only while calls are in flight: the default server policy answers idle pings
        # more often than every 5 minutes with GOAWAY (too_many_pings).
        ("grpc.keepalive_permit_without_calls", 0),
        ("grpc.max_receive_message_length", settings.max_message_bytes),
        ("grpc.max_send_message_length", settings.max_message_bytes),
        ("grpc.enable_retries", 1),
        ("grpc.service_config", json.dumps(service_config(spec, settings))),
    ]


def open_channel(spec: BackendSpec, settings: ChannelSettings, metrics: ClientMetrics) -> grpc.aio.Channel:
    """Open the backend's one shared channel (connects lazily); close it with ``await channel.close()``."""
    return grpc.aio.insecure_channel(
        settings.address,
        options=channel_options(spec, settings),
        interceptors=client_interceptors(metrics, settings.timeout),
    )
