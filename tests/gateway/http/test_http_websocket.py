"""``/graphql`` over graphql-transport-ws, end to end: gateway app ↔ real Strawberry subgraphs."""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.exceptions import StarletteDeprecationWarning
from starlette.websockets import WebSocketDisconnect

from gateway.config import Settings
from gateway.http import create_app
from gateway.subscriptions import SubscriptionLimits
from tests.gateway.subscription_world import ACTIVE, subscription_world

with warnings.catch_warnings():
    # Starlette 1.x asks for the `httpx2` package for TestClient; plain httpx still works.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

PROTOCOL = ["graphql-transport-ws"]
OFFERS = "subscription S($s: ID!) { offers(sessionId: $s) { id premium insurer { name rating } } }"

WS = Any


@pytest.fixture(scope="module")
def supergraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with subscription_world(tmp_path_factory.mktemp("subscriptions")) as path:
        yield path


@pytest.fixture
def client(supergraph: Path) -> Iterator[TestClient]:
    app = create_app(Settings(supergraph_path=str(supergraph)))
    app.state.subscription_limits = SubscriptionLimits(connection_init_timeout=0.5, max_subscriptions=2)
    with TestClient(app) as test_client:
        yield test_client


def _init(ws: WS) -> None:
    ws.send_json({"type": "connection_init"})
    assert ws.receive_json() == {"type": "connection_ack"}


def _subscribe(ws: WS, op_id: str, query: str, variables: dict[str, Any] | None = None) -> None:
    ws.send_json(
        {"id": op_id, "type": "subscribe", "payload": {"query": query, "variables": variables or {}}}
    )


def _closed_with(ws: WS) -> int:
    with pytest.raises(WebSocketDisconnect) as info:
        ws.receive_json()
    return info.value.code


def _next_or_close(ws: WS) -> int | None:
    """``None`` after reading a message; the close code once the socket is closed."""
    try:
        ws.receive_json()
    except WebSocketDisconnect as exc:
        return exc.code
    return None


def test_events_arrive_in_order_with_the_entity_field_merged(client: TestClient) -> None:
    with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        assert vars(ws)["accepted_subprotocol"] == "graphql-transport-ws"  # typed ``None`` by Starlette
        _init(ws)
        _subscribe(ws, "a", OFFERS, {"s": "q1"})
        messages = [ws.receive_json() for _ in range(4)]
    assert messages == [
        {
            "id": "a",
            "type": "next",
            "payload": {
                "data": {
                    "offers": {
                        "id": f"q1-{n}",
                        "premium": 1000 + n,
                        "insurer": {"name": name, "rating": rating},
                    }
                }
            },
        }
        for n, name, rating in [(0, "Alfa", 5), (1, "Ingos", 4), (2, "Reso", 3)]
    ] + [{"id": "a", "type": "complete"}]


def test_two_subscriptions_share_one_connection(client: TestClient) -> None:
    query = "subscription($s: ID!, $c: Int!) { offers(sessionId: $s, count: $c) { id insurer { id } } }"
    with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        _init(ws)
        _subscribe(ws, "1", query, {"s": "x", "c": 2})
        _subscribe(ws, "2", query, {"s": "y", "c": 1})
        received: dict[str, list[Any]] = {"1": [], "2": []}
        while not all(received[k] and received[k][-1] == "complete" for k in received):
            message = ws.receive_json()
            payload = message.get("payload")
            received[message["id"]].append(payload["data"]["offers"]["id"] if payload else message["type"])
    assert received == {"1": ["x-0", "x-1", "complete"], "2": ["y-0", "complete"]}


def test_ping_is_answered_with_pong_even_before_init(client: TestClient) -> None:
    with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        ws.send_json({"type": "ping"})
        assert ws.receive_json() == {"type": "pong"}
        ws.send_json({"type": "pong"})  # unsolicited pongs are allowed and ignored
        _init(ws)


def test_a_query_over_the_socket_gets_one_result(client: TestClient) -> None:
    with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        _init(ws)
        _subscribe(ws, "q", "{ topRating }")
        assert ws.receive_json() == {"id": "q", "type": "next", "payload": {"data": {"topRating": 5}}}
        assert ws.receive_json() == {"id": "q", "type": "complete"}


def test_an_invalid_query_gets_an_error_and_the_connection_stays_open(client: TestClient) -> None:
    with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        _init(ws)
        _subscribe(ws, "bad", "subscription { offers(sessionId: 1) { nope } }")
        message = ws.receive_json()
        assert (message["id"], message["type"]) == ("bad", "error")
        assert message["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert "nope" in message["payload"][0]["message"]
        _subscribe(ws, "vars", OFFERS)
        message = ws.receive_json()
        assert (message["type"], message["payload"][0]["extensions"]["code"]) == ("error", "BAD_USER_INPUT")
        ws.send_json({"type": "ping"})
        assert ws.receive_json() == {"type": "pong"}


def test_an_upstream_error_mid_stream_reaches_the_client(client: TestClient) -> None:
    with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        _init(ws)
        _subscribe(ws, "b", "subscription { broken }")
        assert ws.receive_json() == {"id": "b", "type": "next", "payload": {"data": {"broken": 1}}}
        message = ws.receive_json()
        # Strawberry reports a resolver failure as a ``next`` with errors, then completes.
        assert message["type"] == "next"
        assert message["payload"]["errors"][0]["message"] == "insurer gateway down"
        assert message["payload"]["errors"][0]["extensions"]["serviceName"] == "quotes"
        assert ws.receive_json() == {"id": "b", "type": "complete"}


def _wait_for(predicate: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.02)


def test_client_complete_stops_the_upstream_subscription(client: TestClient) -> None:
    with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        _init(ws)
        _subscribe(ws, "t", "subscription { ticks }")
        assert ws.receive_json()["payload"] == {"data": {"ticks": 0}}
        assert ws.receive_json()["payload"] == {"data": {"ticks": 1}}
        assert ACTIVE["ticks"] == 1
        ws.send_json({"id": "t", "type": "complete"})
        _wait_for(lambda: ACTIVE["ticks"] == 0)
        # The id can be reused once completed.
        _subscribe(ws, "t", "{ topRating }")
        while (message := ws.receive_json())["type"] == "next" and "ticks" in message["payload"]["data"]:
            pass  # events already in flight before the complete
        assert message == {"id": "t", "type": "next", "payload": {"data": {"topRating": 5}}}


def test_disconnect_stops_every_upstream_subscription(client: TestClient) -> None:
    with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        _init(ws)
        _subscribe(ws, "1", "subscription { ticks }")
        _subscribe(ws, "2", "subscription { ticks }")
        ws.receive_json()
        ws.receive_json()
        _wait_for(lambda: ACTIVE["ticks"] == 2)
    _wait_for(lambda: ACTIVE["ticks"] == 0)


def test_subscriptions_per_connection_are_limited(client: TestClient) -> None:
    with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        _init(ws)
        _subscribe(ws, "1", "subscription { ticks }")
        _subscribe(ws, "2", "subscription { ticks }")
        _subscribe(ws, "3", "subscription { ticks }")
        while (message := ws.receive_json())["id"] != "3":
            pass
        assert message["type"] == "error"
        assert "limit" in message["payload"][0]["message"]
    _wait_for(lambda: ACTIVE["ticks"] == 0)


def test_subscribe_before_init_closes_with_4401(client: TestClient) -> None:
    with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        _subscribe(ws, "1", OFFERS, {"s": "a"})
        assert _closed_with(ws) == 4401


def test_no_connection_init_closes_with_4408(client: TestClient) -> None:
    with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        assert _closed_with(ws) == 4408


def test_a_second_connection_init_closes_with_4429(client: TestClient) -> None:
    with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        _init(ws)
        ws.send_json({"type": "connection_init"})
        assert _closed_with(ws) == 4429


def test_a_duplicate_id_closes_with_4409(client: TestClient) -> None:
    with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        _init(ws)
        _subscribe(ws, "dup", "subscription { ticks }")
        ws.receive_json()
        _subscribe(ws, "dup", "subscription { ticks }")
        while (code := _next_or_close(ws)) is None:
            pass  # ticks already in flight, then the close
        assert code == 4409
    _wait_for(lambda: ACTIVE["ticks"] == 0)


@pytest.mark.parametrize(
    "message",
    [
        "not json",
        '{"no": "type"}',
        '{"type": "next", "id": "1", "payload": {}}',
        '{"type": "subscribe", "id": "1", "payload": {"variables": {}}}',
        '{"type": "subscribe", "payload": {"query": "{ topRating }"}}',
        '{"type": "subscribe", "id": "1", "payload": {"query": "{ topRating }", "variables": []}}',
        '{"type": "complete"}',
        '{"type": "connection_ack"}',
    ],
)
def test_invalid_messages_close_with_4400(client: TestClient, message: str) -> None:
    with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        _init(ws)
        ws.send_text(message)
        assert _closed_with(ws) == 4400


def test_binary_frames_and_bad_init_payloads_close_with_4400(client: TestClient) -> None:
    with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        ws.send_bytes(b'{"type": "connection_init"}')
        assert _closed_with(ws) == 4400
    with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        ws.send_json({"type": "connection_init", "payload": "token"})
        assert _closed_with(ws) == 4400


def test_a_client_without_the_subprotocol_is_refused_with_4406(client: TestClient) -> None:
    with client.websocket_connect("/graphql", subprotocols=["graphql-ws"]) as ws:
        assert _closed_with(ws) == 4406


def test_an_unreachable_subgraph_gets_an_error(supergraph: Path) -> None:
    settings = Settings(
        supergraph_path=str(supergraph), subgraph_urls={"quotes": "http://127.0.0.1:9/graphql"}
    )
    with (
        TestClient(create_app(settings)) as test_client,
        test_client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws,
    ):
        _init(ws)
        _subscribe(ws, "u", "subscription { ticks }")
        message = ws.receive_json()
    assert (message["id"], message["type"]) == ("u", "error")
    assert message["payload"][0]["extensions"] == {"code": "SUBGRAPH_UNAVAILABLE", "serviceName": "quotes"}


def test_http_post_of_a_subscription_points_to_websocket(client: TestClient) -> None:
    response = client.post("/graphql", json={"query": OFFERS, "variables": {"s": "1"}})
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "WebSocket" in error["message"]


def test_with_a_partner_file_the_socket_needs_a_partner_key(tmp_path: Path) -> None:
    from tests.gateway.partner_world import (
        ACME_KEY,
        APP_1,
        DEPLOY,
        WEBAPP_KEY,
        ApplicationsSubgraph,
        partner_app,
    )

    query = f'{{ application(id: "{APP_1}") {{ number }} }}'
    # --dev: the web app's key may send free-form documents (free_form_in_dev).
    with TestClient(partner_app(tmp_path, ApplicationsSubgraph(), dev=True)) as test_client:
        with test_client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
            ws.send_json({"type": "connection_init", "payload": {"x-api-key": "wrong"}})
            assert _closed_with(ws) == 4403
        with test_client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
            ws.send_json({"type": "connection_init"})
            assert _closed_with(ws) == 4403
        headers = {"x-api-key": WEBAPP_KEY}
        with test_client.websocket_connect("/graphql", subprotocols=PROTOCOL, headers=headers) as ws:
            _init(ws)
            _subscribe(ws, "1", query)
            message = ws.receive_json()
            assert message["payload"]["data"]["application"]["number"]
            assert ws.receive_json() == {"id": "1", "type": "complete"}
        with test_client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
            ws.send_json({"type": "connection_init", "payload": {"x-api-key": ACME_KEY}})
            assert ws.receive_json() == {"type": "connection_ack"}
            _subscribe(ws, "1", query)  # acme may run persisted operations only
            message = ws.receive_json()
            assert message["type"] == "error"
            assert message["payload"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
            manifest = json.loads((DEPLOY / "manifests" / "applications-read.json").read_text())
            ref = next(op["id"] for op in manifest["operations"] if op["name"] == "GetApplication")
            persisted = {"persistedQuery": {"version": 1, "sha256Hash": ref}}
            payload = {"variables": {"id": APP_1}, "extensions": persisted}
            ws.send_json({"id": "2", "type": "subscribe", "payload": payload})
            message = ws.receive_json()
            assert message["type"] == "next", message
            assert message["payload"]["data"]["application"]["number"]
