"""The migration matches the models, and runs down and up again, on both backends."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Connection, inspect, text

from services.applications.app import MIGRATIONS_DIR
from services.applications.models import metadata
from services.common.db import Database
from services.common.migrations import alembic_config, upgrade
from tests.services.applications.applications_harness import DatabaseFactory


def _tables_and_columns(connection: Connection) -> dict[str, set[str]]:
    inspector = inspect(connection)
    return {name: {c["name"] for c in inspector.get_columns(name)} for name in inspector.get_table_names()}


async def _downgrade_to_base(database: Database) -> None:
    config = alembic_config(MIGRATIONS_DIR)

    def run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")

    async with database.engine.begin() as connection:
        if database.is_postgres:
            await connection.execute(text(f'SET search_path TO "{database.schema}"'))
        await connection.run_sync(run)


async def _tables(database: Database) -> dict[str, set[str]]:
    async with database.engine.connect() as connection:
        return await connection.run_sync(_tables_and_columns)


async def test_schema_matches_models_and_round_trips(database_factory: DatabaseFactory) -> None:
    database = await database_factory("applications")
    await upgrade(database, MIGRATIONS_DIR)
    tables = await _tables(database)
    for table in metadata.sorted_tables:
        assert {c.name for c in table.columns} <= tables[table.name], table.name
    if database.is_postgres:
        assert "search_vector" in tables["applications"]
    else:
        assert "applications_fts" in tables
    await _downgrade_to_base(database)
    assert set(await _tables(database)) <= {"alembic_version"}
    await upgrade(database, MIGRATIONS_DIR)
    assert await _tables(database) == tables
