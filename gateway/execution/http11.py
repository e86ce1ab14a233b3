"""A lean HTTP/1.1 keep-alive client for subgraph requests (asyncio protocol + httptools).

``HttpxTransport`` is the reference transport, but httpx costs about a millisecond of CPU per
request on small machines (URL models, header objects, anyio locks, h11 state machine), which
dominates a gateway whose own work per request is tens of microseconds. This client does only
what a subgraph call needs: one pooled keep-alive connection per in-flight request, the request
written in a single ``write``, the response parsed by httptools (the parser uvicorn uses), and a
per-request deadline. Failures map to the same ``UpstreamError`` codes as ``HttpxTransport``.

PORT_NOTE: a request that fails on a *reused* idle connection before any response byte arrives
is retried once on a new connection. This is the usual keep-alive race (the server closed the
idle connection while the request was in flight, so it never processed it), the same case
aiohttp and urllib3 retry.

See https://www.rfc-editor.org/rfc/rfc9112
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections import deque
from collections.abc import Mapping
from urllib.parse import urlsplit

import httptools
import orjson

from gateway.errors import SubgraphUnavailable
from gateway.execution.transport import SubgraphRequest, read_subgraph_response
from gateway.types import JSONObject

__all__ = ["Http11Transport"]


class _ConnectionClosed(Exception):
    """The connection closed before a complete response; ``received`` tells if any byte came."""

    def __init__(self, received: bool) -> None:
        super().__init__("connection closed before the response completed")
        self.received = received


class _Connection(asyncio.Protocol):
    """One HTTP/1.1 connection; handles one request at a time."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.waiter: asyncio.Future[tuple[int, bytes, bool]] | None = None
        self.body: list[bytes] = []
        self.received = False
        self.headers_done = False
        self.closed = False
        self.idle_since = 0.0

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        if self.waiter is None or self.waiter.done():
            self.close()  # unsolicited bytes: the connection is out of sync
            return
        self.received = True
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self.close()
            if not self.waiter.done():
                self.waiter.set_exception(exc)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            if self.headers_done and self.parser.should_keep_alive() is False:
                # A close-delimited body (no Content-Length): the close ends the message.
                waiter.set_result((self.parser.get_status_code(), b"".join(self.body), False))
            else:
                waiter.set_exception(_ConnectionClosed(self.received))

    # httptools callbacks
    def on_message_begin(self) -> None:
        self.body = []
        self.headers_done = False

    def on_headers_complete(self) -> None:
        self.headers_done = True

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            keep_alive = bool(self.parser.should_keep_alive())
            waiter.set_result((self.parser.get_status_code(), b"".join(self.body), keep_alive))

    def send(self, payload: bytes) -> asyncio.Future[tuple[int, bytes, bool]]:
        """Write one request; the future resolves to ``(status, body, keep_alive)``."""
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        self.received = False
        self.headers_done = False
        self.body = []
        self.transport.write(payload)
        return self.waiter

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()


class _Origin:
    """A pool of keep-alive connections to one ``scheme://host:port``."""

    def __init__(self, url: str, max_connections: int, max_idle: int, keepalive_expiry: float) -> None:
        parts = urlsplit(url)
        self.secure = parts.scheme == "https"
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (443 if self.secure else 80)
        default_port = (self.secure and self.port == 443) or (not self.secure and self.port == 80)
        host_header = self.host if default_port else f"{self.host}:{self.port}"
        path = parts.path or "/"
        if parts.query:
            path = f"{path}?{parts.query}"
        self.head = (
            f"POST {path} HTTP/1.1\r\nHost: {host_header}\r\nContent-Type: application/json\r\n"
            "Accept: application/graphql-response+json, application/json\r\n"
        ).encode("latin-1")
        self.idle: deque[_Connection] = deque()
        self.slots = asyncio.Semaphore(max_connections)
        self.max_idle = max_idle
        self.keepalive_expiry = keepalive_expiry
        self._ssl = ssl.create_default_context() if self.secure else None

    def take_idle(self) -> _Connection | None:
        now = time.monotonic()
        while self.idle:
            connection = self.idle.pop()
            fresh = now - connection.idle_since < self.keepalive_expiry
            if (
                fresh
                and not connection.closed
                and not (connection.transport and connection.transport.is_closing())
            ):
                return connection
            connection.close()
        return None

    async def connect(self) -> _Connection:
        loop = asyncio.get_running_loop()
        _, protocol = await loop.create_connection(_Connection, self.host, self.port, ssl=self._ssl)
        return protocol

    def release(self, connection: _Connection, keep_alive: bool) -> None:
        if keep_alive and not connection.closed and len(self.idle) < self.max_idle:
            connection.waiter = None
            connection.idle_since = time.monotonic()
            self.idle.append(connection)
        else:
            connection.close()

    def close(self) -> None:
        while self.idle:
            self.idle.pop().close()


def _header_lines(headers: tuple[tuple[str, str], ...]) -> bytes:
    """Encode extra request headers; values with line breaks are dropped (header injection)."""
    return b"".join(
        f"{name}: {value}\r\n".encode("latin-1", "replace")
        for name, value in headers
        if "\r" not in value and "\n" not in value and "\r" not in name and "\n" not in name
    )


class Http11Transport:
    """Subgraph requests over pooled HTTP/1.1 keep-alive connections (see the module docstring).

    Args:
        urls: Subgraph name → endpoint URL (``http://`` or ``https://``).
        timeout: Seconds per request: pool wait, connect, write and response together.
        max_connections: Concurrent requests (and connections) per subgraph origin.
        max_keepalive_connections: Idle connections kept per origin.
        keepalive_expiry: Seconds an idle connection is reused; keep it below the subgraph
            server's own keep-alive timeout (uvicorn: 5 s).
    """

    def __init__(
        self,
        urls: Mapping[str, str],
        *,
        timeout: float = 30.0,
        max_connections: int = 256,
        max_keepalive_connections: int = 128,
        keepalive_expiry: float = 4.0,
    ) -> None:
        self._urls = dict(urls)
        self._timeout = timeout
        self._origins = {
            name: _Origin(url, max_connections, max_keepalive_connections, keepalive_expiry)
            for name, url in urls.items()
        }

    async def aclose(self) -> None:
        """Close every idle connection."""
        for origin in self._origins.values():
            origin.close()

    async def fetch(self, request: SubgraphRequest) -> JSONObject:
        """Post ``request`` to its subgraph; see ``SubgraphTransport.fetch``."""
        name = request.service_name
        origin = self._origins.get(name)
        if origin is None:
            raise SubgraphUnavailable(
                f"Subgraph {name!r} has no URL; set one in the supergraph or GATEWAY_SUBGRAPH_URL_{name.upper()}.",
                service_name=name,
            )
        body = orjson.dumps(request.to_json())
        extra = _header_lines(request.headers) if request.headers else b""
        payload = b"".join(
            (origin.head, extra, b"Content-Length: ", str(len(body)).encode(), b"\r\n\r\n", body)
        )
        try:
            async with asyncio.timeout(self._timeout):
                status, content = await self._exchange(origin, payload)
        except TimeoutError as exc:
            raise SubgraphUnavailable(
                f"Subgraph {name!r} did not answer within {self._timeout:g} seconds.",
                service_name=name,
                extensions={"reason": "timeout"},
            ) from exc
        except (OSError, _ConnectionClosed, httptools.HttpParserError) as exc:
            raise SubgraphUnavailable(
                f"Subgraph {name!r} could not be reached at {self._urls[name]!r} ({type(exc).__name__}).",
                service_name=name,
                extensions={"reason": "connection"},
            ) from exc
        return read_subgraph_response(name, status, content)

    async def _exchange(self, origin: _Origin, payload: bytes) -> tuple[int, bytes]:
        async with origin.slots:
            connection = origin.take_idle()
            reused = connection is not None
            if connection is None:
                connection = await origin.connect()
            try:
                status, content, keep_alive = await connection.send(payload)
            except _ConnectionClosed as exc:
                connection.close()
                if not reused or exc.received:
                    raise
                connection = await origin.connect()
                try:
                    status, content, keep_alive = await connection.send(payload)
                except BaseException:
                    connection.close()
                    raise
            except BaseException:
                connection.close()  # cancelled or failed mid-exchange: the connection is out of sync
                raise
            origin.release(connection, keep_alive)
            return status, content
