"""Run a real backend in-process and drive its subgraph over ASGI (shared by the subgraph tests).

``running_subgraph(database_factory, "client_info", clients=30)`` migrates and seeds a fresh
database (SQLite or PostgreSQL, by the ``database_factory`` parametrisation), serves the
backend with ``build_server(spec, "127.0.0.1:0")``, opens the subgraph app with its lifespan
pointed at that port, and yields a ``Harness`` with an ``httpx.AsyncClient`` and the app's
Prometheus registry (to count RPCs through ``grpc_client_handled_total``).

applications and core_app call each other and client_info, as in production: their subgraphs
run over ``running_backends``, all three backends wired together, with the backends' own calls
counted in ``Backends.peer_registry``.
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from prometheus_client import CollectorRegistry
from starlette.applications import Starlette

from grpc_clients.applications import ApplicationsClient
from grpc_clients.channels import ChannelSettings
from grpc_clients.client_info import ClientInfoClient
from grpc_clients.core_app import CoreAppClient
from grpc_clients.metrics import ClientMetrics
from services.applications.references import BackendReferences
from services.common.db import Database
from services.common.migrations import upgrade
from services.common.peers import open_peer
from services.common.relay_loop import RelaySettings
from services.common.server import build_server
from services.core_app.applications_peer import BackendApplications
from services.core_app.osago import OsagoConfig
from services.core_app.osago.config import InsurerProfile
from services.core_app.outbox_relay import ApplicationsRelay
from tests.conftest import free_port

DatabaseFactory = Callable[[str], Awaitable[Database]]
T = TypeVar("T")

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
    backends: Backends | None = None
    """All three backends, when the subgraph's backend needs its peers."""

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


QUICK_OSAGO = OsagoConfig(
    seed=7,
    default_profile=InsurerProfile(
        latency_min_s=0.01,
        latency_max_s=0.05,
        latency_mode_s=0.02,
        call_latency_s=0.001,
        failure_rate=0.0,
        decline_rate=0.0,
    ),
    poll_interval_s=0.01,
    watch_poll_s=0.05,
)
"""Simulated insurers that all answer with an offer within ~50 ms."""

FAST_RELAY = RelaySettings(poll_interval=0.02, initial_backoff=0.05, max_backoff=0.5)


async def _migrated(database_factory: DatabaseFactory, name: str, clients: int) -> Database:
    database = await database_factory(name)
    await upgrade(database, importlib.import_module(f"services.{name}.app").MIGRATIONS_DIR)
    if clients:
        await importlib.import_module(f"services.{name}.seed").seed(database, clients)
    return database


@asynccontextmanager
async def running_backend(
    database_factory: DatabaseFactory, name: str, clients: int
) -> AsyncIterator[tuple[str, Database]]:
    """The client_info backend, migrated and seeded, on an ephemeral port (it calls no peer).

    The applications and core_app backends call each other and client_info: run them with
    ``running_backends``.
    """
    assert name == "client_info", f"{name} needs its peers: use running_backends()"
    database = await _migrated(database_factory, name, clients)
    from services.client_info.app import build_spec

    server, port = await build_server(build_spec(database), "127.0.0.1:0")
    await server.start()
    try:
        yield f"127.0.0.1:{port}", database
    finally:
        await server.stop(None)


@dataclass
class Backends:
    """The three backends, wired to each other as in production, each on its own port."""

    addresses: dict[str, str]
    databases: dict[str, Database]
    peer_registry: CollectorRegistry
    """Counts the backends' own calls to each other (``grpc_client_handled_total``)."""
    relay: ApplicationsRelay
    """core_app's outbox relay to applications, running."""

    def peer_calls(self, method: str, code: str = "OK") -> float:
        """How many ``method`` calls the backends made to a peer (any service), with ``code``."""
        total = 0.0
        for metric in self.peer_registry.collect():
            for sample in metric.samples:
                labels = sample.labels
                if (
                    sample.name == "grpc_client_handled_total"
                    and labels["grpc_method"] == method
                    and labels["grpc_code"] == code
                ):
                    total += sample.value
        return total


@asynccontextmanager
async def running_backends(
    database_factory: DatabaseFactory, clients: int, *, relay_settings: RelaySettings = FAST_RELAY
) -> AsyncIterator[Backends]:
    """client_info, applications and core_app, migrated and seeded with ``clients`` clients.

    applications checks clients and products with client_info and core_app; core_app reads
    applications and delivers its outbox to them (the relay runs). The peers' calls are counted
    in ``Backends.peer_registry``.
    """
    from services.applications.app import build_spec as applications_spec
    from services.client_info.app import build_spec as client_info_spec
    from services.core_app.app import build_spec as core_app_spec

    names = ("client_info", "applications", "core_app")
    databases = {name: await _migrated(database_factory, name, clients) for name in names}
    addresses = {name: f"127.0.0.1:{free_port()}" for name in names}
    registry = CollectorRegistry()
    metrics = ClientMetrics.create(registry)
    peers = {
        "client_info": open_peer(ClientInfoClient, addresses["client_info"], metrics),
        "core_app": open_peer(CoreAppClient, addresses["core_app"], metrics),
        "applications": open_peer(ApplicationsClient, addresses["applications"], metrics),
    }
    references = BackendReferences(peers["client_info"], peers["core_app"])  # type: ignore[arg-type]
    directory = BackendApplications(peers["applications"])  # type: ignore[arg-type]
    relay = ApplicationsRelay(databases["core_app"], directory, relay_settings)
    specs = {
        "client_info": client_info_spec(databases["client_info"]),
        "applications": applications_spec(databases["applications"], references=references),
        "core_app": core_app_spec(
            databases["core_app"], config=QUICK_OSAGO, applications=directory, relay=relay
        ),
    }
    servers = []
    try:
        for name in names:
            server, _ = await build_server(specs[name], addresses[name])
            await server.start()
            servers.append(server)
        relay.start()
        yield Backends(addresses, databases, registry, relay)
    finally:
        await relay.stop()
        for server in servers:
            await server.stop(None)
        for spec in specs.values():
            if spec.on_stop is not None:
                await spec.on_stop()
        for peer in peers.values():
            await peer.channel.close()
        for database in databases.values():
            await database.dispose()


def create_subgraph(name: str, address: str, registry: CollectorRegistry) -> Starlette:
    """The subgraph app of ``name`` pointed at ``address``."""
    module = importlib.import_module(f"subgraphs.{name}.app")
    app: Starlette = module.create_app(ChannelSettings(address=address), registry)
    return app


@asynccontextmanager
async def serving(
    name: str,
    app: Starlette,
    registry: CollectorRegistry,
    database: Database,
    backends: Backends | None = None,
) -> AsyncIterator[Harness]:
    """Run ``app``'s lifespan and yield a harness around an ASGI client."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://subgraph") as http:
            yield Harness(name, http, registry, database, app, backends)


@asynccontextmanager
async def running_subgraph(
    database_factory: DatabaseFactory, name: str, *, clients: int = 30
) -> AsyncIterator[Harness]:
    """A subgraph over its real, seeded backend (with that backend's peers running too)."""
    registry = CollectorRegistry()
    if name == "client_info":
        async with (
            running_backend(database_factory, name, clients) as (address, database),
            serving(name, create_subgraph(name, address, registry), registry, database) as harness,
        ):
            yield harness
        return
    async with running_backends(database_factory, clients) as backends:
        app = create_subgraph(name, backends.addresses[name], registry)
        async with serving(name, app, registry, backends.databases[name], backends) as harness:
            yield harness


async def count_rows(database: Database, table: str) -> int:
    """Rows in ``table`` of a backend's database (to prove a failed write changed nothing)."""
    from sqlalchemy import text

    async with database.reader() as session:
        return int((await session.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())


async def new_osago_application(
    applications_address: str, client_id: str, *, partner_id: str | None = None, submit: bool = True
) -> str:
    """Create an OSAGO application through the applications backend (as ``partner_id``); its id."""
    from grpc_clients.caller import Caller
    from schema.protos import applications_pb2 as pb
    from services.common.catalog import product_seed_id

    client = open_peer(ApplicationsClient, applications_address).for_caller(Caller(partner_id))
    try:
        response = await client.create_application(
            pb.ApplicationInput(
                idempotency_key=f"osago-{uuid.uuid4().hex}",
                client_id=client_id,
                product_id=product_seed_id("OSAGO-STD"),
                insured_object=pb.InsuredObject(kind="vehicle", description="Lada Vesta"),
                sum_insured_kopecks=40_000_000,
                term_months=12,
                vehicle=pb.VehicleInfo(vin="XTA21129012345678", year=2020, engine_power_hp=106),
                submit=submit,
            )
        )
    finally:
        await client.channel.close()
    return response.application.id


class BackendsThread:
    """The three backends on their own event loop in a thread, for tests whose servers run elsewhere.

    ``TestClient`` and uvicorn threads run apps on their own loops, so the backends cannot share
    the test's loop; they run here until ``close()``. ``make_database(service)`` gives each its
    database (SQLite files, or fresh PostgreSQL schemas that ``drop`` removes afterwards).
    """

    def __init__(
        self,
        make_database: Callable[[str], Database],
        clients: int,
        *,
        drop: Callable[[Database], Awaitable[None]] | None = None,
    ) -> None:
        import asyncio
        import threading

        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self.addresses: dict[str, str] = {}
        self.backends: Backends | None = None
        self._error: BaseException | None = None

        async def main() -> None:
            self._stop = asyncio.Event()
            made: list[Database] = []

            async def factory(service: str) -> Database:
                made.append(make_database(service))
                return made[-1]

            try:
                async with running_backends(factory, clients) as backends:
                    self.backends = backends
                    self.addresses = backends.addresses
                    self._ready.set()
                    await self._stop.wait()
            except BaseException as exc:
                self._error = exc
                self._ready.set()
                raise
            finally:
                for database in made:
                    if drop is not None:
                        await drop(database)
                    await database.dispose()

        self._thread = threading.Thread(target=self._loop.run_until_complete, args=(main(),), daemon=True)
        self._thread.start()
        self._ready.wait(timeout=120)
        if self._error is not None:
            raise RuntimeError("The backends did not start.") from self._error

    @classmethod
    def on_sqlite(cls, directory: str, clients: int) -> BackendsThread:
        """Backends over SQLite files in ``directory``."""
        return cls(
            lambda service: Database(f"sqlite+aiosqlite:///{directory}/{service}.db", service), clients
        )

    def call(self, make: Callable[[Backends], Awaitable[T]], timeout: float = 60) -> T:
        """Run ``make(backends)`` on the backends' loop and return its result."""
        import asyncio

        assert self.backends is not None
        return asyncio.run_coroutine_threadsafe(_awaited(make(self.backends)), self._loop).result(timeout)

    def new_osago_application(self, client_id: str, *, partner_id: str | None = None) -> str:
        """Create a submitted OSAGO application of ``client_id`` (as ``partner_id``); its id."""
        address = self.addresses["applications"]
        return self.call(lambda _: new_osago_application(address, client_id, partner_id=partner_id))

    def close(self) -> None:
        """Stop the servers and the thread."""
        stop = self._stop
        if stop is not None:
            self._loop.call_soon_threadsafe(stop.set)
        self._thread.join(timeout=60)
        self._loop.close()


async def _awaited(awaitable: Awaitable[T]) -> T:
    return await awaitable
