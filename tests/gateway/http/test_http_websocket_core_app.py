"""End to end: OSAGO offers stream through the gateway from the real core_app subgraph and backend.

The three backends run in a thread over SQLite with fast simulated insurers
(``tests.subgraphs.subgraph_harness.BackendsThread``); the real core_app subgraph app and a tiny
Strawberry subgraph contributing ``Insurer.stars`` are served by uvicorn; the gateway composes
them and serves the web app's subscription over graphql-transport-ws.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import strawberry
from prometheus_client import CollectorRegistry
from starlette.exceptions import StarletteDeprecationWarning
from strawberry.asgi import GraphQL

from gateway.composition import SubgraphSource, Success, compose
from gateway.config import Settings
from gateway.http import create_app
from gateway.persisted_queries import sha256_hex
from services.common.catalog import INSURERS, client_seed_id
from tests.gateway.subscription_world import serving
from tests.subgraphs.subgraph_harness import BackendsThread, create_subgraph

with warnings.catch_warnings():
    # Starlette 1.x asks for the `httpx2` package for TestClient; plain httpx still works.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

QUOTE = "mutation($input: OsagoQuoteInput!) { requestOsagoQuotes(input: $input) { id } }"
OFFERS = """
subscription Offers($id: ID!) {
  osagoOffers(sessionId: $id) { id status premium { kopecks } insurer { name stars } }
}
"""


@strawberry.federation.type(keys=["id"], name="Insurer")
class StarredInsurer:
    id: strawberry.ID
    stars: int

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> StarredInsurer:
        return StarredInsurer(id=id, stars=len(str(id)) % 5 + 1)


@strawberry.type(name="Query")
class StarsQuery:
    @strawberry.field
    def max_stars(self) -> int:
        return 5


stars_schema = strawberry.federation.Schema(query=StarsQuery, types=[StarredInsurer])


def _sdl(url: str) -> str:
    response = httpx.post(url, json={"query": "{ _service { sdl } }"}, timeout=10)
    return str(response.json()["data"]["_service"]["sdl"])


@pytest.fixture
def backends(tmp_path: Path) -> Iterator[BackendsThread]:
    running = BackendsThread.on_sqlite(str(tmp_path), clients=5)
    try:
        yield running
    finally:
        running.close()


@contextmanager
def _gateway(tmp_path: Path, backends: BackendsThread, **settings: Any) -> Iterator[TestClient]:
    subgraph = create_subgraph("core_app", backends.addresses["core_app"], CollectorRegistry())
    with (
        serving(subgraph, lifespan=True) as core_url,
        serving(GraphQL(stars_schema)) as stars_url,
    ):
        result = compose(
            [
                SubgraphSource("core_app", core_url, _sdl(core_url)),
                SubgraphSource("stars", stars_url, _sdl(stars_url)),
            ]
        )
        assert isinstance(result, Success), result
        path = tmp_path / "supergraph.graphql"
        path.write_text(result.supergraph_sdl)
        with TestClient(create_app(Settings(supergraph_path=str(path), **settings))) as client:
            yield client


@pytest.fixture
def gateway_client(tmp_path: Path, backends: BackendsThread) -> Iterator[TestClient]:
    with _gateway(tmp_path, backends) as client:
        yield client


def _quote_input(application_id: str) -> dict[str, Any]:
    return {
        "applicationId": application_id,
        "clientId": client_seed_id(0),
        "enginePowerHp": 150,
        "region": "77",
        "driverAge": 35,
        "driverExperienceYears": 10,
    }


def test_osago_offers_arrive_as_each_insurer_answers(
    gateway_client: TestClient, backends: BackendsThread
) -> None:
    quote_input = _quote_input(backends.new_osago_application(client_seed_id(0)))
    created = gateway_client.post(
        "/graphql", json={"query": QUOTE, "variables": {"input": quote_input}}
    ).json()
    assert "errors" not in created, created
    session_id = created["data"]["requestOsagoQuotes"]["id"]
    with gateway_client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        ws.send_json({"type": "connection_init"})
        assert ws.receive_json() == {"type": "connection_ack"}
        ws.send_json(
            {"id": "o", "type": "subscribe", "payload": {"query": OFFERS, "variables": {"id": session_id}}}
        )
        offers = []
        while (message := ws.receive_json())["type"] == "next":
            assert "errors" not in message["payload"], message
            offers.append(message["payload"]["data"]["osagoOffers"])
    assert message == {"id": "o", "type": "complete"}
    assert len(offers) == len(INSURERS)
    assert {offer["status"] for offer in offers} == {"OFFERED"}
    for offer in offers:
        assert offer["insurer"]["name"]
        assert 1 <= offer["insurer"]["stars"] <= 5  # from the second subgraph, fetched per event
        assert offer["premium"]["kopecks"] > 0


def test_a_persisted_subscription_runs_by_hash_for_a_partner_held_to_its_manifest(
    tmp_path: Path, backends: BackendsThread
) -> None:
    quote = "mutation Quote($input: OsagoQuoteInput!) { requestOsagoQuotes(input: $input) { id } }"
    operations = [
        {"id": sha256_hex(quote), "name": "Quote", "type": "mutation", "body": quote},
        {"id": sha256_hex(OFFERS), "name": "Offers", "type": "subscription", "body": OFFERS},
    ]
    manifest = tmp_path / "web.json"
    manifest.write_text(
        json.dumps({"format": "apollo-persisted-query-manifest", "version": 1, "operations": operations})
    )
    partners = tmp_path / "partners.yaml"
    partners.write_text(
        "partners:\n  - id: web\n    name: Web\n"
        f"    api_keys: ['sha256:{sha256_hex('web-key')}']\n    manifests: ['{manifest}']\n"
    )
    application = backends.new_osago_application(client_seed_id(0), partner_id="web")  # its own
    with _gateway(tmp_path, backends, partners_path=str(partners)) as client:
        created = client.post(
            "/graphql",
            json={
                "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(quote)}},
                "variables": {"input": _quote_input(application)},
            },
            headers={"x-api-key": "web-key"},
        ).json()
        assert "errors" not in created, created
        session_id = created["data"]["requestOsagoQuotes"]["id"]
        with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
            ws.send_json({"type": "connection_init", "payload": {"X-API-Key": "web-key"}})
            assert ws.receive_json() == {"type": "connection_ack"}
            by_hash = {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(OFFERS)}}
            ws.send_json(
                {
                    "id": "o",
                    "type": "subscribe",
                    "payload": {"extensions": by_hash, "variables": {"id": session_id}},
                }
            )
            statuses = []
            while (message := ws.receive_json())["type"] == "next":
                statuses.append(message["payload"]["data"]["osagoOffers"]["status"])
            assert message == {"id": "o", "type": "complete"}
            assert len(statuses) == len(INSURERS)
            # A subscription outside the manifest is refused, even with a valid key.
            other = OFFERS.replace("premium { kopecks }", "")
            ws.send_json(
                {"id": "x", "type": "subscribe", "payload": {"query": other, "variables": {"id": session_id}}}
            )
            refused = ws.receive_json()
        assert refused["type"] == "error"
        assert refused["payload"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
        over_http = client.post(
            "/graphql",
            json={"extensions": by_hash, "variables": {"id": session_id}},
            headers={"x-api-key": "web-key"},
        ).json()
        assert over_http["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
        assert "WebSocket" in over_http["errors"][0]["message"]
