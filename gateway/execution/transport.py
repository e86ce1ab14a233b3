"""How the executor talks to subgraphs: the ``SubgraphTransport`` seam and two implementations.

``HttpxTransport`` posts GraphQL requests over pooled keep-alive HTTP/1.1 connections (one
``httpx.AsyncClient`` per process) and translates every transport failure, once, into
``SubgraphUnavailable`` or ``DownstreamServiceError``. ``MockTransport`` answers from an
in-memory handler, for tests.

See https://graphql.github.io/graphql-over-http/draft/
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import httpx
import orjson

from gateway.errors import DownstreamServiceError, SubgraphUnavailable
from gateway.types import JSONObject, SubgraphName

__all__ = [
    "HttpxTransport",
    "MockTransport",
    "SubgraphRequest",
    "SubgraphTransport",
    "read_subgraph_response",
]

_HEADERS = {
    "content-type": "application/json",
    "accept": "application/graphql-response+json, application/json",
}


@dataclass(frozen=True, slots=True)
class SubgraphRequest:
    """One GraphQL request to one subgraph."""

    service_name: SubgraphName
    query: str
    variables: JSONObject = field(default_factory=dict)
    operation_name: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    """Extra HTTP headers to send (lower-case names), e.g. the request id."""

    def to_json(self) -> JSONObject:
        """The GraphQL-over-HTTP request body."""
        body: JSONObject = {"query": self.query}
        if self.variables:
            body["variables"] = self.variables
        if self.operation_name is not None:
            body["operationName"] = self.operation_name
        return body


class SubgraphTransport(Protocol):
    """Sends a request to a subgraph and returns its GraphQL response (``data``/``errors``)."""

    async def fetch(self, request: SubgraphRequest) -> JSONObject:
        """Return the subgraph's response object.

        Raises:
            SubgraphUnavailable: The subgraph could not be reached, timed out or failed at HTTP level.
            DownstreamServiceError: The subgraph answered with something that is not a GraphQL response.
        """
        ...


class HttpxTransport:
    """Subgraph requests over one pooled ``httpx.AsyncClient`` (HTTP/1.1 keep-alive).

    Args:
        urls: Subgraph name → endpoint URL.
        client: The shared client; ``create()`` builds one sized for many concurrent requests.
        timeout: Seconds per request (connect, write, read and pool wait together).
    """

    def __init__(self, urls: Mapping[str, str], client: httpx.AsyncClient, *, timeout: float) -> None:
        self._urls = dict(urls)
        self._client = client
        self._timeout = timeout
        self._httpx_timeout = httpx.Timeout(timeout)

    @classmethod
    def create(
        cls,
        urls: Mapping[str, str],
        *,
        timeout: float = 30.0,
        max_connections: int = 256,
        max_keepalive_connections: int = 128,
        keepalive_expiry: float = 30.0,
    ) -> HttpxTransport:
        """Build a transport with its own connection pool; close it with ``aclose()``."""
        limits = httpx.Limits(
            max_connections=max_connections,
            max_keepalive_connections=max_keepalive_connections,
            keepalive_expiry=keepalive_expiry,
        )
        client = httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(timeout), http1=True, http2=False)
        return cls(urls, client, timeout=timeout)

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self._client.aclose()

    async def fetch(self, request: SubgraphRequest) -> JSONObject:
        """Post ``request`` to its subgraph; see ``SubgraphTransport.fetch``."""
        name = request.service_name
        url = self._urls.get(name)
        if url is None:
            raise SubgraphUnavailable(
                f"Subgraph {name!r} has no URL; set one in the supergraph or GATEWAY_SUBGRAPH_URL_{name.upper()}.",
                service_name=name,
            )
        try:
            headers = {**_HEADERS, **dict(request.headers)} if request.headers else _HEADERS
            response = await self._client.post(
                url, content=orjson.dumps(request.to_json()), headers=headers, timeout=self._httpx_timeout
            )
        except httpx.TimeoutException as exc:
            raise SubgraphUnavailable(
                f"Subgraph {name!r} did not answer within {self._timeout:g} seconds.",
                service_name=name,
                extensions={"reason": "timeout"},
            ) from exc
        except httpx.HTTPError as exc:
            raise SubgraphUnavailable(
                f"Subgraph {name!r} could not be reached at {url!r} ({type(exc).__name__}).",
                service_name=name,
                extensions={"reason": "connection"},
            ) from exc
        return read_subgraph_response(name, response.status_code, response.content)


def read_subgraph_response(name: str, status: int, content: bytes) -> JSONObject:
    """Decode a subgraph's HTTP response into a GraphQL response object, or raise."""
    try:
        payload = orjson.loads(content)
    except orjson.JSONDecodeError as exc:
        if status >= 400:
            raise SubgraphUnavailable(
                f"Subgraph {name!r} answered with HTTP status {status}.",
                service_name=name,
                extensions={"reason": "http_status", "httpStatus": status},
            ) from exc
        raise DownstreamServiceError(
            f"Subgraph {name!r} answered with a body that is not JSON.", service_name=name
        ) from exc
    if isinstance(payload, dict) and ("data" in payload or "errors" in payload):
        # A GraphQL response is used whatever the HTTP status (graphql-response+json uses 4xx).
        return payload
    if status >= 400:
        raise SubgraphUnavailable(
            f"Subgraph {name!r} answered with HTTP status {status}.",
            service_name=name,
            extensions={"reason": "http_status", "httpStatus": status},
        )
    raise DownstreamServiceError(
        f"Subgraph {name!r} answered with JSON that is not a GraphQL response (no 'data' or 'errors').",
        service_name=name,
    )


MockHandler = Callable[[SubgraphRequest], JSONObject | Awaitable[JSONObject]]


class MockTransport:
    """An in-memory transport: ``handler(request)`` returns the response (or raises).

    Every request is recorded in ``requests`` so tests can count and inspect fetches. Responses
    are round-tripped through JSON, as a real subgraph's would be, so a handler may return
    shared constants without the executor's in-place merging changing them.
    """

    def __init__(self, handler: MockHandler) -> None:
        self._handler = handler
        self.requests: list[SubgraphRequest] = []

    async def fetch(self, request: SubgraphRequest) -> JSONObject:
        """Record ``request`` and answer it with the handler."""
        self.requests.append(request)
        result = self._handler(request)
        if inspect.isawaitable(result):
            result = await result
        response: JSONObject = orjson.loads(orjson.dumps(result))
        return response

    async def aclose(self) -> None:
        """Nothing to close."""
