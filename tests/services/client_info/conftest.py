"""Fixtures of the client_info tests: a migrated database per backend and the domain over it."""

from __future__ import annotations

import pytest

from services.client_info.app import MIGRATIONS_DIR
from services.client_info.domain import ClientDirectory
from services.common.db import Database
from services.common.migrations import upgrade
from tests.conftest import DatabaseFactory
from tests.services.client_info.client_info_harness import FIXED_NOW


@pytest.fixture
async def client_info_database(database_factory: DatabaseFactory) -> Database:
    """A migrated, empty client_info database (SQLite and PostgreSQL)."""
    database = await database_factory("client_info")
    await upgrade(database, MIGRATIONS_DIR)
    return database


@pytest.fixture
def directory(client_info_database: Database) -> ClientDirectory:
    """The client_info use cases over the test database, with the clock fixed at ``FIXED_NOW``."""
    return ClientDirectory(client_info_database, clock=lambda: FIXED_NOW)
