"""Clients of the other backends a service calls (applications ↔ client_info, core_app).

A backend that checks references or reports events to another opens one long-lived channel per
peer at start, with the same deadlines, read retries, error table and metrics as the subgraphs'
channels (``grpc_clients``). Channels connect lazily, so services can start in any order.
"""

from __future__ import annotations

from typing import TypeVar

from prometheus_client import CollectorRegistry

from grpc_clients.base import BackendClient
from grpc_clients.channels import ChannelSettings, open_channel, settings_from_env
from grpc_clients.metrics import ClientMetrics

__all__ = ["open_peer"]

C = TypeVar("C", bound=BackendClient)


def open_peer(client_type: type[C], address: str | None = None, metrics: ClientMetrics | None = None) -> C:
    """A client of the backend ``client_type`` serves; close it with ``await client.channel.close()``.

    Args:
        client_type: the typed client (``ClientInfoClient``…); its ``spec`` names the backend.
        address: ``host:port``; by default the backend's variable (``CLIENT_INFO_GRPC``…).
        metrics: where to count the calls; a private registry by default.
    """
    spec = client_type.spec
    settings = settings_from_env(spec) if address is None else ChannelSettings(address=address)
    channel = open_channel(spec, settings, metrics or ClientMetrics.create(CollectorRegistry()))
    return client_type(channel)
