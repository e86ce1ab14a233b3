"""Http11Transport against a real TCP server in the test's event loop."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import orjson
import pytest

from gateway.errors import DownstreamServiceError, SubgraphUnavailable
from gateway.execution import SubgraphRequest
from gateway.execution.http11 import Http11Transport
from gateway.types import SubgraphName

REQUEST = SubgraphRequest(SubgraphName("products"), "query Q($n:Int){top(n:$n){id}}", {"n": 2}, "Q")
OK = b'{"data":{"top":[{"id":"1"}]}}'

Responder = Callable[[bytes, asyncio.StreamWriter], Awaitable[bool]]
"""``responder(body, writer)`` writes a response; returns whether to keep the connection open."""


@dataclass
class Server:
    port: int
    connections: int = 0
    requests: list[tuple[bytes, bytes]] = field(default_factory=list)


def _response(status: int, body: bytes, *extra: str) -> bytes:
    head = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}", "Content-Type: application/json", *extra]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


async def _ok(body: bytes, writer: asyncio.StreamWriter) -> bool:
    writer.write(_response(200, OK))
    return True


@asynccontextmanager
async def serve(responder: Responder = _ok) -> AsyncIterator[Server]:
    state = Server(0)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        state.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                body = await reader.readexactly(length)
                state.requests.append((head, body))
                keep = await responder(body, writer)
                await writer.drain()
                if not keep:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    state.port = server.sockets[0].getsockname()[1]
    async with server:
        yield state
        server.close()


def transport_for(server: Server, **kwargs: float) -> Http11Transport:
    return Http11Transport({"products": f"http://127.0.0.1:{server.port}/graphql"}, **kwargs)  # type: ignore[arg-type]


async def test_posts_json_and_reuses_the_connection() -> None:
    async with serve() as server:
        transport = transport_for(server)
        for _ in range(3):
            assert await transport.fetch(REQUEST) == {"data": {"top": [{"id": "1"}]}}
        await transport.aclose()
    assert server.connections == 1
    head, body = server.requests[0]
    assert head.startswith(b"POST /graphql HTTP/1.1\r\n")
    assert f"Host: 127.0.0.1:{server.port}".encode() in head
    assert orjson.loads(body) == {"query": REQUEST.query, "variables": {"n": 2}, "operationName": "Q"}


async def test_chunked_responses_are_reassembled() -> None:
    async def chunked(body: bytes, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        for part in (OK[:10], OK[10:]):
            writer.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
        writer.write(b"0\r\n\r\n")
        return True

    async with serve(chunked) as server:
        transport = transport_for(server)
        assert await transport.fetch(REQUEST) == {"data": {"top": [{"id": "1"}]}}
        assert await transport.fetch(REQUEST) == {"data": {"top": [{"id": "1"}]}}
        await transport.aclose()
    assert server.connections == 1


async def test_close_delimited_bodies_and_connection_close() -> None:
    async def close_delimited(body: bytes, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + OK)
        return False

    async with serve(close_delimited) as server:
        transport = transport_for(server)
        assert await transport.fetch(REQUEST) == {"data": {"top": [{"id": "1"}]}}
        assert await transport.fetch(REQUEST) == {"data": {"top": [{"id": "1"}]}}
        await transport.aclose()
    assert server.connections == 2


async def test_a_reused_connection_closed_by_the_server_is_retried_once() -> None:
    async def then_close(body: bytes, writer: asyncio.StreamWriter) -> bool:
        writer.write(_response(200, OK))  # no "Connection: close", but the server closes anyway
        return False

    async with serve(then_close) as server:
        transport = transport_for(server)
        for _ in range(3):
            assert await transport.fetch(REQUEST) == {"data": {"top": [{"id": "1"}]}}
        await transport.aclose()
    assert len(server.requests) == 3


async def test_a_silent_server_times_out() -> None:
    async def silent(body: bytes, writer: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(5)
        return False

    async with serve(silent) as server:
        transport = transport_for(server, timeout=0.2)
        with pytest.raises(SubgraphUnavailable, match=r"within 0\.2 seconds") as info:
            await transport.fetch(REQUEST)
        await transport.aclose()
    assert info.value.extensions["reason"] == "timeout"


async def test_garbage_is_a_connection_failure() -> None:
    async def garbage(body: bytes, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"NOT HTTP AT ALL\r\n\r\n")
        return False

    async with serve(garbage) as server:
        with pytest.raises(SubgraphUnavailable, match="could not be reached"):
            await transport_for(server).fetch(REQUEST)


@pytest.mark.parametrize(
    ("status", "body", "error", "fragment"),
    [
        (503, b"down", SubgraphUnavailable, "HTTP status 503"),
        (200, b"<html>", DownstreamServiceError, "not JSON"),
    ],
)
async def test_http_errors_and_bad_bodies(
    status: int, body: bytes, error: type[Exception], fragment: str
) -> None:
    async def respond(request_body: bytes, writer: asyncio.StreamWriter) -> bool:
        writer.write(_response(status, body))
        return True

    async with serve(respond) as server:
        with pytest.raises(error, match=fragment):
            await transport_for(server).fetch(REQUEST)


async def test_graphql_errors_with_4xx_are_returned() -> None:
    async def bad_request(body: bytes, writer: asyncio.StreamWriter) -> bool:
        writer.write(_response(400, b'{"errors":[{"message":"Bad."}]}'))
        return True

    async with serve(bad_request) as server:
        assert await transport_for(server).fetch(REQUEST) == {"errors": [{"message": "Bad."}]}


async def test_concurrent_requests_are_bounded_by_max_connections() -> None:
    async def slow(body: bytes, writer: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(0.01)
        writer.write(_response(200, OK))
        return True

    async with serve(slow) as server:
        transport = transport_for(server, max_connections=4)
        results = await asyncio.gather(*(transport.fetch(REQUEST) for _ in range(20)))
        await transport.aclose()
    assert len(results) == 20
    assert server.connections == 4


async def test_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    transport = Http11Transport({"products": f"http://127.0.0.1:{port}/graphql"})
    with pytest.raises(SubgraphUnavailable, match="could not be reached"):
        await transport.fetch(REQUEST)


async def test_unknown_subgraph() -> None:
    with pytest.raises(SubgraphUnavailable, match="has no URL"):
        await Http11Transport({}).fetch(REQUEST)


async def test_extra_headers_are_sent_and_line_breaks_dropped() -> None:
    async with serve() as server:
        transport = transport_for(server)
        request = SubgraphRequest(
            SubgraphName("products"), "{x}", headers=(("x-request-id", "abc"), ("x-evil", "a\r\nInjected: 1"))
        )
        await transport.fetch(request)
        await transport.aclose()
    head = server.requests[0][0]
    assert b"x-request-id: abc\r\n" in head
    assert b"Injected" not in head
