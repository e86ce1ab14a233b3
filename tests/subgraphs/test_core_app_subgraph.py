"""The core_app subgraph over a real, seeded core_app backend with fast simulated insurers."""

from __future__ import annotations

import asyncio
import datetime
import warnings
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CollectorRegistry
from starlette.exceptions import StarletteDeprecationWarning

from grpc_clients.core_app import CoreAppClient
from resolvers.context import RequestContext
from resolvers.core_app import CoreAppLoaders
from services.common.catalog import INSURERS, client_seed_id, insurer_seed_id, product_seed_id
from subgraphs.core_app.schema import schema
from tests.subgraphs.subgraph_harness import (
    BackendsThread,
    DatabaseFactory,
    Harness,
    count_rows,
    create_subgraph,
    new_osago_application,
    running_subgraph,
)

UNKNOWN = "123e4567-e89b-12d3-a456-426614174000"
APPLICATION = "5b0f6d8e-7c41-4f55-9d6b-2f3a1c9e8d70"
QUOTE = """
mutation($input: OsagoQuoteInput!) { requestOsagoQuotes(input: $input) { id complete application { id } offers { id status } } }
"""
SESSION = "query($id: ID!) { quoteSession(id: $id) { id complete offers { id status premium { kopecks } insurer { name } product { code } } } }"
ISSUE = "mutation($o: ID!, $c: ID!) { issuePolicy(offerId: $o, clientId: $c) { id number status client { id } application { id } premium { kopecks } insurer { id } product { code } } }"
ENTITIES = "query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Product { id code } ... on Insurer { id name } ... on Policy { id number } ... on Client { id policies { id product { code } insurer { name } } } ... on Application { id offers { id status } policy { id } } } }"


@pytest.fixture
async def subgraph(database_factory: DatabaseFactory) -> AsyncIterator[Harness]:
    async with running_subgraph(database_factory, "core_app", clients=40) as harness:
        yield harness


@pytest.fixture
async def application(subgraph: Harness) -> str:
    """A submitted OSAGO application of client 0 in the applications backend."""
    assert subgraph.backends is not None
    return await new_osago_application(subgraph.backends.addresses["applications"], client_seed_id(0))


def quote_input(application: str = APPLICATION, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "applicationId": application,
        "clientId": client_seed_id(0),
        "enginePowerHp": 150,
        "region": "77",
        "driverAge": 35,
        "driverExperienceYears": 10,
    }
    values.update(overrides)
    return values


async def settled_session(subgraph: Harness, session_id: str) -> dict[str, Any]:
    for _ in range(200):
        current: dict[str, Any] = (await subgraph.data(SESSION, {"id": session_id}))["quoteSession"]
        if current["complete"]:
            return current
        await asyncio.sleep(0.05)
    raise AssertionError("the quote session did not complete")


async def test_service_sdl(subgraph: Harness) -> None:
    sdl = (await subgraph.data("{ _service { sdl } }"))["_service"]["sdl"]
    assert sdl.strip() == schema.as_str().strip()
    for key in ("Product", "Insurer", "Policy", "Client", "Application"):
        assert f'type {key} @key(fields: "id")' in sdl
    assert "osagoOffers(sessionId: ID!): Offer!" in sdl


async def test_catalogue(subgraph: Harness) -> None:
    data = await subgraph.data(
        "{ products(kind: OSAGO) { code kind } all: products { code } insurers { id name rating } }"
    )
    assert data["products"] == [{"code": "OSAGO-STD", "kind": "OSAGO"}]
    assert len(data["all"]) == 7
    assert {i["id"] for i in data["insurers"]} == {insurer_seed_id(i.code) for i in INSURERS}
    product = await subgraph.data(
        f'{{ product(id: "{product_seed_id("LIFE-BASIC")}") {{ code name active }} }}'
    )
    assert product["product"]["code"] == "LIFE-BASIC"
    error = await subgraph.error(f'{{ product(id: "{UNKNOWN}") {{ id }} }}')
    assert error["extensions"]["code"] == "NOT_FOUND"
    error = await subgraph.error('{ product(id: "LIFE-BASIC") { id } }')
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_tariffs(subgraph: Harness) -> None:
    query = "query($p: ID, $on: Date) { tariffs(productId: $p, validOn: $on) { id product { code } insurer { name } basePremium { kopecks } ratePercent validFrom validTo } }"
    today = datetime.date.today().isoformat()
    tariffs = (await subgraph.data(query, {"p": product_seed_id("OSAGO-STD"), "on": today}))["tariffs"]
    assert tariffs
    assert {t["product"]["code"] for t in tariffs} == {"OSAGO-STD"}
    assert all(t["validFrom"] <= today <= t["validTo"] for t in tariffs)
    assert subgraph.handled("BatchGetProducts") == 1
    assert subgraph.handled("BatchGetInsurers") == 1
    error = await subgraph.error(query, {"on": "2026-02-29"})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    error = await subgraph.error(query, {"p": "osago"})
    assert error["extensions"]["fieldErrors"][0]["field"] == "productId"


async def test_entities_and_client_policies(subgraph: Harness) -> None:
    representations: list[dict[str, Any]] = [
        {"__typename": "Client", "id": client_seed_id(i)} for i in range(40)
    ]
    clients = (await subgraph.data(ENTITIES, {"r": representations}))["_entities"]
    policies = [p for c in clients for p in c["policies"]]
    assert policies, "the seed gives some of 40 clients a policy"
    assert subgraph.rpc_counts() == {
        "BatchListPoliciesByClient": 1,
        "BatchGetProducts": 1,
        "BatchGetInsurers": 1,
    }
    policy_id = policies[0]["id"]
    representations = [
        {"__typename": "Product", "id": product_seed_id("OSAGO-STD")},
        {"__typename": "Insurer", "id": insurer_seed_id("VOLGA")},
        {"__typename": "Policy", "id": policy_id},
        {"__typename": "Policy", "id": UNKNOWN},
        {"__typename": "Product", "id": UNKNOWN},
        {"__typename": "Application", "id": APPLICATION},
    ]
    body = await subgraph.post(ENTITIES, {"r": representations})
    product, insurer, policy, no_policy, no_product, application = body["data"]["_entities"]
    assert product == {"__typename": "Product", "id": product_seed_id("OSAGO-STD"), "code": "OSAGO-STD"}
    assert insurer["name"] == "Волга-Страхование"
    assert policy["id"] == policy_id
    assert no_policy is None
    assert no_product is None
    assert application == {"__typename": "Application", "id": APPLICATION, "offers": [], "policy": None}
    # An unknown entity is null WITH a coded error at its index (the gateway moves it to the reference).
    assert sorted((e["path"], e["extensions"]["code"]) for e in body["errors"]) == [
        (["_entities", 3], "NOT_FOUND"),
        (["_entities", 4], "NOT_FOUND"),
    ]
    data = await subgraph.data(
        f'{{ policy(id: "{policy_id}") {{ id client {{ id }} premium {{ formatted }} }} }}'
    )
    assert data["policy"]["id"] == policy_id
    error = await subgraph.error(f'{{ policy(id: "{UNKNOWN}") {{ id }} }}')
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_osago_quotes_and_issue_policy(subgraph: Harness, application: str) -> None:
    started = (await subgraph.data(QUOTE, {"input": quote_input(application)}))["requestOsagoQuotes"]
    assert started["application"] == {"id": application}
    assert len(started["offers"]) == len(INSURERS)
    session = await settled_session(subgraph, started["id"])
    offered = [o for o in session["offers"] if o["status"] == "OFFERED"]
    assert offered
    assert all(o["premium"]["kopecks"] > 0 and o["product"]["code"] == "OSAGO-STD" for o in offered)
    policies_before = await count_rows(subgraph.database, "policies")
    policy = (await subgraph.data(ISSUE, {"o": offered[0]["id"], "c": client_seed_id(0)}))["issuePolicy"]
    assert policy["status"] == "ACTIVE"
    assert policy["application"] == {"id": application}
    assert policy["premium"]["kopecks"] == offered[0]["premium"]["kopecks"]
    again = (await subgraph.data(ISSUE, {"o": offered[0]["id"], "c": client_seed_id(0)}))["issuePolicy"]
    assert again["id"] == policy["id"]
    assert await count_rows(subgraph.database, "policies") == policies_before + 1
    (entity,) = (await subgraph.data(ENTITIES, {"r": [{"__typename": "Application", "id": application}]}))[
        "_entities"
    ]
    assert entity["policy"] == {"id": policy["id"]}
    assert {o["id"] for o in entity["offers"]} == {o["id"] for o in session["offers"]}
    error = await subgraph.error(ISSUE, {"o": UNKNOWN, "c": client_seed_id(0)})
    assert error["extensions"]["code"] == "NOT_FOUND"
    error = await subgraph.error(ISSUE, {"o": "offer-1", "c": client_seed_id(0)})
    assert error["extensions"]["fieldErrors"][0]["field"] == "offerId"
    assert await count_rows(subgraph.database, "policies") == policies_before + 1


async def test_quote_input_errors(subgraph: Harness) -> None:
    sessions = await count_rows(subgraph.database, "quote_sessions")
    error = await subgraph.error(QUOTE, {"input": quote_input(region="Moscow", driverAge=12)})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert {"input.region", "input.driverAge"} <= {f["field"] for f in error["extensions"]["fieldErrors"]}
    error = await subgraph.error(QUOTE, {"input": quote_input(applicationId="app-1")})
    assert error["extensions"]["fieldErrors"][0]["field"] == "input.applicationId"
    assert await count_rows(subgraph.database, "quote_sessions") == sessions
    error = await subgraph.error(SESSION, {"id": UNKNOWN})
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_subscription_streams_every_offer(subgraph: Harness, application: str) -> None:
    started = (await subgraph.data(QUOTE, {"input": quote_input(application)}))["requestOsagoQuotes"]
    client = subgraph.app.state.runtime.require_client()
    assert isinstance(client, CoreAppClient)
    context = RequestContext(loaders=CoreAppLoaders(client))
    stream = await schema.subscribe(
        "subscription($id: ID!) { osagoOffers(sessionId: $id) { id status insurer { name } } }",
        variable_values={"id": started["id"]},
        context_value=context,
    )
    results = [result async for result in stream]
    assert all(not result.errors for result in results)
    offers = [result.data["osagoOffers"] for result in results if result.data]
    assert len(offers) == len(INSURERS)
    assert {o["id"] for o in offers} == {o["id"] for o in started["offers"]}
    assert all(o["status"] != "PENDING" for o in offers)
    unknown = await schema.subscribe(
        f'subscription {{ osagoOffers(sessionId: "{UNKNOWN}") {{ id }} }}',
        context_value=RequestContext(loaders=CoreAppLoaders(client)),
    )
    errors = [error for result in [r async for r in unknown] for error in result.errors or []]
    assert [(e.path, e.extensions["code"]) for e in errors if e.extensions] == [
        (["osagoOffers"], "NOT_FOUND")
    ]
    malformed = await schema.subscribe(
        'subscription { osagoOffers(sessionId: "session-1") { id } }',
        context_value=RequestContext(loaders=CoreAppLoaders(client)),
    )
    errors = [error for result in [r async for r in malformed] for error in result.errors or []]
    assert [e.extensions["code"] for e in errors if e.extensions] == ["BAD_USER_INPUT"]
    assert subgraph.handled("WatchQuoteSession", "OK") == 1
    # An unknown session is refused before any stream is opened, at the field's path.
    assert subgraph.handled("GetQuoteSession", "NOT_FOUND") == 1
    assert subgraph.handled("WatchQuoteSession", "NOT_FOUND") == 0


def test_subscription_over_graphql_transport_ws(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        # Starlette 1.x asks for the `httpx2` package for TestClient; plain httpx still works.
        warnings.simplefilter("ignore", StarletteDeprecationWarning)
        from starlette.testclient import TestClient

    backends = BackendsThread.on_sqlite(str(tmp_path), clients=5)
    try:
        application = backends.new_osago_application(client_seed_id(0))
        app = create_subgraph("core_app", backends.addresses["core_app"], CollectorRegistry())
        with TestClient(app) as http:
            session = http.post(
                "/graphql", json={"query": QUOTE, "variables": {"input": quote_input(application)}}
            ).json()
            session_id = session["data"]["requestOsagoQuotes"]["id"]
            with http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
                ws.send_json({"type": "connection_init"})
                assert ws.receive_json()["type"] == "connection_ack"
                query = "subscription($id: ID!) { osagoOffers(sessionId: $id) { id status } }"
                ws.send_json(
                    {
                        "id": "1",
                        "type": "subscribe",
                        "payload": {"query": query, "variables": {"id": session_id}},
                    }
                )
                offers = []
                while True:
                    message = ws.receive_json()
                    if message["type"] == "complete":
                        break
                    assert message["type"] == "next", message
                    offers.append(message["payload"]["data"]["osagoOffers"])
                assert len(offers) == len(INSURERS)
                # A second operation on the same connection gets fresh loaders and works too.
                ws.send_json(
                    {
                        "id": "2",
                        "type": "subscribe",
                        "payload": {"query": query, "variables": {"id": session_id}},
                    }
                )
                replayed = []
                while (message := ws.receive_json())["type"] != "complete":
                    replayed.append(message["payload"]["data"]["osagoOffers"]["id"])
                assert sorted(replayed) == sorted(o["id"] for o in offers)
    finally:
        backends.close()


async def test_health_and_metrics(subgraph: Harness) -> None:
    assert (await subgraph.http.get("/health")).json()["status"] == "SERVING"
    await subgraph.data("{ insurers { id } }")
    assert 'grpc_method="ListInsurers"' in (await subgraph.http.get("/metrics")).text
