"""The migration matches the models, and runs down and up again, on both backends."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import IntegrityError

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


async def test_rows_from_before_owners_become_first_party(database_factory: DatabaseFactory) -> None:
    database = await database_factory("applications")
    await upgrade(database, MIGRATIONS_DIR, "0001")
    async with database.transaction() as session:
        for index in range(2):
            await session.execute(
                text(
                    """INSERT INTO applications (id, number, client_id, product_id, status, version,
                    applied_at, updated_at, insured_kind, insured_description, sum_insured_kopecks,
                    term_months, comment, cancellation_reason, idempotency_key, request_fingerprint)
                    VALUES (:id, :number, :client, :product, 'DRAFT', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'person', '', 100,
                    12, '', '', :key, 'f')"""
                ),
                {
                    "id": f"00000000-0000-4000-8000-00000000000{index}",
                    "number": f"APP-2025-00000{index}",
                    "client": "11111111-1111-4111-8111-111111111111",
                    "product": "22222222-2222-4222-8222-222222222222",
                    "key": f"old-key-000{index}",
                },
            )
            await session.execute(
                text(
                    "INSERT INTO status_history (application_id, position, status, at, reason) "
                    "VALUES (:id, 1, 'DRAFT', CURRENT_TIMESTAMP, '')"
                ),
                {"id": f"00000000-0000-4000-8000-00000000000{index}"},
            )
    await upgrade(database, MIGRATIONS_DIR)
    async with database.reader() as session:
        owners = [row[0] for row in await session.execute(text("SELECT owner FROM applications"))]
        history = await session.scalar(text("SELECT count(*) FROM status_history"))
    assert owners == ["first-party", "first-party"]
    assert history == 2  # rebuilding the table on SQLite kept the rows that point at it
    copy = text(
        """INSERT INTO applications (id, number, owner, client_id, product_id, status, version, applied_at,
        updated_at, insured_kind, insured_description, sum_insured_kopecks, term_months, comment,
        cancellation_reason, idempotency_key, request_fingerprint)
        SELECT :id, :number, :owner, client_id, product_id, status, version, applied_at, updated_at,
        insured_kind, insured_description, sum_insured_kopecks, term_months, comment, cancellation_reason,
        idempotency_key, request_fingerprint FROM applications WHERE number = 'APP-2025-000000'"""
    )
    async with database.transaction() as session:  # a key is now unique per owner…
        await session.execute(copy, {"id": "x1", "number": "x1", "owner": "partner:acme-bank"})
    with pytest.raises(IntegrityError):  # …and still unique within one
        async with database.transaction() as session:
            await session.execute(copy, {"id": "x2", "number": "x2", "owner": "first-party"})
