"""``/graphql`` over WebSocket: the graphql-transport-ws protocol towards clients.

One ``_Connection`` per socket: ``connection_init`` (within ``connection_init_timeout``) →
``connection_ack``; then any number of ``subscribe`` messages, each running as its own task
that sends ``next`` messages and a final ``complete`` or ``error``. ``ping`` is answered with
``pong`` at any time. Protocol violations close the socket with the spec's codes:

====  ==========================================================================
4400  a message that is not JSON, lacks a field, or has an unexpected type
4401  ``subscribe`` before the connection was acknowledged
4403  the partner API key (``X-API-Key`` header or ``connection_init`` payload) is refused
4406  the client did not offer the ``graphql-transport-ws`` subprotocol
4408  no ``connection_init`` within the timeout
4409  ``subscribe`` with the id of an operation still running
4429  a second ``connection_init``
====  ==========================================================================

Whatever way the socket ends, every operation task is cancelled and awaited, which closes its
subgraph socket (``gateway.subscriptions.stream_events``).

See https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import uuid
from contextlib import aclosing
from dataclasses import replace
from typing import TYPE_CHECKING

import orjson
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from gateway.errors import ClientError, ServiceNotReady, to_graphql_errors
from gateway.pipeline import GraphQLRequest, GraphQLResponse
from gateway.subscriptions import (
    GRAPHQL_TRANSPORT_WS,
    SubscriptionConnector,
    SubscriptionLimits,
    WebSocketConnector,
    prepare_subscription,
    stream_events,
)
from gateway.types import JSONObject

if TYPE_CHECKING:
    from gateway.config import Settings
    from gateway.partners import Partner
    from gateway.pipeline import Gateway

__all__ = ["TooManySubscriptions", "graphql_ws"]

_ID_PREFIX = uuid.uuid4().hex[:12]
_id_counter = itertools.count(1)


class TooManySubscriptions(ClientError):
    """The connection already runs ``SubscriptionLimits.max_subscriptions`` operations."""


class _Close(Exception):
    """Close the socket with ``code`` and ``reason`` (a protocol violation)."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


async def graphql_ws(websocket: WebSocket) -> None:
    """The WebSocket endpoint of ``/graphql`` (graphql-transport-ws)."""
    if GRAPHQL_TRANSPORT_WS not in websocket.scope.get("subprotocols", ()):
        await websocket.accept()
        await websocket.close(4406, "Subprotocol not acceptable")
        return
    await websocket.accept(subprotocol=GRAPHQL_TRANSPORT_WS)
    await _Connection(websocket).serve()


class _Connection:
    """One client socket: its handshake state and its running operations."""

    def __init__(self, websocket: WebSocket) -> None:
        self.websocket = websocket
        state = websocket.app.state
        self.settings: Settings = state.settings
        self.limits: SubscriptionLimits = getattr(state, "subscription_limits", None) or SubscriptionLimits()
        self.initialised = False
        self.acknowledged = False
        self.partner: Partner | None = None
        self.operations: dict[str, asyncio.Task[None]] = {}
        self._send_lock = asyncio.Lock()
        self._connector: SubscriptionConnector | None = None

    async def serve(self) -> None:
        """Read messages until the client leaves or breaks the protocol; then stop every operation."""
        try:
            try:
                async with asyncio.timeout(self.limits.connection_init_timeout):
                    while not self.acknowledged:
                        if not await self._receive():
                            return
            except TimeoutError:
                raise _Close(4408, "Connection initialisation timeout") from None
            while await self._receive():
                pass
        except _Close as close:
            with contextlib.suppress(Exception):
                await self.websocket.close(close.code, close.reason)
        finally:
            tasks = list(self.operations.values())
            for task in tasks:
                task.cancel()
            if tasks:
                # ``wait``, not ``gather``: if this task is cancelled meanwhile, the CancelledError
                # raised here is its own, not an operation's (cancel scopes tell them apart).
                await asyncio.wait(tasks)

    async def _receive(self) -> bool:
        """Handle one message; ``False`` once the client disconnected."""
        message = await self.websocket.receive()
        if message["type"] == "websocket.disconnect":
            return False
        text = message.get("text")
        if text is None:
            raise _Close(4400, "Messages must be text frames holding JSON")
        try:
            parsed = orjson.loads(text)
        except orjson.JSONDecodeError:
            raise _Close(4400, "Invalid message received: not JSON") from None
        if not isinstance(parsed, dict) or not isinstance(parsed.get("type"), str):
            raise _Close(4400, "Invalid message received: no 'type'")
        await self._dispatch(parsed)
        return True

    async def _dispatch(self, message: JSONObject) -> None:
        kind = message["type"]
        if kind == "connection_init":
            await self._connection_init(message.get("payload"))
        elif kind == "ping":
            await self.send({"type": "pong"})
        elif kind == "pong":
            pass
        elif kind == "subscribe":
            await self._subscribe(message)
        elif kind == "complete":
            op_id = message.get("id")
            if not isinstance(op_id, str):
                raise _Close(4400, "Invalid message received: 'complete' needs a string 'id'")
            task = self.operations.pop(op_id, None)
            if task is not None:
                task.cancel()
        else:
            raise _Close(4400, f"Invalid message received: unexpected type {kind!r}")

    async def _connection_init(self, payload: object) -> None:
        if self.initialised:
            raise _Close(4429, "Too many initialisation requests")
        self.initialised = True
        if payload is not None and not isinstance(payload, dict):
            raise _Close(4400, "Invalid message received: 'connection_init' payload must be an object")
        if self.settings.partners_path is not None:
            self.partner = self._authenticate(payload or {})
        self.acknowledged = True
        await self.send({"type": "connection_ack"})

    def _authenticate(self, payload: JSONObject) -> Partner:
        """With a partner file, the socket needs a partner key (header or ``connection_init``)."""
        from gateway.partner_gate import API_KEY_HEADER

        api = getattr(self.websocket.app.state, "partner_api", None)
        if api is None:
            raise _Close(1013, "The gateway is starting; retry shortly")
        key = self.websocket.headers.get(API_KEY_HEADER)
        for name in (API_KEY_HEADER, "X-API-Key", "apiKey"):
            if key is None and isinstance(payload.get(name), str):
                key = payload[name]
        try:
            partner: Partner = api.gate.authenticate(key)
        except ClientError:
            raise _Close(4403, "Forbidden") from None
        return partner

    async def _subscribe(self, message: JSONObject) -> None:
        if not self.acknowledged:
            raise _Close(4401, "Unauthorized")
        op_id, payload = message.get("id"), message.get("payload")
        if not isinstance(op_id, str) or not op_id:
            raise _Close(4400, "Invalid message received: 'subscribe' needs a non-empty string 'id'")
        if not isinstance(payload, dict):
            raise _Close(4400, "Invalid message received: 'subscribe' needs an object 'payload'")
        query, variables = payload.get("query"), payload.get("variables")
        extensions, name = payload.get("extensions"), payload.get("operationName")
        if (
            (variables is not None and not isinstance(variables, dict))
            or (extensions is not None and not isinstance(extensions, dict))
            or (name is not None and not isinstance(name, str))
        ):
            raise _Close(4400, "Invalid message received: malformed 'subscribe' payload")
        if not isinstance(query, str):
            # Only a persisted-query hash in 'extensions' may stand in for the document.
            if query is not None or not (extensions and "persistedQuery" in extensions):
                raise _Close(4400, "Invalid message received: 'subscribe' needs a 'query' string")
            query = ""
        if op_id in self.operations:
            raise _Close(4409, f"Subscriber for {op_id} already exists")
        if len(self.operations) >= self.limits.max_subscriptions:
            exc = TooManySubscriptions(
                f"This connection already runs {self.limits.max_subscriptions} operations, the limit; "
                "complete one before subscribing again, or open another connection."
            )
            await self.send({"id": op_id, "type": "error", "payload": exc.to_json()})
            return
        request = GraphQLRequest(query, variables, name, extensions)
        self.operations[op_id] = asyncio.create_task(self._run(op_id, request), name=f"graphql-ws {op_id}")

    async def _run(self, op_id: str, request: GraphQLRequest) -> None:
        """Run one operation to its end, sending ``next``* then ``complete`` or ``error``."""
        rid = self.websocket.headers.get("x-request-id") or f"{_ID_PREFIX}-ws{next(_id_counter):x}"
        try:
            await self._execute(op_id, self._with_headers(request, rid))
        except Exception as exc:  # to_graphql_errors logs what is not meant for the client
            await self.send({"id": op_id, "type": "error", "payload": to_graphql_errors(exc, rid)})
        else:
            await self.send({"id": op_id, "type": "complete"})
        finally:
            if self.operations.get(op_id) is asyncio.current_task():
                del self.operations[op_id]

    async def _execute(self, op_id: str, request: GraphQLRequest) -> None:
        gateway: Gateway | None = self.websocket.app.state.gateway
        if gateway is None:
            raise ServiceNotReady(
                "The gateway is starting and has not loaded its supergraph yet; retry shortly."
            )
        if self.partner is not None:
            resolved = await self._resolve_for_partner(self.partner, request)
            if isinstance(resolved, GraphQLResponse):
                await self.send({"id": op_id, "type": "next", "payload": resolved.payload})
                return
            request = resolved
        subscription = prepare_subscription(gateway, request)
        if subscription is None:  # a query or mutation: one result (graphql-transport-ws allows it)
            response = await gateway.run(request)
            await self.send({"id": op_id, "type": "next", "payload": response.payload})
            return
        events = stream_events(subscription, self._connector_for(gateway), self.limits)
        async with aclosing(events):
            async for payload in events:
                await self.send({"id": op_id, "type": "next", "payload": payload})

    async def _resolve_for_partner(
        self, partner: Partner, request: GraphQLRequest
    ) -> GraphQLRequest | GraphQLResponse:
        """Apply the partner API's rules, as over HTTP: rate limit, manifests, free-form limits.

        A persisted query or mutation runs here and its response is returned; a persisted
        subscription comes back as a request with its safelisted body; otherwise the free-form
        request to run.
        """
        from gateway.partner_gate import OperationRequest

        gate = self.websocket.app.state.partner_api.gate
        await gate.rate_limit(partner)
        operation = OperationRequest(
            request.query or None, request.variables, request.operation_name, request.extensions
        )
        resolved = await gate.resolve(partner, operation)
        if resolved.entry is not None and resolved.entry.is_subscription:
            return replace(request, query=resolved.entry.operation.body)
        if resolved.entry is not None:
            headers = (*request.forward_headers, ("x-request-id", request.request_id or ""))
            response: GraphQLResponse = await gate.run_persisted(
                resolved.entry, request.variables, headers=headers
            )
            return response
        query = resolved.query or ""
        gate.check_free_form(gate.limits_of(partner), replace(operation, query=query))
        return replace(request, query=query)

    def _with_headers(self, request: GraphQLRequest, rid: str) -> GraphQLRequest:
        headers = self.websocket.headers
        names = self.settings.forward_headers
        if self.partner is not None:
            from gateway.partner_gate import forwarded_headers

            forwarded = tuple(
                h for h in forwarded_headers(names, headers, self.partner, rid) if h[0] != "x-request-id"
            )
        else:
            forwarded = tuple((n, v) for n in names if (v := headers.get(n)) is not None)
        return GraphQLRequest(
            request.query, request.variables, request.operation_name, request.extensions, forwarded, rid
        )

    def _connector_for(self, gateway: Gateway) -> SubscriptionConnector:
        if self._connector is None:
            connector: SubscriptionConnector | None = getattr(
                self.websocket.app.state, "subscription_connector", None
            )
            if connector is None:
                from gateway.http.app import subgraph_urls

                connector = WebSocketConnector(subgraph_urls(gateway.supergraph, self.settings), self.limits)
            self._connector = connector
        return self._connector

    async def send(self, message: JSONObject) -> None:
        """Send one message; a socket the client already left is ignored."""
        websocket = self.websocket
        async with self._send_lock:
            if websocket.application_state != WebSocketState.CONNECTED:
                return
            with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
                await websocket.send_text(orjson.dumps(message).decode())
