"""The whole system, as deployed, on PostgreSQL and Redis: backends, subgraphs, a partner gateway.

The three backends run wired to each other (``BackendsThread``) over fresh PostgreSQL schemas,
the three real subgraph apps and the gateway each run in a uvicorn thread, and the gateway loads
the committed supergraph (URLs overridden), the committed REST routes and a partner file with:

- ``acme-bank`` and ``travelshop``: B2B partners with the deploy manifests (read and write);
- ``sandbox``: a partner allowed free-form GraphQL (and so subscriptions), not first party;
- ``webapp``: the first-party web app (free-form, sees every partner's data).

Rate limits are shared through Redis under a prefix of the world's own. Tests talk to the
gateway over HTTP and WebSocket and inspect the databases through their own connections.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from prometheus_client import CollectorRegistry
from sqlalchemy import text

from gateway.config import Settings
from gateway.http import create_app
from gateway.persisted_queries import sha256_hex
from services.common.db import Database
from tests.conftest import POSTGRES_URL, REDIS_URL, drop_redis_keys
from tests.gateway.subscription_world import serving
from tests.subgraphs.subgraph_harness import BackendsThread, create_subgraph

__all__ = ["KEYS", "World", "persisted", "system_world"]

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"

KEYS = {
    "acme-bank": "system-acme-key",
    "travelshop": "system-travel-key",
    "sandbox": "system-sandbox-key",
    "webapp": "system-webapp-key",
}
"""API key of each partner of the world's partner file."""

_MANIFESTS = [
    DEPLOY / "manifests" / "applications-read.json",
    DEPLOY / "manifests" / "applications-write.json",
]


def persisted(name: str) -> str:
    """The manifest id of the deploy manifests' operation ``name`` (``GetApplication``…)."""
    for manifest in _MANIFESTS:
        for operation in json.loads(manifest.read_text(encoding="utf-8"))["operations"]:
            if operation["name"] == name:
                return str(operation["id"])
    raise KeyError(name)


def _partner_file(tmp: Path) -> Path:
    manifests = ", ".join(f'"{m}"' for m in _MANIFESTS)
    entries = []
    for partner, key in KEYS.items():
        entry = f"""
  - id: {partner}
    name: {partner}
    api_keys: ["sha256:{sha256_hex(key)}"]
    rate_limit: 1000/second
    max_in_flight: 16"""
        if partner in ("acme-bank", "travelshop"):
            entry += f"\n    manifests: [{manifests}]"
        else:
            entry += "\n    persisted_only: false"
        if partner == "webapp":
            entry += "\n    first_party: true"
        entries.append(entry)
    path = tmp / "partners.yaml"
    path.write_text("partners:" + "".join(entries) + "\n", encoding="utf-8")
    return path


@dataclass
class World:
    """A running system."""

    gateway: str
    """Base URL of the gateway (``http://127.0.0.1:<port>``)."""
    backends: BackendsThread
    schemas: dict[str, str]
    """The PostgreSQL schema of each service."""

    def client(self, partner: str) -> httpx.AsyncClient:
        """An HTTP client of the gateway that presents ``partner``'s API key."""
        return httpx.AsyncClient(base_url=self.gateway, headers={"x-api-key": KEYS[partner]}, timeout=30)

    @asynccontextmanager
    async def database(self, service: str) -> AsyncIterator[Database]:
        """A connection of the test's own to ``service``'s schema."""
        database = Database(POSTGRES_URL, self.schemas[service])
        try:
            yield database
        finally:
            await database.dispose()

    async def count(self, service: str, table: str, where: str = "", **params: Any) -> int:
        """Rows of ``table`` in ``service``'s schema (optionally ``WHERE where``)."""
        async with self.database(service) as database, database.reader() as session:
            sql = f"SELECT count(*) FROM {table}" + (f" WHERE {where}" if where else "")
            return int((await session.execute(text(sql), params)).scalar_one())

    def peer_calls(self, method: str) -> float:
        """Calls the backends made to each other's ``method`` so far (``grpc_client_handled_total``)."""
        assert self.backends.backends is not None
        return self.backends.backends.peer_calls(method)


async def _drop_schema(database: Database) -> None:
    async with database.engine.begin() as connection:
        await connection.execute(text(f'DROP SCHEMA IF EXISTS "{database.schema}" CASCADE'))


@contextmanager
def system_world(tmp: Path, clients: int = 12) -> Iterator[World]:
    """Start everything over ``clients`` seeded clients; stop it and drop what it created."""
    run = uuid.uuid4().hex[:10]
    schemas = {service: f"t_sys_{service}_{run}" for service in ("client_info", "applications", "core_app")}
    backends = BackendsThread(
        lambda service: Database(POSTGRES_URL, schemas[service]), clients, drop=_drop_schema
    )
    prefix = f"test-system-{run}"
    apps = {
        name: create_subgraph(name, address, CollectorRegistry())
        for name, address in backends.addresses.items()
    }
    try:
        with (
            serving(apps["client_info"], lifespan=True) as client_info,
            serving(apps["applications"], lifespan=True) as applications,
            serving(apps["core_app"], lifespan=True) as core_app,
        ):
            settings = Settings(
                supergraph_path=str(ROOT / "schema" / "supergraph.graphql"),
                subgraph_urls={
                    "client_info": client_info,
                    "applications": applications,
                    "core_app": core_app,
                },
                partners_path=str(_partner_file(tmp)),
                rest_path=str(DEPLOY / "rest.yaml"),
                redis_url=REDIS_URL,
                redis_prefix=prefix,
            )
            with serving(create_app(settings), lifespan=True) as gateway:
                yield World(gateway.removesuffix("/graphql"), backends, schemas)
    finally:
        backends.close()
        asyncio.run(drop_redis_keys(f"{prefix}*"))
