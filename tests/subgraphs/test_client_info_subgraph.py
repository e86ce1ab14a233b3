"""The client_info subgraph over a real, seeded client_info backend (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from resolvers.convert import age_on
from services.common.catalog import client_seed_id
from subgraphs.client_info.schema import schema
from tests.subgraphs.subgraph_harness import DatabaseFactory, Harness, count_rows, running_subgraph

CARD = """
  id lastName firstName middleName fullName birthDate age phone email
  addresses { kind region city street house apartment postalCode }
  documents { id type number issueDate expiryDate issuer }
  relatives { id relation lastName firstName middleName fullName birthDate age }
  vehicles { id vin plate make model year enginePowerHp }
  profile {
    employment { employer position experienceYears monthlyIncome { kopecks amount currency formatted } }
    health { heightCm weightKg smoker chronicDiseases }
    marketing { consentSms consentEmail segment acquisitionChannel }
  }
  createdAt updatedAt
"""
ENTITIES = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Client { id fullName } } }"
REGISTER = """
mutation($input: RegisterClientInput!) { registerClient(input: $input) { id fullName phone birthDate documents { type number } } }
"""
UNKNOWN = "123e4567-e89b-12d3-a456-426614174000"


@pytest.fixture
async def subgraph(database_factory: DatabaseFactory) -> AsyncIterator[Harness]:
    async with running_subgraph(database_factory, "client_info", clients=30) as harness:
        yield harness


def registration(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "lastName": "Тестова",
        "firstName": "Анна",
        "middleName": "Игоревна",
        "birthDate": "1990-05-17",
        "phone": "+79161234567",
        "email": "anna@example.ru",
        "addresses": [{"kind": "REGISTRATION", "region": "Москва", "city": "Москва"}],
        "documents": [
            {"type": "PASSPORT_RF", "number": "4510 123456", "issueDate": "2010-06-01", "issuer": "ОВД"}
        ],
    }
    values.update(overrides)
    return values


async def test_service_sdl_matches_the_schema(subgraph: Harness) -> None:
    data = await subgraph.data("{ _service { sdl } }")
    sdl = data["_service"]["sdl"]
    assert sdl.strip() == schema.as_str().strip()
    assert 'type Client @key(fields: "id")' in sdl
    assert "federation/v2" in sdl


async def test_client_card(subgraph: Harness) -> None:
    data = await subgraph.data(f'{{ client(id: "{client_seed_id(0)}") {{ {CARD} }} }}')
    card = data["client"]
    assert card["id"] == client_seed_id(0)
    assert card["fullName"].startswith(f"{card['lastName']} {card['firstName']}")
    born = datetime.date.fromisoformat(card["birthDate"])
    assert card["age"] == age_on(born, datetime.date.today())
    assert card["phone"].startswith("+7")
    assert card["documents"]
    assert {d["type"] for d in card["documents"]} <= {
        "PASSPORT_RF",
        "DRIVER_LICENSE",
        "SNILS",
        "INN",
        "FOREIGN_PASSPORT",
    }
    assert (
        card["profile"]["employment"] is None
        or card["profile"]["employment"]["monthlyIncome"]["currency"] == "RUB"
    )
    assert subgraph.rpc_counts() == {"BatchGetClients": 1}


async def test_clients_in_order_with_null_for_unknown(subgraph: Harness) -> None:
    ids = [client_seed_id(3), UNKNOWN, client_seed_id(1), client_seed_id(3)]
    data = await subgraph.data("query($ids: [ID!]!) { clients(ids: $ids) { id } }", {"ids": ids})
    assert [c and c["id"] for c in data["clients"]] == [
        client_seed_id(3),
        None,
        client_seed_id(1),
        client_seed_id(3),
    ]
    assert subgraph.handled("BatchGetClients") == 1


async def test_entities(subgraph: Harness) -> None:
    representations = [
        {"__typename": "Client", "id": client_seed_id(2)},
        {"__typename": "Client", "id": UNKNOWN},
        {"__typename": "Client", "id": "not-a-uuid"},
    ]
    body = await subgraph.post(ENTITIES, {"r": representations})
    first, unknown, malformed = body["data"]["_entities"]
    assert first["id"] == client_seed_id(2)
    assert unknown is None
    assert malformed is None
    # each unresolved reference is null WITH a NOT_FOUND error at its index
    errors = sorted((e["path"], e["extensions"]["code"]) for e in body["errors"])
    assert errors == [(["_entities", 1], "NOT_FOUND"), (["_entities", 2], "NOT_FOUND")]
    assert subgraph.rpc_counts() == {"BatchGetClients": 1}


async def test_id_errors(subgraph: Harness) -> None:
    error = await subgraph.error('{ client(id: "42") { id } }')
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["fieldErrors"][0]["field"] == "id"
    error = await subgraph.error(f'{{ client(id: "{UNKNOWN}") {{ id }} }}')
    assert error["extensions"] == {"code": "NOT_FOUND"}
    assert UNKNOWN in error["message"]
    error = await subgraph.error('{ clients(ids: ["x", "y"]) { id } }')
    assert [f["field"] for f in error["extensions"]["fieldErrors"]] == ["ids[0]", "ids[1]"]
    assert subgraph.rpc_counts() == {"BatchGetClients": 1}  # only the unknown id reached the backend


async def test_oversized_ids_list(subgraph: Harness) -> None:
    ids = [str(uuid.uuid4()) for _ in range(1001)]
    error = await subgraph.error("query($ids: [ID!]!) { clients(ids: $ids) { id } }", {"ids": ids})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert subgraph.rpc_counts() == {}


async def test_search_clients(subgraph: Harness) -> None:
    card = (await subgraph.data(f'{{ client(id: "{client_seed_id(5)}") {{ lastName phone }} }}'))["client"]
    found = await subgraph.data(
        "query($q: String!) { searchClients(query: $q, limit: 50) { id lastName } }", {"q": card["lastName"]}
    )
    assert client_seed_id(5) in {c["id"] for c in found["searchClients"]}
    by_phone = await subgraph.data(
        "query($q: String!) { searchClients(query: $q) { id } }", {"q": card["phone"]}
    )
    assert client_seed_id(5) in {c["id"] for c in by_phone["searchClients"]}
    error = await subgraph.error('{ searchClients(query: "  ") { id } }')
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    error = await subgraph.error('{ searchClients(query: "x", limit: 1000) { id } }')
    assert error["extensions"]["fieldErrors"][0]["field"] == "limit"


async def test_clients_page(subgraph: Harness) -> None:
    query = "query($after: String) { clientsPage(first: 20, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }"
    first = (await subgraph.data(query))["clientsPage"]
    assert len(first["nodes"]) == 20
    assert first["pageInfo"]["hasNextPage"] is True
    second = (await subgraph.data(query, {"after": first["pageInfo"]["endCursor"]}))["clientsPage"]
    assert len(second["nodes"]) == 10
    assert second["pageInfo"] == {"hasNextPage": False, "endCursor": None}
    assert not {n["id"] for n in first["nodes"]} & {n["id"] for n in second["nodes"]}
    error = await subgraph.error(query, {"after": "tampered!"})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["fieldErrors"][0]["field"] == "after"
    error = await subgraph.error("{ clientsPage(first: 101) { nodes { id } } }")
    assert error["extensions"]["fieldErrors"][0]["field"] == "first"


async def test_register_client(subgraph: Harness) -> None:
    data = await subgraph.data(REGISTER, {"input": registration()})
    client = data["registerClient"]
    assert client["fullName"] == "Тестова Анна Игоревна"
    assert client["documents"] == [{"type": "PASSPORT_RF", "number": "4510123456"}]
    assert await count_rows(subgraph.database, "clients") == 31


async def test_register_client_invalid_changes_nothing(subgraph: Harness) -> None:
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    error = await subgraph.error(REGISTER, {"input": registration(phone="8-916-123", birthDate=future)})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    fields = {f["field"] for f in error["extensions"]["fieldErrors"]}
    assert {"input.phone", "input.birthDate"} <= fields
    assert await count_rows(subgraph.database, "clients") == 30


async def test_impossible_date_is_bad_user_input_without_rpc(subgraph: Harness) -> None:
    error = await subgraph.error(REGISTER, {"input": registration(birthDate="1990-02-30")})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "1990-02-30" in error["message"]
    literal = 'mutation { registerClient(input: {lastName: "A", firstName: "B", birthDate: "2024-13-01", phone: "+79161234567"}) { id } }'
    error = await subgraph.error(literal)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert subgraph.rpc_counts() == {}
    assert await count_rows(subgraph.database, "clients") == 30


async def test_update_contacts(subgraph: Harness) -> None:
    mutation = "mutation($input: UpdateClientContactsInput!) { updateClientContacts(input: $input) { id phone email addresses { kind city } } }"
    updated = await subgraph.data(
        mutation,
        {
            "input": {
                "clientId": client_seed_id(1),
                "phone": "+79990001122",
                "addresses": [{"kind": "MAILING", "city": "Казань"}],
            }
        },
    )
    assert updated["updateClientContacts"]["phone"] == "+79990001122"
    assert updated["updateClientContacts"]["addresses"] == [{"kind": "MAILING", "city": "Казань"}]
    error = await subgraph.error(mutation, {"input": {"clientId": client_seed_id(1), "phone": "12"}})
    assert error["extensions"]["fieldErrors"][0]["field"] == "input.phone"
    error = await subgraph.error(mutation, {"input": {"clientId": UNKNOWN, "email": "a@b.ru"}})
    assert error["extensions"]["code"] == "NOT_FOUND"
    error = await subgraph.error(mutation, {"input": {"clientId": "nope", "email": "a@b.ru"}})
    assert error["extensions"]["fieldErrors"][0]["field"] == "input.clientId"


async def test_upsert_document_replaces_same_type(subgraph: Harness) -> None:
    mutation = """
    mutation($id: ID!, $doc: DocumentInput!) {
      upsertClientDocument(clientId: $id, document: $doc) { documents { type number } }
    }"""
    created = await subgraph.data(REGISTER, {"input": registration()})
    client_id = created["registerClient"]["id"]
    document = {"type": "PASSPORT_RF", "number": "4511 654321", "issueDate": "2015-01-10"}
    data = await subgraph.data(mutation, {"id": client_id, "doc": document})
    assert data["upsertClientDocument"]["documents"] == [{"type": "PASSPORT_RF", "number": "4511654321"}]
    error = await subgraph.error(mutation, {"id": client_id, "doc": {**document, "number": "12"}})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["fieldErrors"][0]["field"].startswith("document.")
    error = await subgraph.error(mutation, {"id": UNKNOWN, "doc": document})
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_add_relative(subgraph: Harness) -> None:
    mutation = """
    mutation($id: ID!, $r: RelativeInput!) {
      addClientRelative(clientId: $id, relative: $r) { relatives { relation fullName birthDate age } }
    }"""
    relative = {"relation": "CHILD", "lastName": "Тестов", "firstName": "Иван", "birthDate": "2015-09-01"}
    data = await subgraph.data(mutation, {"id": client_seed_id(0), "r": relative})
    added = [r for r in data["addClientRelative"]["relatives"] if r["fullName"] == "Тестов Иван"]
    assert added[0]["age"] == age_on(datetime.date(2015, 9, 1), datetime.date.today())
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    error = await subgraph.error(mutation, {"id": client_seed_id(0), "r": {**relative, "birthDate": future}})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_health_and_metrics(subgraph: Harness) -> None:
    await subgraph.data(f'{{ client(id: "{client_seed_id(0)}") {{ id }} }}')
    health = await subgraph.http.get("/health")
    assert health.status_code == 200
    assert health.json()["status"] == "SERVING"
    metrics = await subgraph.http.get("/metrics")
    assert metrics.status_code == 200
    assert (
        'grpc_client_handled_total{grpc_code="OK",grpc_method="BatchGetClients",'
        'grpc_service="insuretech.client_info.v1.ClientInfoService"} 1.0' in metrics.text
    )
    assert "grpc_client_handling_seconds_bucket" in metrics.text
