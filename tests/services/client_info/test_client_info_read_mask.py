"""``BatchGetClients.read_mask``: only the requested sections are read, sent and filled in."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import cast

import grpc
import pytest
from google.protobuf.field_mask_pb2 import FieldMask
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from schema.protos import client_info_pb2 as pb
from schema.protos import client_info_pb2_grpc as pb_grpc
from services.client_info.app import build_spec
from services.client_info.domain import ClientDirectory
from services.client_info.rules import Violations
from services.client_info.sections import ALL_SECTIONS, CardSection, parse_read_mask
from services.client_info.seed import seed
from services.common.catalog import client_seed_id
from services.common.db import Database
from services.common.errors import InvalidArgument
from services.common.server import build_server
from tests.services.client_info.client_info_harness import count_statements

CLIENTS = 40


@pytest.fixture
async def stub(client_info_database: Database) -> AsyncIterator[pb_grpc.ClientInfoServiceAsyncStub]:
    await seed(client_info_database, clients=CLIENTS)
    server, port = await build_server(build_spec(client_info_database), "127.0.0.1:0")
    await server.start()
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        yield cast("pb_grpc.ClientInfoServiceAsyncStub", pb_grpc.ClientInfoServiceStub(channel))
    await server.stop(None)


def _ids() -> list[str]:
    return [client_seed_id(i) for i in range(CLIENTS)]


def _tables(statements: list[str]) -> list[str]:
    return [match[1] for s in statements if (match := re.search(r"\bFROM (\w+)", s))]


async def test_without_a_mask_the_whole_card_comes(
    stub: pb_grpc.ClientInfoServiceAsyncStub, client_info_database: Database
) -> None:
    with count_statements(client_info_database) as statements:
        full = await stub.BatchGetClients(pb.BatchGetClientsRequest(ids=_ids()))
    assert sorted(_tables(statements)) == ["addresses", "clients", "documents", "relatives", "vehicles"]
    assert all(client.documents and client.addresses for client in full.clients)
    assert any(client.HasField("employment") for client in full.clients)
    # Naming every section is the same as no mask at all.
    every = [section.value for section in CardSection]
    masked = await stub.BatchGetClients(
        pb.BatchGetClientsRequest(ids=_ids(), read_mask=FieldMask(paths=every))
    )
    assert masked == full


async def test_an_empty_mask_reads_only_the_clients_row(
    stub: pb_grpc.ClientInfoServiceAsyncStub, client_info_database: Database
) -> None:
    full = {c.id: c for c in (await stub.BatchGetClients(pb.BatchGetClientsRequest(ids=_ids()))).clients}
    request = pb.BatchGetClientsRequest(ids=[*_ids(), "not-an-id"], read_mask=FieldMask())
    with count_statements(client_info_database) as statements:
        response = await stub.BatchGetClients(request)
    assert _tables(statements) == ["clients"]
    assert [c.id for c in response.clients] == _ids()
    assert list(response.missing_ids) == ["not-an-id"]
    for client in response.clients:
        expected = pb.Client()
        expected.CopyFrom(full[client.id])
        for name in ("addresses", "documents", "relatives", "vehicles", "employment", "health", "marketing"):
            expected.ClearField(name)
        assert client == expected
        assert client.last_name
        assert client.phone
        assert client.created_at.seconds


async def test_a_mask_reads_only_the_sections_it_names(
    stub: pb_grpc.ClientInfoServiceAsyncStub, client_info_database: Database
) -> None:
    full = {c.id: c for c in (await stub.BatchGetClients(pb.BatchGetClientsRequest(ids=_ids()))).clients}
    mask = FieldMask(paths=["documents", "health", "last_name", "id"])
    with count_statements(client_info_database) as statements:
        response = await stub.BatchGetClients(pb.BatchGetClientsRequest(ids=_ids(), read_mask=mask))
    assert sorted(_tables(statements)) == ["clients", "documents"]
    for client in response.clients:
        assert list(client.documents) == list(full[client.id].documents)
        assert client.health == full[client.id].health
        assert client.HasField("health") == full[client.id].HasField("health")
        assert not client.addresses
        assert not client.relatives
        assert not client.vehicles
        assert not client.HasField("employment")
        assert not client.HasField("marketing")


async def test_unknown_paths_are_invalid_argument(stub: pb_grpc.ClientInfoServiceAsyncStub) -> None:
    request = pb.BatchGetClientsRequest(ids=_ids(), read_mask=FieldMask(paths=["documents", "passwords"]))
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.BatchGetClients(request)
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    status = rpc_status.from_call(caught.value)
    assert status is not None
    bad_request = error_details_pb2.BadRequest()
    assert status.details[0].Unpack(bad_request)
    assert [v.field for v in bad_request.field_violations] == ["read_mask.paths[1]"]
    assert "'passwords'" in bad_request.field_violations[0].description


async def test_domain_batch_get_with_sections(client_info_database: Database) -> None:
    await seed(client_info_database, clients=3)
    directory = ClientDirectory(client_info_database)
    cards, missing = await directory.batch_get_clients(_ids()[:3], ["vehicles"])
    assert missing == []
    assert len(cards) == 3
    assert all(not card.documents and card.employment is None for card in cards)
    with pytest.raises(InvalidArgument) as caught:
        await directory.batch_get_clients(_ids()[:3], ["nope"])
    assert [v.field for v in caught.value.violations] == ["read_mask.paths[0]"]


def test_parse_read_mask() -> None:
    violations = Violations()
    assert parse_read_mask(None, violations) == ALL_SECTIONS
    assert parse_read_mask([], violations) == frozenset()
    assert parse_read_mask(["id", "email", "marketing"], violations) == {CardSection.MARKETING}
    assert not violations.items
    parse_read_mask(["vehicles", "x", "client.documents"], violations)
    assert [v.field for v in violations.items] == ["read_mask.paths[1]", "read_mask.paths[2]"]
