"""The applications subgraph over a real, seeded applications backend (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from services.common.catalog import client_seed_id, product_seed_id
from subgraphs.applications.schema import schema
from tests.subgraphs.subgraph_harness import DatabaseFactory, Harness, count_rows, running_subgraph

FIELDS = """
  id number status appliedAt updatedAt termMonths comment cancellationReason
  client { id } product { id }
  statusHistory { status at reason }
  insuredObject { kind description }
  sumInsured { kopecks amount currency formatted }
  vehicle { vin plate make model year enginePowerHp }
"""
CREATE = """
mutation($input: ApplicationInput!, $key: String!) {
  createApplication(input: $input, idempotencyKey: $key) { created application { id number status client { id } product { id } sumInsured { kopecks } } }
}"""
BATCH = """
mutation($inputs: [ApplicationBatchInput!]!) {
  createApplications(inputs: $inputs) { index created application { id } error { code message fieldErrors { field message } } }
}"""
LIST = """
query($filter: ApplicationFilter, $first: Int, $after: String) {
  applications(filter: $filter, first: $first, after: $after) { nodes { id status appliedAt client { id } } pageInfo { hasNextPage endCursor } }
}"""
CANCEL = "mutation($id: ID!, $reason: String!) { cancelApplication(id: $id, reason: $reason) { id status cancellationReason statusHistory { status } } }"
UNKNOWN = "123e4567-e89b-12d3-a456-426614174000"


@pytest.fixture
async def subgraph(database_factory: DatabaseFactory) -> AsyncIterator[Harness]:
    async with running_subgraph(database_factory, "applications", clients=20) as harness:
        yield harness


def life_input(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "clientId": client_seed_id(0),
        "productId": product_seed_id("LIFE-BASIC"),
        "insuredObject": {"kind": "PERSON", "description": "Застрахованный"},
        "sumInsuredKopecks": 300_000_000_00,  # 300 million rubles: beyond a 32-bit Int
        "termMonths": 120,
        "comment": "Серебряная ложка в подарок",
    }
    values.update(overrides)
    return values


async def newest(subgraph: Harness, count: int = 5) -> list[dict[str, Any]]:
    data = await subgraph.data(LIST, {"first": count})
    nodes: list[dict[str, Any]] = data["applications"]["nodes"]
    return nodes


async def test_service_sdl(subgraph: Harness) -> None:
    sdl = (await subgraph.data("{ _service { sdl } }"))["_service"]["sdl"]
    assert sdl.strip() == schema.as_str().strip()
    assert 'type Application @key(fields: "id")' in sdl
    assert 'type Product @key(fields: "id", resolvable: false)' in sdl
    assert "applications(first: Int! = 20): [Application!]!" in sdl


async def test_application_by_id(subgraph: Harness) -> None:
    (node,) = await newest(subgraph, 1)
    data = await subgraph.data(f'{{ application(id: "{node["id"]}") {{ {FIELDS} }} }}')
    application = data["application"]
    assert application["number"].startswith("APP-")
    assert application["statusHistory"][0]["status"] == "DRAFT"
    assert application["statusHistory"][-1]["status"] == application["status"]
    assert application["sumInsured"]["currency"] == "RUB"
    assert application["client"]["id"] == node["client"]["id"]
    error = await subgraph.error(f'{{ application(id: "{UNKNOWN}") {{ id }} }}')
    assert error["extensions"]["code"] == "NOT_FOUND"
    error = await subgraph.error('{ application(id: "APP-1") { id } }')
    assert error["extensions"]["fieldErrors"] == [
        {"field": "id", "message": error["extensions"]["fieldErrors"][0]["message"]}
    ]


async def test_entities(subgraph: Harness) -> None:
    nodes = await newest(subgraph, 3)
    query = """query($r: [_Any!]!) { _entities(representations: $r) {
        ... on Application { id number }
        ... on Client { id applications(first: 2) { id client { id } } }
    } }"""
    representations = [{"__typename": "Application", "id": n["id"]} for n in nodes]
    representations += [{"__typename": "Application", "id": UNKNOWN}]
    representations += [{"__typename": "Client", "id": client_seed_id(i)} for i in range(10)]
    body = await subgraph.post(query, {"r": representations})
    entities = body["data"]["_entities"]
    assert [e and e["id"] for e in entities[:4]] == [n["id"] for n in nodes] + [None]
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [(["_entities", 3], "NOT_FOUND")]
    clients = entities[4:]
    for index, client in enumerate(clients):
        assert client["id"] == client_seed_id(index)
        assert len(client["applications"]) <= 2
        assert all(a["client"]["id"] == client_seed_id(index) for a in client["applications"])
    assert subgraph.rpc_counts() == {
        "ListApplications": 1,
        "BatchGetApplications": 1,
        "BatchListApplicationsByClient": 1,
    }


async def test_list_filter_and_pagination(subgraph: Harness) -> None:
    first = (await subgraph.data(LIST, {"first": 10}))["applications"]
    assert first["pageInfo"]["hasNextPage"] is True
    second = (await subgraph.data(LIST, {"first": 10, "after": first["pageInfo"]["endCursor"]}))[
        "applications"
    ]
    assert not {n["id"] for n in first["nodes"]} & {n["id"] for n in second["nodes"]}
    applied = sorted(n["appliedAt"] for n in first["nodes"] + second["nodes"])
    assert [n["appliedAt"] for n in first["nodes"] + second["nodes"]] == applied[::-1]
    day = first["nodes"][0]["appliedAt"][:10]
    status = first["nodes"][0]["status"]
    filtered = await subgraph.data(
        LIST, {"filter": {"appliedFrom": day, "appliedTo": day, "status": status}, "first": 100}
    )
    nodes = filtered["applications"]["nodes"]
    assert first["nodes"][0]["id"] in {n["id"] for n in nodes}
    assert all(n["status"] == status and n["appliedAt"][:10] == day for n in nodes)
    mine = await subgraph.data(LIST, {"filter": {"clientId": client_seed_id(1)}, "first": 100})
    assert all(n["client"]["id"] == client_seed_id(1) for n in mine["applications"]["nodes"])


async def test_list_errors(subgraph: Harness) -> None:
    error = await subgraph.error(LIST, {"filter": {"appliedFrom": "2025-02-30"}})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    error = await subgraph.error('{ applications(filter: {appliedTo: "2025-13-01"}) { nodes { id } } }')
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    error = await subgraph.error(LIST, {"filter": {"clientId": "client-1"}})
    assert error["extensions"]["fieldErrors"][0]["field"] == "filter.clientId"
    error = await subgraph.error(LIST, {"after": "garbage"})
    assert error["extensions"]["fieldErrors"][0]["field"] == "after"
    error = await subgraph.error(LIST, {"first": 500})
    assert error["extensions"]["fieldErrors"][0]["field"] == "first"
    error = await subgraph.error(LIST, {"filter": {"status": "LOST"}})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    error = await subgraph.error(LIST, {"filter": {"appliedFrom": "2025-03-02", "appliedTo": "2025-03-01"}})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_search(subgraph: Harness) -> None:
    created = await subgraph.data(
        CREATE, {"input": life_input(comment="Коллекция: серебряная ложка"), "key": "search-key-1"}
    )
    application_id = created["createApplication"]["application"]["id"]
    found = await subgraph.data(
        "query($q: String!) { searchApplications(q: $q, limit: 100) { id comment } }", {"q": "ложка"}
    )
    assert application_id in {a["id"] for a in found["searchApplications"]}
    error = await subgraph.error('{ searchApplications(q: "") { id } }')
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["fieldErrors"][0]["field"] == "q"


async def test_create_is_idempotent(subgraph: Harness) -> None:
    before = await count_rows(subgraph.database, "applications")
    first = (await subgraph.data(CREATE, {"input": life_input(), "key": "partner-42-0001"}))[
        "createApplication"
    ]
    assert first["created"] is True
    assert first["application"]["status"] == "DRAFT"
    assert first["application"]["sumInsured"]["kopecks"] == 300_000_000_00
    assert first["application"]["product"]["id"] == product_seed_id("LIFE-BASIC")
    again = (await subgraph.data(CREATE, {"input": life_input(), "key": "partner-42-0001"}))[
        "createApplication"
    ]
    assert again == {**first, "created": False}
    assert await count_rows(subgraph.database, "applications") == before + 1
    error = await subgraph.error(CREATE, {"input": life_input(termMonths=24), "key": "partner-42-0001"})
    assert error["extensions"]["code"] == "ALREADY_EXISTS"


async def test_create_invalid_changes_nothing(subgraph: Harness) -> None:
    before = await count_rows(subgraph.database, "applications")
    outbox = await count_rows(subgraph.database, "outbox")
    bad = life_input(clientId="nope", sumInsuredKopecks=0, termMonths=0)
    error = await subgraph.error(CREATE, {"input": bad, "key": "short"})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    fields = {f["field"] for f in error["extensions"]["fieldErrors"]}
    assert {"idempotencyKey", "input.clientId", "input.sumInsuredKopecks", "input.termMonths"} <= fields
    error = await subgraph.error(
        CREATE, {"input": life_input(insuredObject={"kind": "VEHICLE"}), "key": "vehicle-key-1"}
    )
    assert "input.vehicle" in {f["field"] for f in error["extensions"]["fieldErrors"]}
    error = await subgraph.error(CREATE, {"input": life_input(sumInsuredKopecks=2**60), "key": "long-key-01"})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert await count_rows(subgraph.database, "applications") == before
    assert await count_rows(subgraph.database, "outbox") == outbox


async def test_create_many(subgraph: Harness) -> None:
    before = await count_rows(subgraph.database, "applications")
    inputs = [
        {"idempotencyKey": "batch-key-0001", "application": life_input()},
        {"idempotencyKey": "batch-key-0002", "application": life_input(termMonths=0)},
        {"idempotencyKey": "batch-key-0003", "application": life_input(clientId=client_seed_id(2))},
    ]
    results = (await subgraph.data(BATCH, {"inputs": inputs}))["createApplications"]
    assert [r["index"] for r in results] == [0, 1, 2]
    assert results[0]["created"]
    assert results[0]["application"]
    assert results[0]["error"] is None
    assert results[1]["application"] is None
    assert results[1]["error"]["code"] == "BAD_USER_INPUT"
    # the argument path a client sent: each item wraps its input in `application`
    assert results[1]["error"]["fieldErrors"][0]["field"] == "inputs[1].application.termMonths"
    assert results[2]["created"] is True
    assert await count_rows(subgraph.database, "applications") == before + 2


async def test_create_many_oversized_changes_nothing(subgraph: Harness) -> None:
    before = await count_rows(subgraph.database, "applications")
    inputs = [{"idempotencyKey": f"oversized-{i:04d}", "application": life_input()} for i in range(101)]
    error = await subgraph.error(BATCH, {"inputs": inputs})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["fieldErrors"][0]["field"] == "inputs"
    assert await count_rows(subgraph.database, "applications") == before


async def test_cancel(subgraph: Harness) -> None:
    created = await subgraph.data(CREATE, {"input": life_input(), "key": "cancel-key-0001"})
    application_id = created["createApplication"]["application"]["id"]
    cancelled = (await subgraph.data(CANCEL, {"id": application_id, "reason": "Клиент передумал"}))[
        "cancelApplication"
    ]
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["cancellationReason"] == "Клиент передумал"
    assert [s["status"] for s in cancelled["statusHistory"]] == ["DRAFT", "CANCELLED"]
    history = await count_rows(subgraph.database, "status_history")
    outbox = await count_rows(subgraph.database, "outbox")
    again = (await subgraph.data(CANCEL, {"id": application_id, "reason": "Ещё раз"}))["cancelApplication"]
    assert again == cancelled  # a repeated cancel is idempotent: the state as it stands, nothing written
    assert await count_rows(subgraph.database, "status_history") == history
    assert await count_rows(subgraph.database, "outbox") == outbox
    error = await subgraph.error(CANCEL, {"id": UNKNOWN, "reason": "x"})
    assert error["extensions"]["code"] == "NOT_FOUND"
    error = await subgraph.error(CANCEL, {"id": "bad", "reason": "x"})
    assert error["extensions"]["fieldErrors"][0]["field"] == "id"


async def test_cancel_needs_a_reason(subgraph: Harness) -> None:
    created = await subgraph.data(CREATE, {"input": life_input(), "key": "cancel-key-0002"})
    application_id = created["createApplication"]["application"]["id"]
    error = await subgraph.error(CANCEL, {"id": application_id, "reason": ""})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["fieldErrors"][0]["field"] == "reason"


async def test_transition(subgraph: Harness) -> None:
    mutation = 'mutation($id: ID!, $to: ApplicationStatus!) { transitionApplication(id: $id, toStatus: $to, reason: "back office") { status } }'
    created = await subgraph.data(CREATE, {"input": life_input(), "key": "transition-0001"})
    application_id = created["createApplication"]["application"]["id"]
    moved = await subgraph.data(mutation, {"id": application_id, "to": "SUBMITTED"})
    assert moved["transitionApplication"]["status"] == "SUBMITTED"
    error = await subgraph.error(mutation, {"id": application_id, "to": "COMPLETED"})
    assert error["extensions"]["code"] == "FAILED_PRECONDITION"
    error = await subgraph.error(mutation, {"id": str(uuid.uuid4()), "to": "SUBMITTED"})
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_health_and_metrics(subgraph: Harness) -> None:
    assert (await subgraph.http.get("/health")).status_code == 200
    await newest(subgraph)
    text = (await subgraph.http.get("/metrics")).text
    assert (
        'grpc_method="ListApplications",grpc_service="insuretech.applications.v1.ApplicationsService"' in text
    )


async def test_the_gateways_partner_id_scopes_every_backend_call(subgraph: Harness) -> None:
    as_acme = {"x-partner-id": "acme-bank"}
    seeded = await newest(subgraph, 5)
    assert len(seeded) == 5  # seeded by the first party
    response = await subgraph.http.post(
        "/graphql", json={"query": "{ applications(first: 5) { nodes { id } } }"}, headers=as_acme
    )
    assert response.json() == {"data": {"applications": {"nodes": []}}}
    created = await subgraph.http.post(
        "/graphql",
        json={"query": CREATE, "variables": {"input": life_input(), "key": "acme-key-00001"}},
        headers=as_acme,
    )
    mine = created.json()["data"]["createApplication"]["application"]["id"]
    response = await subgraph.http.post(
        "/graphql", json={"query": "{ applications(first: 5) { nodes { id } } }"}, headers=as_acme
    )
    assert response.json()["data"]["applications"]["nodes"] == [{"id": mine}]
    hidden = await subgraph.http.post(
        "/graphql", json={"query": f'{{ application(id: "{seeded[0]["id"]}") {{ id }} }}'}, headers=as_acme
    )
    assert hidden.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_a_malformed_partner_id_is_never_taken_for_the_first_party(subgraph: Harness) -> None:
    response = await subgraph.http.post(
        "/graphql",
        json={"query": "{ applications(first: 5) { nodes { id } } }"},
        headers={"x-partner-id": "Not A Partner"},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert "nodes" not in response.text
