"""Apply a service's Alembic migrations programmatically, on PostgreSQL or SQLite.

Each service keeps its migrations in ``services/<name>/migrations`` (``env.py`` calls
``run_env(metadata)``). On PostgreSQL the service's schema is created first and the version
table lives in it, so services never see each other's tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command, context
from alembic.config import Config
from sqlalchemy import Connection, MetaData, text

from services.common.db import Database

__all__ = ["NO_MIGRATE_HELP", "alembic_config", "run_env", "upgrade"]

NO_MIGRATE_HELP = "do not apply migrations at start (a separate job does: insuretech migrate)"


def alembic_config(migrations_dir: Path) -> Config:
    """An in-memory Alembic config pointing at ``migrations_dir``."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    return config


async def upgrade(database: Database, migrations_dir: Path, revision: str = "head") -> None:
    """Bring ``database`` up to ``revision``.

    On SQLite, foreign keys are off while migrations run: a migration that must change a
    constraint rebuilds the table (Alembic's batch mode), and dropping the old table would
    otherwise cascade to the rows that reference it. Afterwards ``foreign_key_check`` must find
    nothing, as SQLite's own procedure for schema changes prescribes
    (https://www.sqlite.org/lang_altertable.html#otheralter).
    """
    config = alembic_config(migrations_dir)

    def _run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    if not database.is_postgres:
        async with database.engine.connect() as connection:
            await connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            try:
                await connection.run_sync(_run)
                await connection.commit()
                broken = (await connection.exec_driver_sql("PRAGMA foreign_key_check")).all()
                if broken:
                    raise RuntimeError(f"The migration left rows with broken foreign keys: {broken[:5]}.")
            finally:
                await connection.rollback()
                await connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        return
    async with database.engine.begin() as connection:
        # Two processes migrating one schema at once (replicas, a job beside a backend) take
        # turns: the second finds the schema at head and has nothing to do.
        await connection.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"migrate:{database.schema}"}
        )
        await connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{database.schema}"'))
        await connection.execute(text(f'SET search_path TO "{database.schema}"'))
        await connection.run_sync(_run)


def run_env(metadata: MetaData) -> None:
    """The body of every service's ``env.py``: run migrations on the connection handed in."""
    connection: Any = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError(
            "Run migrations through services.common.migrations.upgrade(), which passes a connection."
        )
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
