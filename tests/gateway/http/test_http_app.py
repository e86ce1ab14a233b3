from __future__ import annotations

import gc
import socket
from pathlib import Path

import pytest
from graphql import build_schema
from starlette.applications import Starlette

from gateway.config import Settings
from gateway.execution import Http11Transport, HttpxTransport
from gateway.http import app_from_env, create_app
from gateway.http.app import open_transport, subgraph_urls
from tests.gateway.http.http_world import API_SDL, FakePlanner, FakeSupergraph, SubgraphInfoStub, serve


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_subgraph_urls_come_from_the_supergraph_unless_overridden() -> None:
    supergraph = FakeSupergraph(
        build_schema(API_SDL),
        {
            "accounts": SubgraphInfoStub("accounts", "http://a/graphql"),
            "posts": SubgraphInfoStub("posts", "http://p"),
        },
    )
    settings = Settings(subgraph_urls={"posts": "http://override/graphql"})
    assert subgraph_urls(supergraph, settings) == {
        "accounts": "http://a/graphql",
        "posts": "http://override/graphql",
    }


async def test_lifespan_opens_a_pooled_http_transport(tmp_path: Path) -> None:
    path = tmp_path / "supergraph.graphql"
    path.write_text(API_SDL)
    url = f"http://127.0.0.1:{_closed_port()}/graphql"
    app = create_app(
        Settings(supergraph_path=str(path), subgraph_timeout=2),
        load_supergraph=lambda sdl: FakeSupergraph(
            build_schema(sdl), {"accounts": SubgraphInfoStub("accounts", url)}
        ),
        make_planner=lambda supergraph: FakePlanner(),
    )
    async with serve(app) as client:
        response = await client.post("/graphql", json={"query": "{ hello }"})
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"hello": None}
    assert body["errors"][0]["extensions"]["code"] == "SUBGRAPH_UNAVAILABLE"
    assert app.state.gateway is None


async def test_a_missing_supergraph_file_fails_startup(tmp_path: Path) -> None:
    app = create_app(Settings(supergraph_path=str(tmp_path / "missing.graphql")))
    with pytest.raises(FileNotFoundError):
        async with serve(app):
            pass


def test_app_from_env_reads_gateway_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_MAX_DEPTH", "9")
    thresholds = gc.get_threshold()
    try:
        app = app_from_env()
        assert gc.get_threshold()[0] == 20_000
    finally:
        gc.set_threshold(*thresholds)
    assert isinstance(app, Starlette)
    assert app.state.settings.max_depth == 9


async def test_open_transport_follows_the_setting() -> None:
    native = open_transport({"a": "http://a"}, Settings())
    httpx_based = open_transport({"a": "http://a"}, Settings(subgraph_client="httpx"))
    assert isinstance(native, Http11Transport)
    assert isinstance(httpx_based, HttpxTransport)
    await native.aclose()
    await httpx_based.aclose()
