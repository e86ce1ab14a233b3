"""Subscriptions through the gateway: plan once, stream the root from its subgraph, finish each event.

A client subscription runs the pipeline's own stages (``Gateway.prepare`` → ``select_operation``
→ ``coerce_variables`` → ``Gateway.plan``). The plan starts with a root fetch whose
``operationKind`` is ``subscription``; the gateway opens a graphql-transport-ws connection to
that subgraph and sends the root fetch as its subscription. Every event the subgraph pushes is
run through the *whole* plan with the root fetch answered by the event itself (``_EventTransport``),
so entity fetches, error re-pathing and output rewrites are the executor's, and the result is
shaped by the operation's shaper like any query response.

The subgraph side speaks the same protocol as the client side (``gateway.http.websocket``):
``connection_init`` → ``connection_ack`` → ``subscribe`` → ``next``* → ``complete``/``error``.
Closing the event stream (``aclose()``, or cancelling the task iterating it) sends ``complete``
upstream and closes the subgraph socket.

See https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import orjson
from graphql import OperationType

from gateway.errors import DownstreamServiceError, QueryPlanningFailed, SubgraphUnavailable
from gateway.execution import (
    ExecutionOutcome,
    SubgraphRequest,
    SubgraphTransport,
    TypeMatcher,
    execute_plan,
)
from gateway.execution.introspection import split_introspection
from gateway.pipeline import GraphQLRequest, coerce_variables, select_operation
from gateway.planner.plan import ConditionNode, FetchNode, FlattenNode, ParallelNode, PlanNode, SequenceNode
from gateway.types import JSONObject

if TYPE_CHECKING:
    from gateway.pipeline import Gateway, PreparedDocument
    from gateway.planner.plan import QueryPlan

__all__ = [
    "GRAPHQL_TRANSPORT_WS",
    "PreparedSubscription",
    "SubgraphSocket",
    "SubscriptionConnector",
    "SubscriptionLimits",
    "UpstreamSubscriptionError",
    "WebSocketConnector",
    "find_subscription_fetch",
    "prepare_subscription",
    "stream_events",
    "websocket_url",
]

GRAPHQL_TRANSPORT_WS = "graphql-transport-ws"
"""The WebSocket subprotocol of graphql-ws, spoken towards clients and towards subgraphs."""

_UPSTREAM_ID = "1"


@dataclass(frozen=True, slots=True)
class SubscriptionLimits:
    """Protocol timeouts and per-connection limits of the WebSocket endpoint.

    PORT_NOTE: not in ``Settings`` yet; ``create_app`` callers may put another value on
    ``app.state.subscription_limits``.
    """

    connection_init_timeout: float = 10.0
    """Seconds a client has to send ``connection_init`` before the socket closes with 4408."""
    max_subscriptions: int = 32
    """Operations one connection may have running at once; more get an ``error`` message."""
    upstream_ack_timeout: float = 10.0
    """Seconds a subgraph has to open the socket and answer ``connection_init`` with ``connection_ack``."""
    upstream_close_timeout: float = 2.0
    """Seconds to wait for a subgraph's close handshake when the gateway ends a subscription."""


class SubgraphSocket(Protocol):
    """The part of a WebSocket client connection the gateway uses (``websockets`` has it)."""

    async def send(self, message: str) -> None: ...

    async def recv(self) -> str | bytes: ...


class SubscriptionConnector(Protocol):
    """Opens a graphql-transport-ws socket to a subgraph (the test seam for subgraph sockets)."""

    def connect(
        self, service_name: str, headers: tuple[tuple[str, str], ...]
    ) -> AbstractAsyncContextManager[SubgraphSocket]: ...


def websocket_url(url: str) -> str:
    """The WebSocket URL of a subgraph's GraphQL endpoint (``http`` → ``ws``, ``https`` → ``wss``)."""
    if url.startswith("https://"):
        return "wss://" + url[len("https://") :]
    if url.startswith("http://"):
        return "ws://" + url[len("http://") :]
    return url


class WebSocketConnector:
    """Subgraph sockets with the ``websockets`` asyncio client, to each subgraph's GraphQL URL.

    Args:
        urls: Subgraph name → HTTP(S) GraphQL URL (the same ones queries are posted to).
        limits: The open and close timeouts.
    """

    def __init__(self, urls: Mapping[str, str], limits: SubscriptionLimits | None = None) -> None:
        self.urls = {name: websocket_url(url) for name, url in urls.items()}
        self.limits = limits or SubscriptionLimits()

    @asynccontextmanager
    async def connect(
        self, service_name: str, headers: tuple[tuple[str, str], ...]
    ) -> AsyncIterator[SubgraphSocket]:
        """Open the socket; translate handshake failures into ``SubgraphUnavailable``."""
        from websockets.asyncio.client import connect
        from websockets.exceptions import WebSocketException
        from websockets.typing import Subprotocol

        url = self.urls.get(service_name)
        if url is None:
            raise SubgraphUnavailable(f"Subgraph {service_name!r} has no URL.", service_name=service_name)
        try:
            socket = await connect(
                url,
                subprotocols=[Subprotocol(GRAPHQL_TRANSPORT_WS)],
                additional_headers=list(headers),
                open_timeout=self.limits.upstream_ack_timeout,
                close_timeout=self.limits.upstream_close_timeout,
            )
        except (OSError, TimeoutError, WebSocketException) as exc:
            raise SubgraphUnavailable(
                f"Subgraph {service_name!r} did not open a WebSocket at {url!r}: {exc}.",
                service_name=service_name,
            ) from exc
        try:
            if socket.subprotocol != GRAPHQL_TRANSPORT_WS:
                raise SubgraphUnavailable(
                    f"Subgraph {service_name!r} does not speak {GRAPHQL_TRANSPORT_WS!r} at {url!r}.",
                    service_name=service_name,
                )
            yield socket
        finally:
            await socket.close()


class UpstreamSubscriptionError(DownstreamServiceError):
    """The subgraph ended the subscription with an ``error`` message; its errors go to the client."""

    def __init__(self, service_name: str, errors: list[JSONObject]) -> None:
        super().__init__(f"Subgraph {service_name!r} rejected the subscription.", service_name=service_name)
        self.errors = errors

    def to_json(self, request_id: str | None = None) -> list[JSONObject]:
        """The subgraph's errors, each tagged with ``serviceName`` (and a code if it had none).

        ``locations`` point into the subgraph's document, not the client's, so they are dropped.
        """
        out: list[JSONObject] = []
        for error in self.errors:
            extensions = dict(error.get("extensions") or {})
            extensions.setdefault("code", self.code.name)
            extensions["serviceName"] = self.service_name
            kept = {key: value for key, value in error.items() if key != "locations"}
            out.append({**kept, "extensions": extensions})
        return out or super().to_json(request_id)


@dataclass(frozen=True, slots=True)
class PreparedSubscription:
    """A validated, planned subscription: what streaming and finishing its events needs."""

    gateway: Gateway
    prepared: PreparedDocument
    operation_name: str | None
    variables: JSONObject
    plan: QueryPlan
    root: FetchNode
    """The plan's subscription fetch, sent to ``root.service_name`` over a WebSocket."""
    headers: tuple[tuple[str, str], ...] = ()


def prepare_subscription(gateway: Gateway, request: GraphQLRequest) -> PreparedSubscription | None:
    """Parse, validate and plan ``request``; ``None`` when it is a query or mutation.

    Args:
        gateway: The loaded gateway whose caches and planner are used.
        request: The operation and variables of a ``subscribe`` message.

    Returns:
        The prepared subscription, or ``None`` for a query or mutation (run it with ``Gateway.run``).

    Raises:
        ClientError: Parse, validation, variable or depth errors, as over HTTP.
        QueryPlanningFailed: The plan has no subscription fetch.
    """
    prepared = gateway.prepare(request.query)
    operation = select_operation(prepared, request.operation_name)
    if operation.operation is not OperationType.SUBSCRIPTION:
        return None
    op_key = operation.name.value if operation.name else None
    variables = coerce_variables(gateway.schema, operation, request.variables)
    parts = prepared.parts.get(op_key)
    if parts is None:
        parts = split_introspection(operation, prepared.fragments)
        prepared.parts[op_key] = parts
    plan = gateway.plan(prepared, parts, op_key)
    root = find_subscription_fetch(plan.node) if plan is not None else None
    if plan is None or root is None:
        raise QueryPlanningFailed(f"The plan of subscription {op_key!r} has no subscription fetch.")
    headers = request.forward_headers
    if request.request_id is not None:
        headers = (*headers, ("x-request-id", request.request_id))
    return PreparedSubscription(gateway, prepared, op_key, variables, plan, root, headers)


def find_subscription_fetch(node: PlanNode | None) -> FetchNode | None:
    """The first fetch of the plan whose operation is a subscription (depth first)."""
    match node:
        case FetchNode():
            return node if node.operation_kind == "subscription" else None
        case SequenceNode() | ParallelNode():
            for child in node.nodes:
                if (found := find_subscription_fetch(child)) is not None:
                    return found
            return None
        case FlattenNode():
            return find_subscription_fetch(node.node)
        case ConditionNode():
            return find_subscription_fetch(node.if_clause) or find_subscription_fetch(node.else_clause)
        case _:
            return None


async def stream_events(
    subscription: PreparedSubscription, connector: SubscriptionConnector, limits: SubscriptionLimits
) -> AsyncGenerator[JSONObject]:
    """Yield one shaped response (``data``/``errors``) per subgraph event, in order.

    Returns when the subgraph completes the subscription. Closing the generator early sends
    ``complete`` upstream and closes the subgraph socket.

    Raises:
        SubgraphUnavailable: The subgraph could not be reached, did not acknowledge, or closed
            the socket before completing.
        UpstreamSubscriptionError: The subgraph answered the subscription with ``error``.
        DownstreamServiceError: The subgraph sent something that is not a protocol message.
    """
    root = subscription.root
    service = root.service_name
    matches = subscription.gateway.matches
    variables = {k: subscription.variables[k] for k in root.variable_usages if k in subscription.variables}
    payload: JSONObject = {"query": root.operation, "variables": variables}
    if root.operation_name is not None:
        payload["operationName"] = root.operation_name
    async with connector.connect(service, subscription.headers) as socket:
        completed = False
        try:
            await _send(socket, {"type": "connection_init", "payload": {}})
            try:
                async with asyncio.timeout(limits.upstream_ack_timeout):
                    while (await _receive(socket, service)).get("type") != "connection_ack":
                        pass
            except TimeoutError as exc:
                raise SubgraphUnavailable(
                    f"Subgraph {service!r} did not acknowledge the WebSocket connection within "
                    f"{limits.upstream_ack_timeout:g} s.",
                    service_name=service,
                ) from exc
            await _send(socket, {"id": _UPSTREAM_ID, "type": "subscribe", "payload": payload})
            while True:
                message = await _receive(socket, service)
                kind = message.get("type")
                if kind == "ping":
                    await _send(socket, {"type": "pong"})
                    continue
                if message.get("id") != _UPSTREAM_ID:
                    continue
                if kind == "next":
                    event = message.get("payload")
                    if not isinstance(event, dict):
                        raise DownstreamServiceError(
                            f"Subgraph {service!r} sent a 'next' message without an object payload.",
                            service_name=service,
                        )
                    yield await _finish_event(subscription, event, matches)
                elif kind == "error":
                    completed = True
                    errors = message.get("payload")
                    raise UpstreamSubscriptionError(
                        service,
                        [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else [],
                    )
                elif kind == "complete":
                    completed = True
                    return
        finally:
            if not completed:
                # Best effort: the socket may already be gone; it is closed right after anyway.
                with contextlib.suppress(Exception):
                    async with asyncio.timeout(limits.upstream_close_timeout):
                        await _send(socket, {"id": _UPSTREAM_ID, "type": "complete"})


async def _finish_event(
    subscription: PreparedSubscription, event: JSONObject, matches: TypeMatcher
) -> JSONObject:
    """Run the whole plan with the root fetch answered by ``event``; shape the result."""
    gateway = subscription.gateway
    outcome: ExecutionOutcome = await execute_plan(
        subscription.plan,
        transport=_EventTransport(subscription.root, event, gateway.transport),
        variables=subscription.variables,
        matches=matches,
        observer=gateway.metrics.observe_fetch,
        headers=subscription.headers,
    )
    return gateway.shape(subscription.prepared, subscription.operation_name, outcome, subscription.variables)


class _EventTransport:
    """Answers the subscription's root fetch with the current event; sends every other fetch."""

    def __init__(self, root: FetchNode, event: JSONObject, inner: SubgraphTransport) -> None:
        self.root, self.event, self.inner = root, event, inner

    async def fetch(self, request: SubgraphRequest) -> JSONObject:
        if request.service_name == self.root.service_name and request.query == self.root.operation:
            return self.event
        return await self.inner.fetch(request)


async def _send(socket: SubgraphSocket, message: JSONObject) -> None:
    await socket.send(orjson.dumps(message).decode())


async def _receive(socket: SubgraphSocket, service: str) -> JSONObject:
    """The next protocol message; a closed socket or a non-object message becomes an upstream error."""
    from websockets.exceptions import ConnectionClosed

    try:
        raw = await socket.recv()
    except ConnectionClosed as exc:
        raise SubgraphUnavailable(
            f"Subgraph {service!r} closed the subscription socket before completing it "
            f"(code {exc.rcvd.code if exc.rcvd else 1006}).",
            service_name=service,
        ) from exc
    try:
        message = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise DownstreamServiceError(
            f"Subgraph {service!r} sent a WebSocket message that is not JSON.", service_name=service
        ) from exc
    if not isinstance(message, dict):
        raise DownstreamServiceError(
            f"Subgraph {service!r} sent a WebSocket message that is not an object.", service_name=service
        )
    return message
