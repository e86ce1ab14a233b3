"""Fixtures of the applications tests: a migrated database per backend and the use cases over it."""

from __future__ import annotations

import pytest

from services.applications.app import MIGRATIONS_DIR
from services.applications.operations import Applications
from services.common.db import Database
from services.common.migrations import upgrade
from tests.services.applications.applications_harness import DatabaseFactory, KnownReferences, ManualClock


@pytest.fixture
async def applications_database(database_factory: DatabaseFactory) -> Database:
    """A migrated, empty applications database (SQLite and PostgreSQL)."""
    database = await database_factory("applications")
    await upgrade(database, MIGRATIONS_DIR)
    return database


@pytest.fixture
def clock() -> ManualClock:
    """The clock the use cases read; starts at 2026-03-01 12:00 UTC."""
    return ManualClock()


@pytest.fixture
def references() -> KnownReferences:
    """What client_info and core_app answer: ``CLIENT_ID`` and ``PRODUCT_ID`` exist, no policies."""
    return KnownReferences()


@pytest.fixture
def applications(
    applications_database: Database, clock: ManualClock, references: KnownReferences
) -> Applications:
    """The use cases over the test database."""
    return Applications(applications_database, references=references, clock=clock)
