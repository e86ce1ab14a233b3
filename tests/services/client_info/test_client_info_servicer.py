"""The gRPC surface over a real in-process server: every RPC, every error status and its details."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import grpc
import pytest
from google.rpc import code_pb2, error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_status import rpc_status

from schema.protos import client_info_pb2 as pb
from schema.protos import client_info_pb2_grpc as pb_grpc
from services.client_info.app import SERVICE_NAME, build_spec
from services.client_info.seed import seed
from services.common.catalog import client_seed_id
from services.common.db import Database
from services.common.server import build_server
from tests.services.client_info.client_info_harness import INN, SNILS, count_statements, snapshot

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
TOMORROW = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()


@pytest.fixture
async def stub(client_info_database: Database) -> AsyncIterator[pb_grpc.ClientInfoServiceAsyncStub]:
    """A stub talking to a real client_info server on an ephemeral port."""
    server, port = await build_server(build_spec(client_info_database), "127.0.0.1:0")
    await server.start()
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        yield cast("pb_grpc.ClientInfoServiceAsyncStub", pb_grpc.ClientInfoServiceStub(channel))
    await server.stop(None)


def _register_request(**overrides: Any) -> pb.RegisterClientRequest:
    request = pb.RegisterClientRequest(
        last_name="Иванова",
        first_name="Мария",
        middle_name="Сергеевна",
        birth_date="1990-02-28",
        phone="+79161234567",
        email="maria.ivanova@example.ru",
        addresses=[pb.Address(kind=pb.REGISTRATION, region="г. Москва", city="Москва", postal_code="101000")],
        documents=[
            pb.Document(type=pb.PASSPORT_RF, number="4510 123456", issue_date="2010-03-10", issuer="ГУ МВД"),
            pb.Document(type=pb.SNILS, number=SNILS),
        ],
    )
    for name, value in overrides.items():
        if name == "addresses":
            del request.addresses[:]
            request.addresses.extend(value)
        elif name == "documents":
            del request.documents[:]
            request.documents.extend(value)
        else:
            setattr(request, name, value)
    return request


async def _error(call: Awaitable[Any]) -> tuple[grpc.StatusCode, str, list[tuple[str, str]]]:
    """The status code, message and field violations of a call that must fail."""
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call
    status = rpc_status.from_call(caught.value)
    violations: list[tuple[str, str]] = []
    if status is not None:
        for detail in status.details:
            bad_request = error_details_pb2.BadRequest()
            assert detail.Unpack(bad_request)
            violations += [(v.field, v.description) for v in bad_request.field_violations]
    return caught.value.code(), caught.value.details() or "", violations


async def _fields_of_invalid(call: Awaitable[Any]) -> list[str]:
    code, _message, violations = await _error(call)
    assert code is grpc.StatusCode.INVALID_ARGUMENT
    assert violations, "INVALID_ARGUMENT must carry field violations"
    return [field for field, _ in violations]


async def test_register_and_get(stub: pb_grpc.ClientInfoServiceAsyncStub) -> None:
    client = await stub.RegisterClient(_register_request())
    assert client.phone == "+79161234567"
    assert [(d.type, d.number) for d in client.documents] == [
        (pb.PASSPORT_RF, "4510123456"),
        (pb.SNILS, "11223344595"),
    ]
    assert client.documents[0].issue_date == "2010-03-10"
    assert client.documents[1].issue_date == ""
    assert client.addresses[0].kind == pb.REGISTRATION
    assert client.created_at.seconds > 0
    assert client.updated_at == client.created_at
    assert not client.HasField("employment")
    assert await stub.GetClient(pb.GetClientRequest(id=client.id)) == client


async def test_get_errors(stub: pb_grpc.ClientInfoServiceAsyncStub) -> None:
    assert await _fields_of_invalid(stub.GetClient(pb.GetClientRequest(id="42"))) == ["id"]
    code, message, violations = await _error(stub.GetClient(pb.GetClientRequest(id=UNKNOWN_ID)))
    assert code is grpc.StatusCode.NOT_FOUND
    assert UNKNOWN_ID in message
    assert violations == []


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"phone": "8 (916) 123-45-67"}, ["phone"]),
        ({"phone": ""}, ["phone"]),
        ({"birth_date": "2025-02-30"}, ["birth_date"]),
        ({"birth_date": TOMORROW}, ["birth_date"]),
        ({"documents": [pb.Document(type=pb.SNILS, number="112-233-445 96")]}, ["documents[0].number"]),
        ({"documents": [pb.Document(type=pb.INN, number="500100732258")]}, ["documents[0].number"]),
        ({"documents": [pb.Document(number="4510123456")]}, ["documents[0].type"]),
        (
            {"documents": [pb.Document(type=pb.PASSPORT_RF, number="4510123456", issue_date="1989-01-01")]},
            ["documents[0].issue_date"],
        ),
        ({"last_name": "", "first_name": "M4ria", "email": "nope"}, ["last_name", "first_name", "email"]),
        (
            {"addresses": [pb.Address(city="Москва"), pb.Address(kind=pb.MAILING, city="")]},
            ["addresses[0].kind", "addresses[1].city"],
        ),
    ],
)
async def test_register_rejects_bad_input_without_writing(
    stub: pb_grpc.ClientInfoServiceAsyncStub,
    client_info_database: Database,
    overrides: dict[str, Any],
    fields: list[str],
) -> None:
    before = await snapshot(client_info_database)
    assert await _fields_of_invalid(stub.RegisterClient(_register_request(**overrides))) == fields
    assert await snapshot(client_info_database) == before


async def test_register_duplicate_document_is_already_exists(
    stub: pb_grpc.ClientInfoServiceAsyncStub, client_info_database: Database
) -> None:
    await stub.RegisterClient(_register_request())
    before = await snapshot(client_info_database)
    again = _register_request(first_name="Анна", documents=[pb.Document(type=pb.SNILS, number="11223344595")])
    code, message, _ = await _error(stub.RegisterClient(again))
    assert code is grpc.StatusCode.ALREADY_EXISTS
    assert "SNILS" in message
    assert await snapshot(client_info_database) == before


async def test_batch_get_of_1000_ids_is_one_client_query(
    stub: pb_grpc.ClientInfoServiceAsyncStub, client_info_database: Database
) -> None:
    await seed(client_info_database, clients=1000)
    ids = [client_seed_id(i) for i in range(1000)]
    with count_statements(client_info_database) as statements:
        response = await stub.BatchGetClients(pb.BatchGetClientsRequest(ids=ids))
    assert [c.id for c in response.clients] == ids
    assert list(response.missing_ids) == []
    assert sum(bool(re.search(r"\bFROM clients\b", s)) for s in statements) == 1
    assert len(statements) == 5  # the clients, then one query per child table for all of them
    mixed = await stub.BatchGetClients(
        pb.BatchGetClientsRequest(ids=[ids[3], "not-an-id", UNKNOWN_ID, ids[3]])
    )
    assert [c.id for c in mixed.clients] == [ids[3]]
    assert list(mixed.missing_ids) == ["not-an-id", UNKNOWN_ID]
    too_many = pb.BatchGetClientsRequest(ids=[*ids, UNKNOWN_ID])
    assert await _fields_of_invalid(stub.BatchGetClients(too_many)) == ["ids"]


async def test_search(stub: pb_grpc.ClientInfoServiceAsyncStub) -> None:
    client = await stub.RegisterClient(_register_request())
    for query in ("иванова мария", "МАРИЯ", "916123", "+7 (916) 123-45-67", "4510 123456", SNILS):
        response = await stub.SearchClients(pb.SearchClientsRequest(query=query))
        assert [c.id for c in response.clients] == [client.id], query
    assert list((await stub.SearchClients(pb.SearchClientsRequest(query="Петров"))).clients) == []
    assert await _fields_of_invalid(stub.SearchClients(pb.SearchClientsRequest(query="x", limit=101))) == [
        "limit"
    ]
    assert await _fields_of_invalid(stub.SearchClients(pb.SearchClientsRequest(query=" "))) == ["query"]


async def test_list_clients(stub: pb_grpc.ClientInfoServiceAsyncStub, client_info_database: Database) -> None:
    await seed(client_info_database, clients=45)
    first = await stub.ListClients(pb.ListClientsRequest())
    assert len(first.clients) == 20
    seen = [c.id for c in first.clients]
    token = first.next_page_token
    while token:
        page = await stub.ListClients(pb.ListClientsRequest(page_size=20, page_token=token))
        seen += [c.id for c in page.clients]
        token = page.next_page_token
    assert sorted(seen) == sorted(client_seed_id(i) for i in range(45))
    names = [
        (c.last_name, c.first_name, c.id)
        for c in (await stub.ListClients(pb.ListClientsRequest(page_size=100))).clients
    ]
    assert len(names) == 45
    assert await _fields_of_invalid(stub.ListClients(pb.ListClientsRequest(page_size=101))) == ["page_size"]
    tampered = first.next_page_token[:-4] + "AAAA"
    assert await _fields_of_invalid(stub.ListClients(pb.ListClientsRequest(page_token=tampered))) == [
        "page_token"
    ]


async def test_update_contacts(
    stub: pb_grpc.ClientInfoServiceAsyncStub, client_info_database: Database
) -> None:
    client = await stub.RegisterClient(_register_request())
    only_email = await stub.UpdateContacts(
        pb.UpdateContactsRequest(client_id=client.id, email="m@example.com")
    )
    assert (only_email.phone, only_email.email) == ("+79161234567", "m@example.com")
    moved = await stub.UpdateContacts(
        pb.UpdateContactsRequest(
            client_id=client.id,
            phone="+7 999 000-11-22",
            addresses=[pb.Address(kind=pb.RESIDENCE, city="Казань", region="Республика Татарстан")],
        )
    )
    assert moved.phone == "+79990001122"
    assert [(a.kind, a.city) for a in moved.addresses] == [(pb.RESIDENCE, "Казань")]
    before = await snapshot(client_info_database)
    bad_phone = pb.UpdateContactsRequest(client_id=client.id, phone="+7 999", email="ok@example.com")
    assert await _fields_of_invalid(stub.UpdateContacts(bad_phone)) == ["phone"]
    assert await _fields_of_invalid(stub.UpdateContacts(pb.UpdateContactsRequest(client_id=client.id))) == [
        "phone"
    ]
    assert await _fields_of_invalid(
        stub.UpdateContacts(pb.UpdateContactsRequest(client_id="x", email="a@b.ru"))
    ) == ["client_id"]
    code, message, _ = await _error(
        stub.UpdateContacts(pb.UpdateContactsRequest(client_id=UNKNOWN_ID, email="a@b.ru"))
    )
    assert code is grpc.StatusCode.NOT_FOUND
    assert UNKNOWN_ID in message
    assert await snapshot(client_info_database) == before


async def test_upsert_document(
    stub: pb_grpc.ClientInfoServiceAsyncStub, client_info_database: Database
) -> None:
    client = await stub.RegisterClient(_register_request())
    other = await stub.RegisterClient(_register_request(documents=[pb.Document(type=pb.INN, number=INN)]))
    licence = pb.Document(
        type=pb.DRIVER_LICENSE, number="77 12 345678", issue_date="2015-06-01", expiry_date="2025-06-01"
    )
    updated = await stub.UpsertDocument(pb.UpsertDocumentRequest(client_id=client.id, document=licence))
    assert {d.type: d.expiry_date for d in updated.documents}[pb.DRIVER_LICENSE] == "2025-06-01"
    renewed = pb.Document(
        type=pb.DRIVER_LICENSE, number="7724000001", issue_date="2025-06-02", expiry_date="2035-06-02"
    )
    updated = await stub.UpsertDocument(pb.UpsertDocumentRequest(client_id=client.id, document=renewed))
    assert [d.number for d in updated.documents if d.type == pb.DRIVER_LICENSE] == ["7724000001"]
    before = await snapshot(client_info_database)
    clash = pb.UpsertDocumentRequest(client_id=client.id, document=pb.Document(type=pb.INN, number=INN))
    code, message, _ = await _error(stub.UpsertDocument(clash))
    assert code is grpc.StatusCode.ALREADY_EXISTS
    assert INN in message
    unknown_type = pb.UpsertDocumentRequest(client_id=client.id, document=pb.Document(type=99, number="1"))  # type: ignore[arg-type]
    assert await _fields_of_invalid(stub.UpsertDocument(unknown_type)) == ["document.type"]
    assert await _fields_of_invalid(stub.UpsertDocument(pb.UpsertDocumentRequest(client_id=client.id))) == [
        "document.type"
    ]
    code, _, _ = await _error(
        stub.UpsertDocument(pb.UpsertDocumentRequest(client_id=UNKNOWN_ID, document=licence))
    )
    assert code is grpc.StatusCode.NOT_FOUND
    assert await snapshot(client_info_database) == before
    assert other.id != client.id


async def test_add_relative(stub: pb_grpc.ClientInfoServiceAsyncStub, client_info_database: Database) -> None:
    client = await stub.RegisterClient(_register_request())
    son = pb.Relative(
        relation=pb.CHILD,
        last_name="Иванов",
        first_name="Пётр",
        middle_name="Алексеевич",
        birth_date="2015-01-31",
    )
    updated = await stub.AddRelative(pb.AddRelativeRequest(client_id=client.id, relative=son))
    assert [(r.relation, r.first_name, r.birth_date) for r in updated.relatives] == [
        (pb.CHILD, "Пётр", "2015-01-31")
    ]
    assert updated.relatives[0].id
    before = await snapshot(client_info_database)
    unborn = pb.Relative(relation=pb.CHILD, last_name="Иванов", first_name="Илья", birth_date=TOMORROW)
    assert await _fields_of_invalid(
        stub.AddRelative(pb.AddRelativeRequest(client_id=client.id, relative=unborn))
    ) == ["relative.birth_date"]
    code, _, _ = await _error(stub.AddRelative(pb.AddRelativeRequest(client_id=UNKNOWN_ID, relative=son)))
    assert code is grpc.StatusCode.NOT_FOUND
    assert await snapshot(client_info_database) == before


async def test_health_reports_the_service_serving(client_info_database: Database) -> None:
    server, port = await build_server(build_spec(client_info_database), "127.0.0.1:0")
    await server.start()
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            health = health_pb2_grpc.HealthStub(channel)
            reply = await health.Check(health_pb2.HealthCheckRequest(service=SERVICE_NAME))
            assert reply.status == health_pb2.HealthCheckResponse.SERVING
    finally:
        await server.stop(None)
    assert code_pb2.OK == 0
