"""Fixtures of the core_app tests: a migrated (and seeded) database per backend, a Redis URL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import redis.asyncio as redis_asyncio

from services.common.db import Database
from services.common.migrations import upgrade
from services.core_app.app import MIGRATIONS_DIR
from services.core_app.seed import seed
from tests.conftest import REDIS_URL, DatabaseFactory, require_service


@pytest.fixture
async def core_app_database(database_factory: DatabaseFactory) -> Database:
    """A migrated, empty core_app database (SQLite and PostgreSQL)."""
    database = await database_factory("core_app")
    await upgrade(database, MIGRATIONS_DIR)
    return database


@pytest.fixture
async def catalog_database(core_app_database: Database) -> Database:
    """The core_app database seeded with the catalog and tariffs, and policies of 20 clients."""
    await seed(core_app_database, clients=20)
    return core_app_database


@pytest.fixture
async def redis_client() -> AsyncIterator[redis_asyncio.Redis]:
    """A client of the real Redis (skipped outside CI when it is down)."""
    require_service("Redis", "127.0.0.1", 6379)
    client = redis_asyncio.Redis.from_url(REDIS_URL)
    yield client
    await client.aclose()
