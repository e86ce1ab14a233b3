"""``BatchListApplicationsByClient.read_mask``: status histories only when asked for, in one statement."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import grpc
import pytest
from google.protobuf.field_mask_pb2 import FieldMask

from grpc_clients.caller import FIRST_PARTY
from schema.protos import applications_pb2 as pb
from schema.protos import applications_pb2_grpc as pb_grpc
from services.applications.app import build_spec
from services.applications.operations import Applications
from services.common.db import Database
from services.common.server import build_server
from tests.services.applications.applications_harness import KnownReferences, count_statements
from tests.services.applications.test_applications_servicer import CLIENT, create, expect_error


@pytest.fixture
async def stub(applications_database: Database) -> AsyncIterator[Any]:
    server, port = await build_server(
        build_spec(applications_database, references=KnownReferences()), "127.0.0.1:0"
    )
    await server.start()
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        yield pb_grpc.ApplicationsServiceStub(channel)
    await server.stop(grace=None)


def _request(client_ids: list[str], mask: list[str] | None) -> pb.BatchListApplicationsByClientRequest:
    request = pb.BatchListApplicationsByClientRequest(client_ids=client_ids, limit_per_client=5)
    if mask is not None:
        request.read_mask.CopyFrom(FieldMask(paths=mask))
    return request


async def test_histories_come_only_when_the_mask_names_them(
    stub: Any, applications_database: Database
) -> None:
    other = str(uuid.uuid4())
    created = [await create(stub), await create(stub), await create(stub, client_id=other)]
    await stub.CancelApplication(pb.CancelApplicationRequest(id=created[0].id, reason="Передумал"))
    clients = [CLIENT, other, str(uuid.uuid4())]

    full = await stub.BatchListApplicationsByClient(_request(clients, None))
    assert [len(a.status_history) for a in full.results[0].applications] == [1, 2]
    with_history = await stub.BatchListApplicationsByClient(_request(clients, ["status_history", "id"]))
    assert with_history == full

    with count_statements(applications_database) as statements:
        bare = await stub.BatchListApplicationsByClient(_request(clients, []))
    assert len(statements) == 1
    assert "status_history" not in statements[0]
    assert [r.client_id for r in bare.results] == clients
    for masked, whole in zip(bare.results, full.results, strict=True):
        expected = [pb.Application() for _ in whole.applications]
        for copy, application in zip(expected, whole.applications, strict=True):
            copy.CopyFrom(application)
            copy.ClearField("status_history")
        assert list(masked.applications) == expected


async def test_unknown_mask_paths_are_invalid_argument(stub: Any) -> None:
    _, fields = await expect_error(
        stub.BatchListApplicationsByClient(_request([CLIENT], ["number", "history"])),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert fields == ["read_mask.paths[1]"]


async def test_list_by_clients_without_history(stub: Any, applications_database: Database) -> None:
    await create(stub)
    applications = Applications(applications_database, references=KnownReferences())
    [(client, found)] = await applications.list_by_clients(
        [CLIENT], 5, with_history=False, caller=FIRST_PARTY
    )
    assert client == CLIENT
    assert len(found) == 1
    assert found[0].history == ()
    [(_, with_history)] = await applications.list_by_clients([CLIENT], 5, caller=FIRST_PARTY)
    assert [entry.status for entry in with_history[0].history] == ["DRAFT"]
