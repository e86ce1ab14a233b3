"""The per-backend loader containers over a tiny in-test gRPC servicer (BatchGet*/BatchList* only).

Each test counts the servicer's calls: N keys in one tick must make exactly one batch RPC.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import grpc
import pytest
from prometheus_client import CollectorRegistry

from grpc_clients import (
    APPLICATIONS,
    CLIENT_INFO,
    CORE_APP,
    ApplicationsClient,
    ChannelSettings,
    ClientInfoClient,
    ClientMetrics,
    CoreAppClient,
    open_channel,
)
from resolvers import ApplicationsLoaders, ClientInfoLoaders, CoreAppLoaders
from schema.protos import (
    applications_pb2,
    applications_pb2_grpc,
    client_info_pb2,
    client_info_pb2_grpc,
    core_app_pb2_grpc,
)
from schema.protos import core_app_pb2 as core

CALLS: Counter[str] = Counter()


def known(ids: list[str]) -> list[str]:
    """The fake backends know ids that do not start with 'f' (about 15 in 16 random ones)."""
    return [i for i in ids if not i.startswith("f")]


class ClientInfo(client_info_pb2_grpc.ClientInfoServiceServicer):
    async def BatchGetClients(self, request: Any, context: Any) -> client_info_pb2.BatchGetClientsResponse:
        CALLS["BatchGetClients"] += 1
        return client_info_pb2.BatchGetClientsResponse(
            clients=[client_info_pb2.Client(id=i) for i in reversed(known(list(request.ids)))],
            missing_ids=[i for i in request.ids if i.startswith("f")],
        )


class Applications(applications_pb2_grpc.ApplicationsServiceServicer):
    async def BatchGetApplications(
        self, request: Any, context: Any
    ) -> applications_pb2.BatchGetApplicationsResponse:
        CALLS["BatchGetApplications"] += 1
        return applications_pb2.BatchGetApplicationsResponse(
            applications=[applications_pb2.Application(id=i) for i in known(list(request.ids))]
        )

    async def BatchListApplicationsByClient(self, request: Any, context: Any) -> Any:
        CALLS[f"BatchListApplicationsByClient/{request.limit_per_client}"] += 1
        return applications_pb2.BatchListApplicationsByClientResponse(
            results=[
                applications_pb2.ClientApplications(
                    client_id=c, applications=[applications_pb2.Application(id=f"{c}/{n}") for n in range(2)]
                )
                for c in known(list(request.client_ids))
            ]
        )


class CoreApp(core_app_pb2_grpc.CoreAppServiceServicer):
    async def BatchGetProducts(self, request: Any, context: Any) -> core.BatchGetProductsResponse:
        CALLS["BatchGetProducts"] += 1
        return core.BatchGetProductsResponse(products=[core.Product(id=i) for i in known(list(request.ids))])

    async def BatchGetInsurers(self, request: Any, context: Any) -> core.BatchGetInsurersResponse:
        CALLS["BatchGetInsurers"] += 1
        return core.BatchGetInsurersResponse(insurers=[core.Insurer(id=i) for i in known(list(request.ids))])

    async def BatchGetPolicies(self, request: Any, context: Any) -> core.BatchGetPoliciesResponse:
        CALLS["BatchGetPolicies"] += 1
        return core.BatchGetPoliciesResponse(policies=[core.Policy(id=i) for i in known(list(request.ids))])

    async def BatchListPoliciesByClient(
        self, request: Any, context: Any
    ) -> core.BatchListPoliciesByClientResponse:
        CALLS["BatchListPoliciesByClient"] += 1
        return core.BatchListPoliciesByClientResponse(
            results=[
                core.ClientPolicies(client_id=c, policies=[core.Policy(id=c)])
                for c in known(list(request.client_ids))
            ]
        )

    async def BatchGetPoliciesByApplication(self, request: Any, context: Any) -> Any:
        CALLS["BatchGetPoliciesByApplication"] += 1
        return core.BatchGetPoliciesByApplicationResponse(
            policies=[
                core.Policy(id=f"p-{a}", application_id=a) for a in known(list(request.application_ids))
            ]
        )

    async def BatchListOffersByApplication(self, request: Any, context: Any) -> Any:
        CALLS["BatchListOffersByApplication"] += 1
        return core.BatchListOffersByApplicationResponse(
            results=[
                core.ApplicationOffers(application_id=a, offers=[core.Offer(id=f"o-{a}")])
                for a in known(list(request.application_ids))
            ]
        )


@pytest.fixture
async def address() -> AsyncIterator[str]:
    CALLS.clear()
    server = grpc.aio.server()
    client_info_pb2_grpc.add_ClientInfoServiceServicer_to_server(ClientInfo(), server)  # type: ignore[abstract]
    applications_pb2_grpc.add_ApplicationsServiceServicer_to_server(Applications(), server)  # type: ignore[abstract]
    core_app_pb2_grpc.add_CoreAppServiceServicer_to_server(CoreApp(), server)  # type: ignore[abstract]
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    yield f"127.0.0.1:{port}"
    await server.stop(None)


@pytest.fixture
async def channel(address: str) -> AsyncIterator[grpc.aio.Channel]:
    channel = open_channel(CLIENT_INFO, ChannelSettings(address), ClientMetrics.create(CollectorRegistry()))
    yield channel
    await channel.close()


def ids(count: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(count)]


@pytest.mark.parametrize("count", [1, 100, 1000])
async def test_clients_one_batch_rpc(channel: grpc.aio.Channel, count: int) -> None:
    loaders = ClientInfoLoaders(ClientInfoClient(channel))
    keys = ids(count)
    results = await asyncio.gather(*(loaders.clients.load(key) for key in [*keys, *keys]))
    assert CALLS["BatchGetClients"] == 1
    assert loaders.clients.batches == [count]  # duplicates were not sent
    for key, result in zip([*keys, *keys], results, strict=True):
        assert (result is None) == key.startswith("f")
        assert result is None or result.id == key  # key order despite the reversed response


async def test_loaders_are_per_request(channel: grpc.aio.Channel) -> None:
    key = ids(1)[0]
    first, second = ClientInfoLoaders(ClientInfoClient(channel)), ClientInfoLoaders(ClientInfoClient(channel))
    await first.clients.load(key)
    await first.clients.load(key)
    await second.clients.load(key)
    assert CALLS["BatchGetClients"] == 2  # cached within one request, never across requests


async def test_applications_loaders(channel: grpc.aio.Channel) -> None:
    loaders = ApplicationsLoaders(ApplicationsClient(channel))
    app_ids, client_ids = ["a1", "a2", "fx"], ["c1", "c2", "fz"]
    apps, lists20, lists5 = await asyncio.gather(
        loaders.applications.load_many(app_ids),
        asyncio.gather(*(loaders.applications_by_client(20).load(c) for c in client_ids)),
        asyncio.gather(*(loaders.applications_by_client(5).load(c) for c in client_ids)),
    )
    assert [a.id if a else None for a in apps] == ["a1", "a2", None]
    assert [len(x) if x is not None else None for x in lists20] == [2, 2, None]
    assert lists5[0] is not None
    assert CALLS == {
        "BatchGetApplications": 1,
        "BatchListApplicationsByClient/20": 1,
        "BatchListApplicationsByClient/5": 1,
    }
    assert loaders.applications_by_client(20) is loaders.applications_by_client(20)
    assert APPLICATIONS.service_name.endswith("ApplicationsService")


async def test_core_app_loaders(channel: grpc.aio.Channel) -> None:
    loaders = CoreAppLoaders(CoreAppClient(channel))
    keys = ["k1", "k2", "fk"]
    results = await asyncio.gather(
        loaders.products.load_many(keys),
        loaders.insurers.load_many(keys),
        loaders.policies.load_many(keys),
        loaders.policies_by_client.load_many(keys),
        loaders.policy_by_application.load_many(keys),
        loaders.offers_by_application.load_many(keys),
    )
    for values in results:
        assert values[0] is not None
        assert values[1] is not None
        assert values[2] is None
    policy = results[4][0]
    assert policy is not None
    assert policy.id == "p-k1"
    assert set(CALLS.values()) == {1}
    assert len(CALLS) == 6
    assert CORE_APP.service_name.endswith("CoreAppService")
