"""Typed clients over a real in-process ``grpc.aio`` server with a tiny fake servicer.

Checks what only a real channel shows: rich statuses become project errors, the default
deadline applies, reads are retried on UNAVAILABLE and writes are not, every RPC is counted
once in ``grpc_client_handled_total``, and the health check reports SERVING.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import grpc
import pytest
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_status import rpc_status
from prometheus_client import CollectorRegistry

from grpc_clients import (
    CLIENT_INFO,
    ChannelSettings,
    ClientInfoClient,
    ClientMetrics,
    DeadlineExceededError,
    InvalidArgumentError,
    NotFoundError,
    UnavailableError,
    check_serving,
    open_channel,
)
from grpc_clients.caller import FIRST_PARTY, Caller
from grpc_clients.metrics import split_method
from schema.protos import client_info_pb2 as pb
from schema.protos import client_info_pb2_grpc

SERVICE = CLIENT_INFO.service_name


class FakeClientInfo(client_info_pb2_grpc.ClientInfoServiceServicer):
    """Answers from a dict; special ids trigger failures."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.partners: list[str | None] = []
        """The x-partner-id of each GetClient call (None: sent without one)."""
        self.clients = {f"id-{i}": pb.Client(id=f"id-{i}", last_name=f"L{i}") for i in range(3)}

    async def GetClient(self, request: pb.GetClientRequest, context: Any) -> pb.Client:
        self.calls["GetClient"] += 1
        self.partners.append(dict(context.invocation_metadata()).get("x-partner-id"))
        if request.id == "slow":
            await asyncio.sleep(2)
        if request.id == "bad":
            status = status_pb2.Status(code=code_pb2.INVALID_ARGUMENT, message="Invalid value for 'id'.")
            status.details.add().Pack(
                error_details_pb2.BadRequest(
                    field_violations=[
                        error_details_pb2.BadRequest.FieldViolation(field="id", description="Not a UUID.")
                    ]
                )
            )
            await context.abort_with_status(rpc_status.to_status(status))
        if request.id not in self.clients:
            await context.abort(grpc.StatusCode.NOT_FOUND, f"No client has id {request.id!r}.")
        return self.clients[request.id]

    async def SearchClients(self, request: pb.SearchClientsRequest, context: Any) -> pb.SearchClientsResponse:
        self.calls["SearchClients"] += 1
        if self.calls["SearchClients"] == 1:
            await context.abort(grpc.StatusCode.UNAVAILABLE, "warming up")
        return pb.SearchClientsResponse(clients=list(self.clients.values()))

    async def RegisterClient(self, request: pb.RegisterClientRequest, context: Any) -> pb.Client:
        self.calls["RegisterClient"] += 1
        await context.abort(grpc.StatusCode.UNAVAILABLE, "warming up")
        raise AssertionError("unreachable")


@pytest.fixture
async def fake() -> AsyncIterator[tuple[FakeClientInfo, str]]:
    servicer = FakeClientInfo()  # type: ignore[abstract]  # implements only what the tests call
    server = grpc.aio.server()
    client_info_pb2_grpc.add_ClientInfoServiceServicer_to_server(servicer, server)
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    await health_servicer.set(SERVICE, health_pb2.HealthCheckResponse.SERVING)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    yield servicer, f"127.0.0.1:{port}"
    await server.stop(None)


@pytest.fixture
async def client(
    fake: tuple[FakeClientInfo, str],
) -> AsyncIterator[tuple[ClientInfoClient, CollectorRegistry]]:
    registry = CollectorRegistry()
    channel = open_channel(CLIENT_INFO, ChannelSettings(fake[1], timeout=0.5), ClientMetrics.create(registry))
    yield ClientInfoClient(channel), registry
    await channel.close()


def handled(registry: CollectorRegistry, method: str, code: str) -> float:
    labels = {"grpc_service": SERVICE, "grpc_method": method, "grpc_code": code}
    return registry.get_sample_value("grpc_client_handled_total", labels) or 0.0


async def test_success_is_counted_once(client: tuple[ClientInfoClient, CollectorRegistry]) -> None:
    backend, registry = client
    assert (await backend.get_client("id-1")).last_name == "L1"
    assert handled(registry, "GetClient", "OK") == 1
    labels = {"grpc_service": SERVICE, "grpc_method": "GetClient"}
    assert registry.get_sample_value("grpc_client_handling_seconds_count", labels) == 1


async def test_not_found(client: tuple[ClientInfoClient, CollectorRegistry]) -> None:
    backend, registry = client
    with pytest.raises(NotFoundError, match="No client has id 'nope'") as caught:
        await backend.get_client("nope")
    assert isinstance(caught.value.__cause__, grpc.RpcError)
    assert handled(registry, "GetClient", "NOT_FOUND") == 1


async def test_field_violations_from_the_rich_status(
    client: tuple[ClientInfoClient, CollectorRegistry],
) -> None:
    backend, _ = client
    with pytest.raises(InvalidArgumentError) as caught:
        await backend.get_client("bad")
    assert [(v.field, v.description) for v in caught.value.violations] == [("id", "Not a UUID.")]


async def test_default_deadline(client: tuple[ClientInfoClient, CollectorRegistry]) -> None:
    backend, registry = client
    with pytest.raises(DeadlineExceededError):
        await backend.get_client("slow")
    assert handled(registry, "GetClient", "DEADLINE_EXCEEDED") == 1


async def test_reads_are_retried_on_unavailable(
    fake: tuple[FakeClientInfo, str], client: tuple[ClientInfoClient, CollectorRegistry]
) -> None:
    backend, registry = client
    assert len(await backend.search_clients("L")) == 3
    assert fake[0].calls["SearchClients"] == 2  # the first attempt failed, the channel retried
    assert handled(registry, "SearchClients", "OK") == 1  # one logical RPC


async def test_writes_are_not_retried(
    fake: tuple[FakeClientInfo, str], client: tuple[ClientInfoClient, CollectorRegistry]
) -> None:
    backend, registry = client
    with pytest.raises(UnavailableError):
        await backend.register_client(pb.RegisterClientRequest(last_name="X"))
    assert fake[0].calls["RegisterClient"] == 1
    assert handled(registry, "RegisterClient", "UNAVAILABLE") == 1


async def test_unreachable_backend_is_unavailable() -> None:
    registry = CollectorRegistry()
    channel = open_channel(
        CLIENT_INFO, ChannelSettings("127.0.0.1:1", timeout=0.5), ClientMetrics.create(registry)
    )
    try:
        with pytest.raises((UnavailableError, DeadlineExceededError)):
            await ClientInfoClient(channel).get_client("id-1")
        assert not await check_serving(channel, SERVICE, deadline=0.3)
    finally:
        await channel.close()


async def test_health_check(client: tuple[ClientInfoClient, CollectorRegistry]) -> None:
    backend, _ = client
    assert await check_serving(backend.channel, SERVICE)
    assert not await check_serving(backend.channel, "no.such.Service")


def test_split_method() -> None:
    assert split_method(b"/insuretech.x.v1.XService/GetX") == ("insuretech.x.v1.XService", "GetX")
    assert split_method("/a.B/C") == ("a.B", "C")


async def test_a_client_bound_to_a_partner_names_it_in_every_call(
    fake: tuple[FakeClientInfo, str], client: tuple[ClientInfoClient, CollectorRegistry]
) -> None:
    backend, _ = client
    acme = backend.for_caller(Caller("acme-bank"))
    assert acme.channel is backend.channel  # the same channel, only the metadata differs
    assert backend.for_caller(FIRST_PARTY) is backend
    await acme.get_client("id-1")
    await backend.get_client("id-1")
    await acme.for_caller(FIRST_PARTY).get_client("id-2")
    assert fake[0].partners == ["acme-bank", None, None]
