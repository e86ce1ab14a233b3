"""SDL files, scalars, money, health without a backend, and the public API of the packages."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import httpx
import pytest
from prometheus_client import CollectorRegistry

import grpc_clients
import resolvers
import subgraphs
from grpc_clients.channels import ChannelSettings
from grpc_clients.errors import InvalidArgumentError
from subgraphs.common.scalars import parse_date
from subgraphs.common.types import Money
from subgraphs.export_sdl import SDL_DIR, export_sdl, main, stale_sdl_files, subgraph_schemas


def test_sdl_files_are_current() -> None:
    stale = stale_sdl_files()
    assert not stale, f"Stale SDL: {stale}; run `python -m subgraphs.export_sdl`."
    assert sorted(p.name for p in SDL_DIR.glob("*.graphql")) == [
        "applications.graphql",
        "client_info.graphql",
        "core_app.graphql",
    ]


def test_export_and_check(tmp_path: Path) -> None:
    assert len(stale_sdl_files(tmp_path)) == 3
    written = export_sdl(tmp_path)
    assert {p.name for p in written} == {"client_info.graphql", "applications.graphql", "core_app.graphql"}
    assert stale_sdl_files(tmp_path) == []
    (tmp_path / "core_app.graphql").write_text("type Query { old: Int }\n")
    assert stale_sdl_files(tmp_path) == [tmp_path / "core_app.graphql"]
    assert main(["--check"]) == 0


def test_every_schema_is_federation_2() -> None:
    for name, schema in subgraph_schemas().items():
        assert '@link(url: "https://specs.apollo.dev/federation/v2.7"' in schema.as_str(), name


def test_parse_date() -> None:
    assert str(parse_date("2024-02-29")) == "2024-02-29"
    for bad in ("2025-02-29", "2025-2-1", "20250201", "", 20250201):
        with pytest.raises(InvalidArgumentError):
            parse_date(bad)


def test_money() -> None:
    money = Money.from_kopecks(300_000_000_05)
    assert (money.kopecks, money.amount, money.currency) == (300_000_000_05, "300000000.05", "RUB")
    assert money.formatted == "300\u00a0000\u00a0000,05\u00a0₽"
    assert Money.from_kopecks(-150).amount == "-1.50"


@pytest.mark.parametrize("name", ["client_info", "applications", "core_app"])
async def test_health_is_503_when_the_backend_is_down(name: str) -> None:
    module = importlib.import_module(f"subgraphs.{name}.app")
    app = module.create_app(ChannelSettings(address="127.0.0.1:1", timeout=0.5), CollectorRegistry())
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://s") as http,
    ):
        health = await http.get("/health")
        assert health.status_code == 503
        assert health.json()["status"] == "NOT_SERVING"
        # Liveness does not follow the backend: a backend outage must not restart subgraphs.
        alive = await http.get("/healthz")
        assert (alive.status_code, alive.json()) == (200, {"status": "alive", "subgraph": name})
        body = (await http.post("/graphql", json={"query": "{ _service { sdl } }"})).json()
        assert "errors" not in body  # the SDL needs no backend


async def test_graphql_without_lifespan_is_a_clear_error() -> None:
    from subgraphs.client_info.app import create_app

    app = create_app(ChannelSettings(address="127.0.0.1:1"), CollectorRegistry())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://s") as http:
        with pytest.raises(RuntimeError, match="lifespan"):
            await http.post("/graphql", json={"query": "{ _service { sdl } }"})


def _isort_key(name: str) -> tuple[int, str]:
    # ruff's RUF022 order: CONSTANTS, then Classes, then functions.
    kind = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return kind, name


def _modules(package: object) -> list[str]:
    path = package.__path__  # type: ignore[attr-defined]
    prefix = package.__name__ + "."  # type: ignore[attr-defined]
    return [info.name for info in pkgutil.walk_packages(path, prefix) if not info.name.endswith("__main__")]


@pytest.mark.parametrize("package", [grpc_clients, resolvers, subgraphs])
def test_all_is_sorted_and_complete(package: object) -> None:
    for name in [package.__name__, *_modules(package)]:  # type: ignore[attr-defined]
        module = importlib.import_module(name)
        exported = getattr(module, "__all__", None)
        if exported is None:
            continue
        assert list(exported) == sorted(exported, key=_isort_key), f"{name}.__all__ is not sorted"
        missing = [item for item in exported if not hasattr(module, item)]
        assert not missing, f"{name}.__all__ names missing objects: {missing}"


async def test_websocket_operations_get_fresh_loaders() -> None:
    from starlette.websockets import WebSocket

    from resolvers.context import RequestContext
    from subgraphs.client_info.schema import schema

    made: list[object] = []

    def make() -> object:
        made.append(object())
        return made[-1]

    async def never() -> dict[str, object]:
        raise AssertionError("not used")

    async def ignore(_message: object) -> None:
        raise AssertionError("not used")

    socket = WebSocket({"type": "websocket", "path": "/graphql", "headers": []}, never, ignore)
    context = RequestContext(loaders=make(), request=socket, make_loaders=make)
    for expected in (2, 3):
        result = await schema.execute("{ _service { sdl } }", context_value=context)
        assert result.errors is None
        assert len(made) == expected
        assert context.loaders is made[-1]
    http_context = RequestContext(loaders=make(), make_loaders=make)
    await schema.execute("{ _service { sdl } }", context_value=http_context)
    assert http_context.loaders is made[-1]  # HTTP requests keep the loaders made for them
    assert len(made) == 4


def test_cli_help(capsys: pytest.CaptureFixture[str]) -> None:
    from subgraphs.client_info.app import DEFAULT_PORT, create_app
    from subgraphs.common.cli import run_subgraph

    with pytest.raises(SystemExit) as caught:
        run_subgraph("client_info", DEFAULT_PORT, create_app, ["--help"])
    assert caught.value.code == 0
    assert "--port" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["client_info", "applications", "core_app"])
async def test_browsers_get_the_offline_explorer_not_a_cdn_page(
    name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from subgraphs.common.explorer import subgraph_explorer_html

    (tmp_path / "explorer.html").write_text("<!doctype html><title>offline GraphiQL</title>")
    monkeypatch.setenv("INSURETECH_WEB_DIST", str(tmp_path))
    subgraph_explorer_html.cache_clear()
    module = importlib.import_module(f"subgraphs.{name}.app")
    app = module.create_app(ChannelSettings(address="127.0.0.1:1"), CollectorRegistry())
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://s") as http,
        ):
            page = await http.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == 200
        assert page.text == "<!doctype html><title>offline GraphiQL</title>"
        monkeypatch.setenv("INSURETECH_WEB_DIST", str(tmp_path / "missing"))
        subgraph_explorer_html.cache_clear()
        assert "The GraphiQL explorer is not built" in subgraph_explorer_html()
    finally:
        subgraph_explorer_html.cache_clear()
