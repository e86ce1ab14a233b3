"""``/ready``: the supergraph is loaded and every subgraph answers its health check, checked once per ttl."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import httpx
from graphql import build_schema

from gateway.config import Settings
from gateway.http import create_app
from gateway.readiness import Readiness, health_url
from tests.gateway.http.http_world import (
    API_SDL,
    FakePlanner,
    FakeSupergraph,
    SubgraphInfoStub,
    make_app,
    serve,
)

URLS = {"accounts": "http://accounts:4001/graphql", "posts": "http://posts:4002/graphql?x=1"}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _health(statuses: dict[str, int], calls: list[str]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        return httpx.Response(statuses[request.url.host], json={"status": "x"})

    return httpx.MockTransport(handle)


def test_health_url_replaces_the_graphql_path() -> None:
    assert health_url("http://posts:4002/graphql?x=1") == "http://posts:4002/health"
    assert health_url("https://a.example/api/graphql") == "https://a.example/health"


async def test_ready_when_every_subgraph_is_healthy() -> None:
    calls: list[str] = []
    report = await Readiness(URLS, transport=_health({"accounts": 200, "posts": 200}, calls)).check()
    assert report.ready
    assert report.subgraphs == {"accounts": "ok", "posts": "ok"}
    assert sorted(calls) == ["http://accounts:4001/health", "http://posts:4002/health"]


async def test_one_unhealthy_subgraph_makes_the_replica_unready_and_says_which() -> None:
    calls: list[str] = []
    report = await Readiness(URLS, transport=_health({"accounts": 200, "posts": 503}, calls)).check()
    assert not report.ready
    assert report.subgraphs == {"accounts": "ok", "posts": "HTTP 503"}


async def test_an_unreachable_subgraph_is_reported_by_error_class() -> None:
    url = f"http://127.0.0.1:{_closed_port()}/graphql"
    report = await Readiness({"accounts": url}, timeout=0.5).check()
    assert not report.ready
    assert report.subgraphs == {"accounts": "ConnectError"}


async def test_concurrent_probes_share_one_check_and_reuse_it_within_ttl() -> None:
    calls: list[str] = []
    readiness = Readiness(URLS, ttl=60, transport=_health({"accounts": 200, "posts": 200}, calls))
    reports = await asyncio.gather(*(readiness.check() for _ in range(50)))
    assert all(r is reports[0] for r in reports)
    await readiness.check()
    assert len(calls) == 2, "one health request per subgraph for 51 probes"


async def test_an_expired_result_is_checked_again() -> None:
    calls: list[str] = []
    readiness = Readiness(URLS, ttl=0, transport=_health({"accounts": 200, "posts": 200}, calls))
    await readiness.check()
    await readiness.check()
    assert len(calls) == 4


async def test_ready_endpoint_is_503_before_the_supergraph_is_loaded(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, load=False)
    async with serve(app) as client:
        response = await client.get("/ready")
    assert response.status_code == 503
    assert response.json() == {"status": "starting", "subgraphs": {}}


async def test_ready_endpoint_checks_the_supergraphs_subgraphs(tmp_path: Path) -> None:
    path = tmp_path / "supergraph.graphql"
    path.write_text(API_SDL)
    app = create_app(
        Settings(supergraph_path=str(path), subgraph_urls={"posts": "http://posts:9/graphql"}),
        load_supergraph=lambda sdl: FakeSupergraph(
            build_schema(sdl),
            {
                "accounts": SubgraphInfoStub("accounts", "http://accounts:1/graphql"),
                "posts": SubgraphInfoStub("posts", "http://ignored/graphql"),
            },
        ),
        make_planner=lambda supergraph: FakePlanner(),
    )
    calls: list[str] = []
    app.state.readiness_transport = _health({"accounts": 200, "posts": 500}, calls)
    async with serve(app) as client:
        response = await client.get("/ready")
        assert (await client.get("/health")).status_code == 200, "/health stays the cheap check"
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "subgraphs": {"accounts": "ok", "posts": "HTTP 500"}}
    assert "http://posts:9/health" in calls, "the settings' URL override is what gets probed"
