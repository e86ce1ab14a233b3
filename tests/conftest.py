"""Fixtures shared by the whole suite: real databases (SQLite file and PostgreSQL schema)."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from services.common.db import Database

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
RABBITMQ_URL = os.environ.get("TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/")

DatabaseFactory = Callable[[str], Awaitable[Database]]


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on right now (for a server to start on)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def require_service(name: str, host: str, port: int) -> None:
    """Skip when ``name`` is down, except under CI, where a missing service fails the test."""
    if _reachable(host, port):
        return
    message = f"{name} is not reachable at {host}:{port}."
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message + " CI must run against the real server; start it (see .ci/run).")
    pytest.skip(message)


async def drop_redis_keys(pattern: str) -> None:
    """Delete the keys of the shared Redis that match ``pattern`` (a test's own prefix; never FLUSHDB)."""
    from redis.asyncio import Redis

    redis = Redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in redis.scan_iter(match=pattern)]
        if keys:
            await redis.delete(*keys)
    finally:
        await redis.aclose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_backend(request: pytest.FixtureRequest) -> str:
    """Run the test once on SQLite and once on PostgreSQL."""
    backend = str(request.param)
    if backend == "postgres":
        require_service("PostgreSQL", "127.0.0.1", 5432)
    return backend


@pytest.fixture
async def database_factory(db_backend: str, tmp_path: Path) -> AsyncIterator[DatabaseFactory]:
    """Build empty ``Database`` objects for a service on the current backend.

    On PostgreSQL each one gets a fresh schema (dropped afterwards); on SQLite a fresh file.
    Migrations are the caller's job (each service applies its own).
    """
    created: list[Database] = []

    async def make(service: str) -> Database:
        if db_backend == "postgres":
            schema = f"t_{service}_{uuid.uuid4().hex[:10]}"
            database = Database(POSTGRES_URL, schema)
        else:
            database = Database(f"sqlite+aiosqlite:///{tmp_path / f'{service}-{len(created)}.db'}", service)
        created.append(database)
        return database

    yield make
    for database in created:
        if database.is_postgres:
            async with database.engine.begin() as connection:
                await connection.execute(text(f'DROP SCHEMA IF EXISTS "{database.schema}" CASCADE'))
        await database.dispose()
