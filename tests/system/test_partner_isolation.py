"""Issue 7, item 4: partners are isolated on GraphQL, REST and WebSocket alike.

Every application records who created it. A partner's idempotency keys are its own, and it
reads, lists, searches, cancels and subscribes only to what it created — another partner's
application answers exactly like one that does not exist. The first-party web app sees all.
The gateway sets ``x-partner-id`` from the API key; what a client sends under that name is ignored.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import text
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from services.common.catalog import client_seed_id
from tests.system.system_calls import OSAGO, graphql, life_input, new_key, run_persisted
from tests.system.system_world import KEYS, World, persisted

SEARCH = "query($q: String!) { searchApplications(q: $q, limit: 100) { id comment } }"


async def _create(
    world: World, partner: str, comment: str = "", key: str | None = None, client: int = 0
) -> str:
    async with world.client(partner) as http:
        body = await run_persisted(
            http,
            "CreateApplication",
            {"input": life_input(client=client, comment=comment), "idempotencyKey": key or new_key()},
        )
    assert "errors" not in body, body
    return str(body["data"]["createApplication"]["application"]["id"])


async def _owner(world: World, application_id: str) -> str:
    async with world.database("applications") as database, database.reader() as session:
        result = await session.execute(
            text("SELECT owner FROM applications WHERE id = :id"), {"id": application_id}
        )
        return str(result.scalar_one())


async def test_every_application_records_its_owner(world: World) -> None:
    acme = await _create(world, "acme-bank")
    travel = await _create(world, "travelshop")
    async with world.client("webapp") as web:
        body = await graphql(
            web,
            "mutation($input: ApplicationInput!, $key: String!) { createApplication(input: $input, idempotencyKey: $key) { application { id } } }",
            {"input": life_input(), "key": new_key()},
        )
    web_id = body["data"]["createApplication"]["application"]["id"]
    assert [await _owner(world, i) for i in (acme, travel, web_id)] == [
        "partner:acme-bank",
        "partner:travelshop",
        "first-party",
    ]


async def test_the_same_idempotency_key_from_two_partners_creates_two_applications(world: World) -> None:
    key = new_key("shared")
    acme_id = await _create(world, "acme-bank", comment="acme's", key=key)
    travel_id = await _create(world, "travelshop", comment="travel's, another request", key=key)
    assert acme_id != travel_id
    async with world.client("acme-bank") as acme:
        replay = await run_persisted(
            acme, "CreateApplication", {"input": life_input(comment="acme's"), "idempotencyKey": key}
        )
    assert replay["data"]["createApplication"]["created"] is False
    assert replay["data"]["createApplication"]["application"]["id"] == acme_id
    async with world.client("travelshop") as travel:
        mine = await run_persisted(travel, "GetApplication", {"id": travel_id})
    assert mine["data"]["application"]["comment"] == "travel's, another request"


async def test_a_partner_reads_lists_and_searches_only_its_own(world: World) -> None:
    word = f"zq{uuid.uuid4().hex[:12]}"
    acme_id = await _create(world, "acme-bank", comment=f"Private note {word}")
    async with world.client("travelshop") as travel:
        read = await run_persisted(travel, "GetApplication", {"id": acme_id})
        assert read["data"]["application"] is None
        assert [e["extensions"]["code"] for e in read["errors"]] == ["NOT_FOUND"]
        rest = await travel.get(f"/api/v1/applications/{acme_id}")
        assert rest.status_code == 404
        assert rest.json()["code"] == "NOT_FOUND"
        listed = await run_persisted(travel, "ListApplications", {"first": 100})
        assert acme_id not in {n["id"] for n in listed["data"]["applications"]["nodes"]}
        searched = await run_persisted(travel, "SearchApplications", {"q": word})
        assert searched["data"]["searchApplications"] == []
        rest_search = await travel.get("/api/v1/applications/search", params={"q": word})
        assert rest_search.json() == []
        forged = await travel.get(f"/api/v1/applications/{acme_id}", headers={"x-partner-id": "acme-bank"})
        assert forged.status_code == 404  # naming another partner changes nothing
    async with world.client("acme-bank") as acme:
        found = await run_persisted(acme, "SearchApplications", {"q": word})
        assert [a["id"] for a in found["data"]["searchApplications"]] == [acme_id]
    async with world.client("webapp") as web:  # the first party sees every partner's data
        found = await graphql(web, SEARCH, {"q": word})
        assert [a["id"] for a in found["data"]["searchApplications"]] == [acme_id]


async def test_a_partner_cannot_cancel_another_partners_application(world: World) -> None:
    acme_id = await _create(world, "acme-bank")
    outbox = await world.count("applications", "outbox", "aggregate_id = :id", id=acme_id)
    async with world.client("travelshop") as travel:
        rest = await travel.post(f"/api/v1/applications/{acme_id}/cancel", json={"reason": "Чужая заявка"})
        graph = await run_persisted(travel, "CancelApplication", {"id": acme_id, "reason": "Чужая заявка"})
    assert rest.status_code == 404
    assert rest.headers["content-type"] == "application/problem+json"
    assert [e["extensions"]["code"] for e in graph["errors"]] == ["NOT_FOUND"]
    assert await world.count("applications", "outbox", "aggregate_id = :id", id=acme_id) == outbox
    async with world.client("acme-bank") as acme:
        mine = await run_persisted(acme, "GetApplication", {"id": acme_id})
    assert mine["data"]["application"]["status"] == "DRAFT"


async def test_a_partner_sees_only_its_own_applications_of_a_client(world: World) -> None:
    client = 5
    sandbox_id = await _create_free_form(world, "sandbox", client)
    web_id = await _create_free_form(world, "webapp", client)
    query = "query($id: ID!) { client(id: $id) { applications(first: 100) { id } } }"
    async with world.client("sandbox") as sandbox:
        own = await graphql(sandbox, query, {"id": client_seed_id(client)})
    async with world.client("webapp") as web:
        every = await graphql(web, query, {"id": client_seed_id(client)})
    assert [a["id"] for a in own["data"]["client"]["applications"]] == [sandbox_id]
    assert {sandbox_id, web_id} <= {a["id"] for a in every["data"]["client"]["applications"]}


async def _create_free_form(world: World, partner: str, client: int, product: str | None = None) -> str:
    mutation = "mutation($input: ApplicationInput!, $key: String!) { createApplication(input: $input, idempotencyKey: $key) { application { id } } }"
    overrides: dict[str, Any] = {}
    if product == OSAGO:
        overrides = {
            "productId": OSAGO,
            "insuredObject": {"kind": "VEHICLE", "description": "Lada Vesta"},
            "vehicle": {"vin": "XTA21129012345678", "year": 2020, "enginePowerHp": 106},
            "submit": True,
        }
    async with world.client(partner) as http:
        body = await graphql(
            http, mutation, {"input": life_input(client=client, **overrides), "key": new_key()}
        )
    assert "errors" not in body, body
    return str(body["data"]["createApplication"]["application"]["id"])


@asynccontextmanager
async def _socket(world: World, partner: str) -> AsyncIterator[ClientConnection]:
    url = world.gateway.replace("http://", "ws://") + "/graphql"
    protocols = [Subprotocol("graphql-transport-ws")]
    async with connect(
        url, subprotocols=protocols, additional_headers={"x-api-key": KEYS[partner]}
    ) as socket:
        await socket.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        yield socket


async def _operation(socket: ClientConnection, payload: dict[str, Any]) -> list[dict[str, Any]]:
    """Subscribe; every message of the operation until ``complete`` or ``error``."""
    op_id = uuid.uuid4().hex
    await socket.send(json.dumps({"id": op_id, "type": "subscribe", "payload": payload}))
    messages = []
    while True:
        message = json.loads(await socket.recv())
        assert message.get("id") == op_id, message
        messages.append(message)
        if message["type"] in ("complete", "error"):
            return messages


async def test_over_websocket_a_partner_reads_only_its_own(world: World) -> None:
    acme_id = await _create(world, "acme-bank")
    persisted_get = {"persistedQuery": {"version": 1, "sha256Hash": persisted("GetApplication")}}
    async with _socket(world, "travelshop") as socket:
        messages = await _operation(socket, {"extensions": persisted_get, "variables": {"id": acme_id}})
    payload = messages[0]["payload"]
    assert payload["data"]["application"] is None
    assert [e["extensions"]["code"] for e in payload["errors"]] == ["NOT_FOUND"]
    async with _socket(world, "acme-bank") as socket:
        messages = await _operation(socket, {"extensions": persisted_get, "variables": {"id": acme_id}})
    assert messages[0]["payload"]["data"]["application"]["id"] == acme_id


async def test_a_partner_subscribes_only_to_offers_of_its_own_applications(world: World) -> None:
    partner = "sandbox"  # free-form GraphQL, so it may subscribe at all; not first party
    web_application = await _create_free_form(world, "webapp", 6, OSAGO)
    quote = {
        "applicationId": web_application,
        "clientId": client_seed_id(6),
        "enginePowerHp": 106,
        "region": "77",
        "driverAge": 35,
        "driverExperienceYears": 10,
    }
    start = "mutation($input: OsagoQuoteInput!) { requestOsagoQuotes(input: $input) { id } }"
    async with world.client("webapp") as web:
        session_id = (await graphql(web, start, {"input": quote}))["data"]["requestOsagoQuotes"]["id"]
    async with world.client(partner) as other:
        refused = await graphql(other, start, {"input": quote})
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["NOT_FOUND"]
    subscription = {
        "query": "subscription($id: ID!) { osagoOffers(sessionId: $id) { id status } }",
        "variables": {"id": session_id},
    }
    async with _socket(world, partner) as socket:
        messages = await _operation(socket, subscription)
    codes = (
        [e["extensions"]["code"] for m in messages for e in (m.get("payload") or {}).get("errors", [])]
        if isinstance(messages[0].get("payload"), dict)
        else [e["extensions"]["code"] for e in messages[0]["payload"]]
    )
    assert codes == ["NOT_FOUND"], json.dumps(messages)
    print(json.dumps(messages))
    assert not [m for m in messages if m["type"] == "next" and m["payload"].get("data")]
    async with _socket(world, "webapp") as socket:
        messages = await _operation(socket, subscription)
    offers = [m["payload"]["data"]["osagoOffers"] for m in messages if m["type"] == "next"]
    assert len(offers) == 5
    assert messages[-1]["type"] == "complete"
