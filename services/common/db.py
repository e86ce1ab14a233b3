"""Database engines for the backend services: PostgreSQL (asyncpg) or an embedded SQLite file.

Every service owns its data. On PostgreSQL each service lives in its own schema (selected with
``search_path``, so models carry no schema name); on SQLite each service has its own file.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

__all__ = ["DEFAULT_DATA_DIR", "Database", "database_url_for", "is_postgres"]

DEFAULT_DATA_DIR = Path(os.environ.get("INSURETECH_DATA_DIR", "var"))


def database_url_for(service: str) -> str:
    """Return the database URL for ``service``.

    ``<SERVICE>_DATABASE_URL`` wins over ``DATABASE_URL``; without either, an SQLite file
    ``var/<service>.db`` is used. ``postgresql://`` URLs are switched to the asyncpg driver.
    """
    url = os.environ.get(f"{service.upper()}_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if not url:
        DEFAULT_DATA_DIR.mkdir(parents=True, exist_ok=True)
        return f"sqlite+aiosqlite:///{DEFAULT_DATA_DIR / f'{service}.db'}"
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+asyncpg://" + url.split("://", 1)[1]
    return url


def is_postgres(url: str) -> bool:
    """Whether ``url`` points at PostgreSQL."""
    return make_url(url).get_backend_name() == "postgresql"


def _enable_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class Database:
    """An async engine plus a session factory for one service.

    Args:
        url: SQLAlchemy URL (``postgresql+asyncpg://`` or ``sqlite+aiosqlite://``).
        schema: the PostgreSQL schema the service owns; ignored on SQLite.
    """

    def __init__(self, url: str, schema: str) -> None:
        self.url = url
        self.schema = schema
        self.is_postgres = is_postgres(url)
        if self.is_postgres:
            self.engine: AsyncEngine = create_async_engine(
                url,
                pool_size=10,
                max_overflow=10,
                pool_pre_ping=True,
                connect_args={"server_settings": {"search_path": schema}},
            )
        else:
            self.engine = create_async_engine(url, connect_args={"timeout": 30})
            event.listen(self.engine.sync_engine, "connect", _enable_sqlite_pragmas)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction: committed on success, rolled back on any error."""
        async with self.sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def reader(self) -> AsyncIterator[AsyncSession]:
        """A session for reads only."""
        async with self.sessions() as session:
            yield session

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()
