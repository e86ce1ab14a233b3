"""Loaders that ask only for what resolvers need, still in ONE batch RPC per tick.

A fake backend records each request's read mask; loads with different needs in the same tick
must be merged into one call asking for the union, and each key must get its own answer.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import grpc
import pytest
from prometheus_client import CollectorRegistry

from grpc_clients import (
    APPLICATIONS,
    ApplicationsClient,
    ChannelSettings,
    ClientInfoClient,
    ClientMetrics,
    open_channel,
)
from resolvers import CARD_SECTIONS, ApplicationsLoaders, ClientInfoLoaders
from schema.protos import applications_pb2, applications_pb2_grpc, client_info_pb2, client_info_pb2_grpc

REQUESTS: list[Any] = []


class ClientInfo(client_info_pb2_grpc.ClientInfoServiceServicer):
    async def BatchGetClients(self, request: Any, context: Any) -> client_info_pb2.BatchGetClientsResponse:
        REQUESTS.append(request)
        paths = set(request.read_mask.paths) if request.HasField("read_mask") else CARD_SECTIONS
        documents = [client_info_pb2.Document(id="d")] if "documents" in paths else []
        return client_info_pb2.BatchGetClientsResponse(
            clients=[client_info_pb2.Client(id=i, documents=documents) for i in request.ids if i != "unknown"]
        )


class Applications(applications_pb2_grpc.ApplicationsServiceServicer):
    async def BatchListApplicationsByClient(self, request: Any, context: Any) -> Any:
        REQUESTS.append(request)
        history = not request.HasField("read_mask") or "status_history" in request.read_mask.paths
        steps = [applications_pb2.StatusChange(status=applications_pb2.DRAFT)] if history else []
        return applications_pb2.BatchListApplicationsByClientResponse(
            results=[
                applications_pb2.ClientApplications(
                    client_id=c,
                    applications=[applications_pb2.Application(id=f"a-{c}", status_history=steps)],
                )
                for c in request.client_ids
            ]
        )


@pytest.fixture
async def channel() -> AsyncIterator[grpc.aio.Channel]:
    REQUESTS.clear()
    server = grpc.aio.server()
    client_info_pb2_grpc.add_ClientInfoServiceServicer_to_server(ClientInfo(), server)  # type: ignore[abstract]
    applications_pb2_grpc.add_ApplicationsServiceServicer_to_server(Applications(), server)  # type: ignore[abstract]
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    channel = open_channel(
        APPLICATIONS, ChannelSettings(f"127.0.0.1:{port}"), ClientMetrics.create(CollectorRegistry())
    )
    yield channel
    await channel.close()
    await server.stop(None)


async def test_client_loads_with_different_sections_share_one_rpc(channel: grpc.aio.Channel) -> None:
    loaders = ClientInfoLoaders(ClientInfoClient(channel))
    names, cards, health = await asyncio.gather(
        loaders.clients.load_many(["c1", "c2", "unknown"], ()),
        loaders.clients.load_many(["c2", "c3"], {"documents"}),
        loaders.clients.load("c1", {"health"}),
    )
    assert len(REQUESTS) == 1
    assert list(REQUESTS[0].ids) == ["c1", "c2", "unknown", "c3"]
    assert list(REQUESTS[0].read_mask.paths) == ["documents", "health"]
    assert loaders.clients.batches == [4]
    assert loaders.clients.read_masks == [("documents", "health")]
    assert [c.id if c else None for c in names] == ["c1", "c2", None]
    assert [c.id if c else None for c in cards] == ["c2", "c3"]
    assert health is not None
    assert health.id == "c1"


async def test_client_loads_are_cached_per_id_and_sections(channel: grpc.aio.Channel) -> None:
    loaders = ClientInfoLoaders(ClientInfoClient(channel))
    bare = await loaders.clients.load("c1", ())
    assert bare is not None
    assert list(bare.documents) == []
    assert list(REQUESTS[-1].read_mask.paths) == []
    assert REQUESTS[-1].HasField("read_mask")  # an empty mask, not "no mask"
    await loaders.clients.load("c1", ())
    assert len(REQUESTS) == 1  # cached
    with_documents = await loaders.clients.load("c1", {"documents"})
    assert len(REQUESTS) == 2  # a card read without documents is never served for a key that needs them
    assert with_documents is not None
    assert [d.id for d in with_documents.documents] == ["d"]
    full = await loaders.clients.load("c1")
    assert sorted(REQUESTS[-1].read_mask.paths) == sorted(CARD_SECTIONS)
    assert full is not None


async def test_applications_by_client_asks_for_history_only_when_needed(channel: grpc.aio.Channel) -> None:
    loaders = ApplicationsLoaders(ApplicationsClient(channel))
    bare = await loaders.applications_by_client(5).load("c1", with_history=False)
    assert REQUESTS[-1].HasField("read_mask")
    assert "status_history" not in REQUESTS[-1].read_mask.paths
    assert bare is not None
    assert list(bare[0].status_history) == []
    mixed = await asyncio.gather(
        loaders.applications_by_client(5).load("c2", with_history=False),
        loaders.applications_by_client(5).load("c3"),
    )
    assert len(REQUESTS) == 2  # one RPC for both, with histories for everyone
    assert not REQUESTS[-1].HasField("read_mask")
    assert [len(found[0].status_history) for found in mixed if found] == [1, 1]
    assert loaders.applications_by_client(5).with_history == [False, True]
