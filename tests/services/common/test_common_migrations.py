"""Migrations on PostgreSQL take a per-schema advisory lock: replicas and a job may start together."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from services.client_info.app import MIGRATIONS_DIR
from services.common.db import Database
from services.common.migrations import upgrade
from tests.conftest import DatabaseFactory


@pytest.mark.parametrize("db_backend", ["postgres"], indirect=True)
async def test_concurrent_upgrades_of_one_schema_take_turns(database_factory: DatabaseFactory) -> None:
    first = await database_factory("client_info")
    # Four processes (say three replicas and the migrations job) migrate one schema at once.
    others = [Database(first.url, first.schema) for _ in range(3)]
    try:
        await asyncio.gather(*(upgrade(database, MIGRATIONS_DIR) for database in (first, *others)))
        async with first.engine.connect() as connection:
            result = await connection.execute(
                text(f'SELECT version_num FROM "{first.schema}".alembic_version')
            )
            versions = result.scalars().all()
        assert len(versions) == 1, "one head, applied once"
    finally:
        for database in others:
            await database.dispose()
