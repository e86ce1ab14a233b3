"""Run a real backend in-process and drive its subgraph over ASGI (shared by the subgraph tests).

``running_subgraph(database_factory, "client_info", clients=30)`` migrates and seeds a fresh
database (SQLite or PostgreSQL, by the ``database_factory`` parametrisation), serves the
backend with ``build_server(spec, "127.0.0.1:0")``, opens the subgraph app with its lifespan
pointed at that port, and yields a ``Harness`` with an ``httpx.AsyncClient`` and the app's
Prometheus registry (to count RPCs through ``grpc_client_handled_total``).
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from prometheus_client import CollectorRegistry
from starlette.applications import Starlette

from grpc_clients.channels import ChannelSettings
from services.common.db import Database
from services.common.migrations import upgrade
from services.common.server import ServiceSpec, build_server

DatabaseFactory = Callable[[str], Awaitable[Database]]

SERVICE_NAMES = {
    "client_info": "insuretech.client_info.v1.ClientInfoService",
    "applications": "insuretech.applications.v1.ApplicationsService",
    "core_app": "insuretech.core_app.v1.CoreAppService",
}


@dataclass
class Harness:
    """A subgraph under test, its backend's database and its metrics."""

    name: str
    http: httpx.AsyncClient
    registry: CollectorRegistry
    database: Database
    app: Starlette

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """POST a GraphQL operation; returns the decoded JSON body (status 200 expected)."""
        response = await self.http.post("/graphql", json={"query": query, "variables": variables or {}})
        body: dict[str, Any] = response.json()
        assert response.status_code == 200, body
        return body

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The ``data`` of an operation that must succeed without errors."""
        body = await self.post(query, variables)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def error(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The single error of an operation that must fail; checks it leaks nothing internal."""
        body = await self.post(query, variables)
        assert len(body.get("errors", [])) == 1, body
        error: dict[str, Any] = body["errors"][0]
        assert "Traceback" not in str(error)
        assert "grpc" not in error["message"].lower()
        assert "code" in error["extensions"], error
        return error

    def handled(self, method: str, code: str = "OK") -> float:
        """How many ``method`` RPCs this subgraph has completed with ``code``."""
        labels = {"grpc_service": SERVICE_NAMES[self.name], "grpc_method": method, "grpc_code": code}
        return self.registry.get_sample_value("grpc_client_handled_total", labels) or 0.0

    def rpc_counts(self) -> dict[str, float]:
        """Completed RPCs by method name (all codes)."""
        counts: dict[str, float] = {}
        for metric in self.registry.collect():
            if metric.name != "grpc_client_handled":
                continue
            for sample in metric.samples:
                if sample.name == "grpc_client_handled_total":
                    method = sample.labels["grpc_method"]
                    counts[method] = counts.get(method, 0.0) + sample.value
        return counts


def _spec(name: str, database: Database) -> ServiceSpec:
    module = importlib.import_module(f"services.{name}.app")
    if name == "core_app":
        from services.core_app.osago import OsagoConfig
        from services.core_app.osago.config import InsurerProfile

        quick = InsurerProfile(
            latency_min_s=0.01,
            latency_max_s=0.05,
            latency_mode_s=0.02,
            call_latency_s=0.001,
            failure_rate=0.0,
            decline_rate=0.0,
        )
        config = OsagoConfig(seed=7, default_profile=quick, poll_interval_s=0.01, watch_poll_s=0.05)
        spec: ServiceSpec = module.build_spec(database, config=config)
        return spec
    built: ServiceSpec = module.build_spec(database)
    return built


@asynccontextmanager
async def running_backend(
    database_factory: DatabaseFactory, name: str, clients: int
) -> AsyncIterator[tuple[str, Database]]:
    """A migrated, seeded backend served on an ephemeral port; yields its address and database."""
    database = await database_factory(name)
    await upgrade(database, importlib.import_module(f"services.{name}.app").MIGRATIONS_DIR)
    if clients:
        await importlib.import_module(f"services.{name}.seed").seed(database, clients)
    server, port = await build_server(_spec(name, database), "127.0.0.1:0")
    await server.start()
    try:
        yield f"127.0.0.1:{port}", database
    finally:
        await server.stop(None)


def create_subgraph(name: str, address: str, registry: CollectorRegistry) -> Starlette:
    """The subgraph app of ``name`` pointed at ``address``."""
    module = importlib.import_module(f"subgraphs.{name}.app")
    app: Starlette = module.create_app(ChannelSettings(address=address), registry)
    return app


@asynccontextmanager
async def serving(
    name: str, app: Starlette, registry: CollectorRegistry, database: Database
) -> AsyncIterator[Harness]:
    """Run ``app``'s lifespan and yield a harness around an ASGI client."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://subgraph") as http:
            yield Harness(name, http, registry, database, app)


@asynccontextmanager
async def running_subgraph(
    database_factory: DatabaseFactory, name: str, *, clients: int = 30
) -> AsyncIterator[Harness]:
    """A subgraph over its real, seeded backend."""
    async with running_backend(database_factory, name, clients) as (address, database):
        registry = CollectorRegistry()
        async with serving(name, create_subgraph(name, address, registry), registry, database) as harness:
            yield harness


async def count_rows(database: Database, table: str) -> int:
    """Rows in ``table`` of a backend's database (to prove a failed write changed nothing)."""
    from sqlalchemy import text

    async with database.reader() as session:
        return int((await session.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())


class BackendThread:
    """A backend on its own event loop in a thread, for synchronous tests (Starlette TestClient).

    ``TestClient`` runs the app on its own loop, so the backend cannot share the test's loop;
    it runs here over a SQLite file instead, until ``close()``.
    """

    def __init__(self, name: str, sqlite_path: str, clients: int) -> None:
        import asyncio
        import threading

        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self.address = ""
        self._error: BaseException | None = None

        async def main() -> None:
            self._stop = asyncio.Event()

            async def factory(service: str) -> Database:
                return Database(f"sqlite+aiosqlite:///{sqlite_path}", service)

            try:
                async with running_backend(factory, name, clients) as (address, database):
                    self.address = address
                    self._ready.set()
                    await self._stop.wait()
                    await database.dispose()
            except BaseException as exc:
                self._error = exc
                self._ready.set()
                raise

        self._thread = threading.Thread(target=self._loop.run_until_complete, args=(main(),), daemon=True)
        self._thread.start()
        self._ready.wait(timeout=60)
        if self._error is not None:
            raise RuntimeError(f"The {name!r} backend did not start.") from self._error

    def close(self) -> None:
        """Stop the server and the thread."""
        stop = self._stop
        if stop is not None:
            self._loop.call_soon_threadsafe(stop.set)
        self._thread.join(timeout=30)
        self._loop.close()
