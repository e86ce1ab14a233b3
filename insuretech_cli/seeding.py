"""Migrate and seed every backend's database in-process (``insuretech seed`` / ``insuretech up``)."""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass

from insuretech_cli.topology import BACKENDS
from services.common.db import Database, database_url_for
from services.common.migrations import upgrade

__all__ = ["SeedReport", "migrate_all", "seed_all"]


@dataclass(frozen=True, slots=True)
class SeedReport:
    service: str
    rows: int
    seconds: float


async def migrate_all() -> None:
    """Apply every service's migrations to its database."""
    for backend in BACKENDS:
        app = importlib.import_module(f"{backend.module}.app")
        database = Database(database_url_for(backend.name), backend.name)
        try:
            await upgrade(database, app.MIGRATIONS_DIR)
        finally:
            await database.dispose()


async def seed_all(clients: int) -> list[SeedReport]:
    """Migrate, then seed each service that has no data yet (a service with data is left alone)."""
    await migrate_all()
    reports = []
    for backend in BACKENDS:
        seed_module = importlib.import_module(f"{backend.module}.seed")
        database = Database(database_url_for(backend.name), backend.name)
        started = time.perf_counter()
        try:
            rows = await seed_module.seed(database, clients=clients)
        finally:
            await database.dispose()
        reports.append(SeedReport(backend.name, int(rows), time.perf_counter() - started))
    return reports
