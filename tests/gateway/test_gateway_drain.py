"""SIGTERM drains a real gateway process: it stops accepting, finishes in-flight requests, and
closes subscriptions with 1012 "service restart" so clients reconnect to another replica."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncGenerator, Iterator
from pathlib import Path

import httpx
import orjson
import pytest
import strawberry
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from gateway.composition import SubgraphSource, Success, compose
from tests.gateway.subscription_world import serving


@strawberry.type
class Query:
    @strawberry.field
    async def slow(self, seconds: float) -> str:
        await asyncio.sleep(seconds)
        return "done"


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def ticks(self) -> AsyncGenerator[int, None]:
        number = 0
        while True:
            yield number
            number += 1
            await asyncio.sleep(0.05)


schema = strawberry.federation.Schema(query=Query, subscription=Subscription)
SDL = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { slow(seconds: Float!): String! }
type Subscription { ticks: Int! }
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def gateway_process(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    app = GraphQL(schema, subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,))
    with serving(app) as url:
        result = compose([SubgraphSource("slowpoke", url, SDL)])
        assert isinstance(result, Success), result
        supergraph = tmp_path / "supergraph.graphql"
        supergraph.write_text(result.supergraph_sdl)
        port = _free_port()
        env = {**os.environ, "GATEWAY_SHUTDOWN_TIMEOUT": "10"}
        process = subprocess.Popen(
            [sys.executable, "-m", "gateway", "--supergraph", str(supergraph), "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert process.poll() is None, "the gateway exited during start-up"
                assert time.monotonic() < deadline, "the gateway did not become ready"
                time.sleep(0.1)
            yield process, port
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)


async def _read_until_closed(websocket: ClientConnection) -> None:
    while True:
        await asyncio.wait_for(websocket.recv(), timeout=5)


async def test_sigterm_finishes_in_flight_requests_and_closes_subscriptions_with_1012(
    gateway_process: tuple[subprocess.Popen[bytes], int],
) -> None:
    process, port = gateway_process
    base = f"127.0.0.1:{port}"
    async with connect(f"ws://{base}/graphql", subprotocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL]) as websocket:  # type: ignore[list-item]
        await websocket.send(orjson.dumps({"type": "connection_init"}).decode())
        assert orjson.loads(await websocket.recv())["type"] == "connection_ack"
        await websocket.send(
            orjson.dumps(
                {"id": "1", "type": "subscribe", "payload": {"query": "subscription { ticks }"}}
            ).decode()
        )
        assert orjson.loads(await websocket.recv())["type"] == "next"

        async with httpx.AsyncClient(base_url=f"http://{base}", timeout=20) as client:
            in_flight = asyncio.create_task(client.post("/graphql", json={"query": "{ slow(seconds: 2) }"}))
            await asyncio.sleep(0.5)
            signalled = time.monotonic()
            process.send_signal(signal.SIGTERM)

            with pytest.raises(ConnectionClosed) as closed:
                await _read_until_closed(websocket)
            assert closed.value.rcvd is not None
            assert closed.value.rcvd.code == 1012, "1012 service restart: clients reconnect elsewhere"
            assert time.monotonic() - signalled < 2, "subscriptions are closed at once, not drained"

            async with httpx.AsyncClient(base_url=f"http://{base}") as late:
                with pytest.raises(httpx.ConnectError):
                    await late.get("/healthz")

            response = await in_flight
    assert response.status_code == 200
    assert response.json() == {"data": {"slow": "done"}}
    # After a clean drain uvicorn re-raises the signal, so a supervisor sees "ended by SIGTERM".
    assert await asyncio.to_thread(process.wait, 15) == -signal.SIGTERM
