"""The plan cache shared through Redis (real server at 127.0.0.1:6379): replicas, corruption, outages.

Gateways here are full apps (``create_app``) over the federation world: real composition,
supergraph loader and planner, subgraphs in-process. The planner is wrapped to count calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from graphql import DocumentNode
from redis.asyncio import Redis
from starlette.applications import Starlette

from gateway.caching import PlanCacheKey, RedisPlanStore, document_hash
from gateway.config import Settings
from gateway.http import create_app
from gateway.pipeline import Gateway, Planner
from gateway.planner import QueryPlanner
from gateway.planner.plan import QueryPlan
from tests.conftest import REDIS_URL, drop_redis_keys, require_service
from tests.gateway.http.federation_world import make_transport, supergraph_sdl
from tests.gateway.http.http_world import serve

QUERY = "query Top { topProducts(first: 2) { name reviews { body author { username } } } }"
EXPECTED = {
    "data": {
        "topProducts": [
            {"name": "Table", "reviews": [{"body": "Love it!", "author": {"username": "ada"}}]},
            {
                "name": "Couch",
                "reviews": [
                    {"body": "Too expensive.", "author": {"username": "ada"}},
                    {"body": "Could be better.", "author": {"username": "bob"}},
                ],
            },
        ]
    }
}


class CountingPlanner:
    """Wraps the real planner and counts the operations it plans."""

    def __init__(self, supergraph: Any) -> None:
        self._inner = QueryPlanner(supergraph)
        self.calls = 0

    def plan(self, document: DocumentNode, operation_name: str | None) -> QueryPlan:
        self.calls += 1
        return self._inner.plan(document, operation_name)


@pytest.fixture(scope="module")
def supergraph_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("supergraph") / "supergraph.graphql"
    path.write_text(supergraph_sdl())
    return path


@pytest.fixture
async def redis_prefix() -> AsyncIterator[str]:
    """A unique key prefix on the real Redis; its keys are deleted afterwards."""
    require_service("Redis", "127.0.0.1", 6379)
    prefix = f"test-plans-{uuid.uuid4().hex[:10]}"
    yield prefix
    await drop_redis_keys(f"{prefix}:*")


GatewayFactory = Callable[..., Awaitable[tuple[httpx.AsyncClient, CountingPlanner, Starlette]]]


@pytest.fixture
async def gateway_factory(supergraph_file: Path) -> AsyncIterator[GatewayFactory]:
    """Start gateway apps (lifespan included) on the federation world; all are stopped afterwards."""
    async with contextlib.AsyncExitStack() as stack:

        async def start(**settings: Any) -> tuple[httpx.AsyncClient, CountingPlanner, Starlette]:
            planners: list[CountingPlanner] = []

            def make_planner(supergraph: Any) -> Planner:
                planners.append(CountingPlanner(supergraph))
                return planners[-1]

            app = create_app(
                Settings(supergraph_path=str(supergraph_file), dev=True, **settings),
                transport=make_transport(),
                make_planner=make_planner,
            )
            client = await stack.enter_async_context(serve(app))
            return client, planners[0], app

        yield start


def _gateway(app: Starlette) -> Gateway:
    gateway: Gateway = app.state.gateway
    return gateway


def _store(app: Starlette) -> RedisPlanStore:
    store = _gateway(app).plans.shared
    assert isinstance(store, RedisPlanStore)
    return store


def _up(store: RedisPlanStore) -> bool:
    return store.available


def _metric(app: Starlette, line: str) -> float:
    for row in app.state.metrics.render().decode().splitlines():
        if row.startswith(line + " "):
            return float(row.rsplit(" ", 1)[1])
    return 0.0


async def _ask(client: httpx.AsyncClient, query: str = QUERY, **extensions: Any) -> Any:
    response = await client.post("/graphql", json={"query": query, "extensions": extensions or None})
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_second_gateway_reuses_the_plan_the_first_stored(
    gateway_factory: GatewayFactory, redis_prefix: str
) -> None:
    first, first_planner, first_app = await gateway_factory(redis_url=REDIS_URL, redis_prefix=redis_prefix)
    second, second_planner, second_app = await gateway_factory(redis_url=REDIS_URL, redis_prefix=redis_prefix)

    planned = await _ask(first, queryPlan=True)
    assert first_planner.calls == 1
    await _store(first_app).drain()

    reused = await _ask(second, queryPlan=True)
    assert second_planner.calls == 0
    assert reused == planned
    assert {k: v for k, v in reused.items() if k != "extensions"} == EXPECTED
    assert _metric(second_app, 'gateway_plan_cache_lookups_total{level="redis",result="hit"}') == 1

    # now a local hit: no planning and no Redis round trip
    assert await _ask(second) == EXPECTED
    assert second_planner.calls == 0
    assert _metric(second_app, 'gateway_plan_cache_lookups_total{level="local",result="hit"}') == 1
    assert _metric(second_app, 'gateway_plan_cache_lookups_total{level="redis",result="hit"}') == 1
    assert _metric(first_app, 'gateway_plan_cache_lookups_total{level="redis",result="miss"}') == 1

    gateway = _gateway(first_app)
    key = _store(first_app).key(PlanCacheKey(gateway.supergraph_id, document_hash(QUERY), "Top"))
    assert key.startswith(f"{redis_prefix}:plan:")
    redis = Redis.from_url(REDIS_URL)
    try:
        stored, ttl = await redis.get(key), await redis.ttl(key)
    finally:
        await redis.aclose()
    assert stored is not None
    assert orjson.loads(stored) == planned["extensions"]["queryPlan"]
    assert 23 * 3600 < ttl <= 24 * 3600


@pytest.mark.parametrize("corrupt", [b"not json", b'{"kind":"QueryPlan","node":{"kind":"Teleport"}}', b"[]"])
async def test_a_corrupt_plan_in_redis_is_replanned_and_overwritten(
    gateway_factory: GatewayFactory, redis_prefix: str, corrupt: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    client, planner, app = await gateway_factory(redis_url=REDIS_URL, redis_prefix=redis_prefix)
    gateway = _gateway(app)
    key = _store(app).key(PlanCacheKey(gateway.supergraph_id, document_hash(QUERY), "Top"))
    redis = Redis.from_url(REDIS_URL)
    try:
        await redis.set(key, corrupt, ex=60)
        with caplog.at_level(logging.WARNING, logger="gateway.caching"):
            answer = await _ask(client, queryPlan=True)
        assert planner.calls == 1
        assert {k: v for k, v in answer.items() if k != "extensions"} == EXPECTED
        assert "unreadable plan" in caplog.text
        assert _metric(app, 'gateway_plan_cache_redis_errors_total{operation="decode"}') == 1
        await _store(app).drain()
        stored = await redis.get(key)
    finally:
        await redis.aclose()
    assert stored is not None
    assert orjson.loads(stored) == answer["extensions"]["queryPlan"]


async def test_requests_succeed_when_redis_is_down(
    gateway_factory: GatewayFactory, caplog: pytest.LogCaptureFixture
) -> None:
    client, planner, app = await gateway_factory(
        redis_url="redis://127.0.0.1:1/0", redis_prefix="unreachable"
    )
    started = time.perf_counter()
    with caplog.at_level(logging.WARNING, logger="gateway.caching"):
        assert await _ask(client) == EXPECTED
        assert await _ask(client, "{ me { username } }") == {"data": {"me": {"username": "ada"}}}
        assert await _ask(client, "{ topProducts(first: 1) { upc } }") == {
            "data": {"topProducts": [{"upc": "1"}]}
        }
        assert await _ask(client) == EXPECTED
        await _store(app).drain()
    assert time.perf_counter() - started < 2.0
    assert planner.calls == 3
    assert not _up(_store(app))
    warnings = [r for r in caplog.records if r.name == "gateway.caching"]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]  # logged once per outage
    assert "planning locally" in warnings[0].getMessage()
    assert _metric(app, 'gateway_plan_cache_redis_errors_total{operation="get"}') == 1
    assert _metric(app, 'gateway_plan_cache_lookups_total{level="redis",result="miss"}') == 3


async def test_without_redis_url_plans_stay_in_the_process(gateway_factory: GatewayFactory) -> None:
    client, planner, app = await gateway_factory()
    assert _gateway(app).plans.shared is None
    assert await _ask(client) == EXPECTED
    assert await _ask(client) == EXPECTED
    assert planner.calls == 1
    assert _metric(app, 'gateway_plan_cache_lookups_total{level="redis",result="miss"}') == 0


class RedisProxy:
    """A TCP proxy to the real Redis that the test stops and restarts on the same port (an outage)."""

    def __init__(self) -> None:
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", 6379)
        self._writers |= {writer, upstream_writer}
        await asyncio.gather(self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.transport.abort()
        self._writers.discard(writer)


async def test_the_store_skips_redis_after_a_failure_and_reconnects_later(
    redis_prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    proxy = RedisProxy()
    await proxy.start()
    errors: list[str] = []
    store = RedisPlanStore.from_url(
        f"redis://127.0.0.1:{proxy.port}/0",
        prefix=f"{redis_prefix}:plan:",
        retry_after=0.3,
        on_error=errors.append,
    )
    key = PlanCacheKey("sg", document_hash("{ a }"), None)
    plan = QueryPlan(None)
    try:
        store.put(key, plan)
        await store.drain()
        assert await store.get(key) == plan

        await proxy.stop()  # Redis "goes down": the open connection drops, new ones are refused
        with caplog.at_level(logging.INFO, logger="gateway.caching"):
            assert await store.get(key) is None
            assert errors == ["get"]
            assert not _up(store)
            assert await store.get(key) is None  # skipped during the back-off: no new attempt
            store.put(key, plan)
            assert errors == ["get"]

            await proxy.start()  # back on the same port
            await asyncio.sleep(0.35)
            assert await store.get(key) == plan
            assert _up(store)
        messages = [r.getMessage() for r in caplog.records if r.name == "gateway.caching"]
        assert len(messages) == 2, messages
        assert "answers again" in messages[1]
    finally:
        await store.aclose()
        await proxy.stop()


async def test_a_redis_that_never_answers_costs_one_short_timeout(gateway_factory: GatewayFactory) -> None:
    async def swallow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            while await reader.read(65536):
                pass  # accept commands, answer nothing: a hung Redis
        writer.close()

    silent = await asyncio.start_server(swallow, "127.0.0.1", 0)
    port = silent.sockets[0].getsockname()[1]
    try:
        client, planner, app = await gateway_factory(
            redis_url=f"redis://127.0.0.1:{port}/0", redis_prefix="hung"
        )
        started = time.perf_counter()
        assert await _ask(client) == EXPECTED
        first = time.perf_counter() - started
        assert await _ask(client, "{ me { username } }") == {"data": {"me": {"username": "ada"}}}
        assert planner.calls == 2
        assert 0.2 <= first < 1.5, first  # the read timeout (0.25 s) ...
        # ... once: the second request skipped Redis during the back-off (no second timeout)
        assert _metric(app, 'gateway_plan_cache_redis_errors_total{operation="get"}') == 1
    finally:
        silent.close()
