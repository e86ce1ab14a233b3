"""``gateway.subscriptions``: planning, the subgraph side of graphql-transport-ws, event finishing.

The subgraph socket is a scripted fake (the ``SubscriptionConnector`` seam); the entity subgraph
answers through a ``MockTransport``. The real sockets are covered by ``test_http_websocket.py``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import aclosing, asynccontextmanager
from typing import Any

import orjson
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.frames import Close

from gateway.composition import SubgraphSource, Success, compose
from gateway.config import Settings
from gateway.errors import DownstreamServiceError, GraphQLValidationFailed, SubgraphUnavailable
from gateway.execution import MockTransport, SubgraphRequest
from gateway.pipeline import Gateway, GraphQLRequest
from gateway.planner import FetchNode, QueryPlanner, SequenceNode
from gateway.subscriptions import (
    PreparedSubscription,
    SubgraphSocket,
    SubscriptionLimits,
    UpstreamSubscriptionError,
    find_subscription_fetch,
    prepare_subscription,
    stream_events,
    websocket_url,
)
from gateway.supergraph import load_supergraph
from gateway.types import JSONObject, SubgraphName

_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\n'
QUOTES = (
    _LINK
    + """
type Offer @key(fields: "id") { id: ID! premium: Int! insurer: Insurer! }
type Insurer @key(fields: "id") { id: ID! name: String! }
type Query { offer(id: ID!): Offer }
type Subscription { offers(sessionId: ID!): Offer! }
"""
)
RATINGS = _LINK + 'type Insurer @key(fields: "id") { id: ID! rating: Int! }\ntype Query { topRating: Int }\n'
QUERY = "subscription S($s: ID!) { offers(sessionId: $s) { id insurer { name rating } } }"
LIMITS = SubscriptionLimits(upstream_ack_timeout=0.2, upstream_close_timeout=0.2)


class FakeSocket:
    """A subgraph socket replaying ``script`` (``None`` = the subgraph closes the socket)."""

    def __init__(self, script: list[JSONObject | str | None]) -> None:
        self.script = list(script)
        self.sent: list[JSONObject] = []
        self.closed = False

    async def send(self, message: str) -> None:
        self.sent.append(orjson.loads(message))

    async def recv(self) -> str | bytes:
        if not self.script:
            await asyncio.sleep(3600)
        item = self.script.pop(0)
        if item is None:
            raise ConnectionClosed(Close(1011, "boom"), None)
        return item if isinstance(item, str) else orjson.dumps(item).decode()


class FakeConnector:
    def __init__(self, socket: FakeSocket) -> None:
        self.socket = socket
        self.opened: list[tuple[str, tuple[tuple[str, str], ...]]] = []

    @asynccontextmanager
    async def connect(
        self, service_name: str, headers: tuple[tuple[str, str], ...]
    ) -> AsyncIterator[SubgraphSocket]:
        self.opened.append((service_name, headers))
        try:
            yield self.socket
        finally:
            self.socket.closed = True


def _ratings(request: SubgraphRequest) -> JSONObject:
    assert request.service_name == "ratings"
    reps = request.variables["representations"]
    return {"data": {"_entities": [{"rating": int(rep["id"]) * 2} for rep in reps]}}


@pytest.fixture(scope="module")
def gateway() -> Gateway:
    result = compose(
        [
            SubgraphSource("quotes", "http://quotes:1/graphql", QUOTES),
            SubgraphSource("ratings", "http://r/", RATINGS),
        ]
    )
    assert isinstance(result, Success), result
    supergraph = load_supergraph(result.supergraph_sdl)
    return Gateway(
        supergraph, QueryPlanner(supergraph), MockTransport(_ratings), Settings(), supergraph_id="t"
    )


def _event(offer_id: str, insurer: str) -> JSONObject:
    offer = {
        "__typename": "Offer",
        "id": offer_id,
        "insurer": {"__typename": "Insurer", "id": insurer, "name": "A"},
    }
    return {"id": "1", "type": "next", "payload": {"data": {"offers": offer}}}


def _prepare(gateway: Gateway, query: str = QUERY) -> PreparedSubscription:
    request = GraphQLRequest(query, {"s": "7"}, forward_headers=(("authorization", "x"),), request_id="r1")
    subscription = prepare_subscription(gateway, request)
    assert subscription is not None
    return subscription


async def _collect(subscription: PreparedSubscription, socket: FakeSocket) -> list[JSONObject]:
    return [event async for event in stream_events(subscription, FakeConnector(socket), LIMITS)]


def test_websocket_url() -> None:
    assert websocket_url("http://a:1/graphql") == "ws://a:1/graphql"
    assert websocket_url("https://a/graphql") == "wss://a/graphql"
    assert websocket_url("ws://a/graphql") == "ws://a/graphql"


def test_prepare_plans_a_root_subscription_fetch_then_entity_fetches(gateway: Gateway) -> None:
    subscription = _prepare(gateway)
    assert subscription.root.service_name == "quotes"
    assert subscription.root.operation.startswith("subscription S__quotes__0($s:ID!)")
    assert isinstance(subscription.plan.node, SequenceNode)
    assert subscription.headers == (("authorization", "x"), ("x-request-id", "r1"))


def test_prepare_returns_none_for_queries_and_raises_client_errors(gateway: Gateway) -> None:
    assert prepare_subscription(gateway, GraphQLRequest("{ topRating }")) is None
    with pytest.raises(GraphQLValidationFailed):
        prepare_subscription(gateway, GraphQLRequest("subscription { nope }"))


def test_find_subscription_fetch_ignores_query_fetches() -> None:
    query = FetchNode(SubgraphName("a"), "{x}")
    sub = FetchNode(SubgraphName("a"), "subscription{x}", operation_kind="subscription")
    assert find_subscription_fetch(SequenceNode((query, sub))) is sub
    assert find_subscription_fetch(query) is None
    assert find_subscription_fetch(None) is None


async def test_each_event_gets_its_entity_fetch_and_is_shaped(gateway: Gateway) -> None:
    socket = FakeSocket(
        [
            {"type": "connection_ack"},
            {"type": "ping"},
            _event("o1", "1"),
            _event("o2", "2"),
            {"id": "1", "type": "complete"},
        ]
    )
    events = await _collect(_prepare(gateway), socket)
    assert events == [
        {"data": {"offers": {"id": "o1", "insurer": {"name": "A", "rating": 2}}}},
        {"data": {"offers": {"id": "o2", "insurer": {"name": "A", "rating": 4}}}},
    ]
    assert [m["type"] for m in socket.sent] == ["connection_init", "subscribe", "pong"]
    assert socket.sent[1]["payload"]["variables"] == {"s": "7"}
    assert socket.sent[1]["payload"]["operationName"] == "S__quotes__0"
    assert socket.closed


async def test_closing_the_stream_completes_the_upstream(gateway: Gateway) -> None:
    socket = FakeSocket([{"type": "connection_ack"}, _event("o1", "1")])
    async with aclosing(stream_events(_prepare(gateway), FakeConnector(socket), LIMITS)) as events:
        async for _ in events:
            break
    assert socket.sent[-1] == {"id": "1", "type": "complete"}
    assert socket.closed


async def test_cancelling_the_consumer_closes_the_upstream(gateway: Gateway) -> None:
    socket = FakeSocket([{"type": "connection_ack"}])

    async def consume() -> None:
        async with aclosing(stream_events(_prepare(gateway), FakeConnector(socket), LIMITS)) as events:
            async for _ in events:
                pass

    task = asyncio.create_task(consume())
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert socket.sent[-1] == {"id": "1", "type": "complete"}
    assert socket.closed


async def test_an_upstream_error_message_is_raised_with_its_errors(gateway: Gateway) -> None:
    socket = FakeSocket(
        [{"type": "connection_ack"}, {"id": "1", "type": "error", "payload": [{"message": "no"}]}]
    )
    with pytest.raises(UpstreamSubscriptionError) as info:
        await _collect(_prepare(gateway), socket)
    assert info.value.to_json() == [
        {"message": "no", "extensions": {"code": "DOWNSTREAM_SERVICE_ERROR", "serviceName": "quotes"}}
    ]


@pytest.mark.parametrize(
    ("script", "error"),
    [
        ([], SubgraphUnavailable),  # never acknowledged
        ([{"type": "connection_ack"}, None], SubgraphUnavailable),  # closed before completing
        ([{"type": "connection_ack"}, "not json"], DownstreamServiceError),
        ([{"type": "connection_ack"}, {"id": "1", "type": "next", "payload": 3}], DownstreamServiceError),
    ],
)
async def test_upstream_failures_become_upstream_errors(
    gateway: Gateway, script: list[Any], error: type[Exception]
) -> None:
    socket = FakeSocket(script)
    with pytest.raises(error, match="quotes"):
        await _collect(_prepare(gateway), socket)
    assert socket.closed
