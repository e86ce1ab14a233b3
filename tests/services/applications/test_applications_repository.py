"""Repository functions used outside the use cases: the outbox relay API and number allocation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from grpc_clients.caller import FIRST_PARTY
from services.applications import repository
from services.applications.operations import Applications
from services.common.db import Database
from tests.services.applications.applications_harness import make_input


async def test_fetch_unpublished_in_order_then_mark_published(
    applications: Applications, applications_database: Database
) -> None:
    first = (await applications.create(make_input(), caller=FIRST_PARTY)).application
    second = (await applications.create(make_input(), caller=FIRST_PARTY)).application
    await applications.transition(first.id, "SUBMITTED", "", caller=FIRST_PARTY)
    async with applications_database.reader() as session:
        events = await repository.fetch_unpublished(session, 10)
    assert [(e.aggregate_id, e.sequence) for e in events] == [(first.id, 1), (second.id, 1), (first.id, 2)]
    assert all(e.aggregate_type == "application" and e.event_id for e in events)
    at = datetime(2026, 3, 1, 13, tzinfo=UTC)
    async with applications_database.transaction() as session:
        assert await repository.mark_published(session, [events[0].id, events[1].id], at) == 2
        assert await repository.mark_published(session, [events[0].id], at) == 0
        assert await repository.mark_published(session, [], at) == 0
    async with applications_database.reader() as session:
        remaining = await repository.fetch_unpublished(session, 10)
        limited = await repository.fetch_unpublished(session, 0)
    assert [(e.aggregate_id, e.sequence) for e in remaining] == [(first.id, 2)]
    assert limited == []


async def _allocate_then_fail(database: Database) -> None:
    async with database.transaction() as session:
        assert await repository.allocate_number(session, 2025) == "APP-2025-000003"
        raise RuntimeError("roll back")


async def test_allocate_number_is_per_year_and_rolls_back(applications_database: Database) -> None:
    async with applications_database.transaction() as session:
        assert await repository.allocate_number(session, 2025) == "APP-2025-000001"
        assert await repository.allocate_number(session, 2025) == "APP-2025-000002"
        assert await repository.allocate_number(session, 2026) == "APP-2026-000001"
    with pytest.raises(RuntimeError):
        await _allocate_then_fail(applications_database)
    async with applications_database.transaction() as session:
        assert await repository.allocate_number(session, 2025) == "APP-2025-000003"
