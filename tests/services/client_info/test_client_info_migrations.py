from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection

from services.client_info.models import metadata
from services.common.db import Database


async def test_migrations_match_the_models(client_info_database: Database) -> None:
    def diff(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return [change for change in compare_metadata(context, metadata) if change[0] != "remove_table"]

    async with client_info_database.engine.connect() as connection:
        assert await connection.run_sync(diff) == []
