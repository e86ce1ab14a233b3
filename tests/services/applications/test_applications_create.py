"""Creating applications: idempotency, races, numbering, batches (both backends)."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from sqlalchemy import select

from grpc_clients.caller import FIRST_PARTY
from services.applications.models import OutboxEvent
from services.applications.operations import Applications, CreateOutcome, ItemFailure
from services.common.db import Database
from services.common.errors import AlreadyExists, InvalidArgument
from tests.services.applications.applications_harness import ManualClock, make_input, table_counts, vehicle


async def test_create_draft_with_history_and_outbox(
    applications: Applications, applications_database: Database, clock: ManualClock
) -> None:
    raw = make_input(insured_kind="vehicle", vehicle=vehicle(), comment="Первая заявка")
    outcome = await applications.create(raw, caller=FIRST_PARTY)
    application = outcome.application
    assert outcome.created
    assert application.number == "APP-2026-000001"
    assert application.status == "DRAFT"
    assert application.applied_at == clock.now == application.updated_at
    assert application.vehicle_vin == "JTDBR32E720123456"
    assert [(h.position, h.status, h.from_status) for h in application.history] == [(1, "DRAFT", None)]
    async with applications_database.reader() as session:
        events = list(await session.scalars(select(OutboxEvent)))
    assert [(e.event_type, e.aggregate_id, e.sequence, e.published_at) for e in events] == [
        ("application.created", application.id, 1, None)
    ]
    assert events[0].payload["number"] == "APP-2026-000001"
    assert events[0].payload["status"] == "DRAFT"


async def test_submit_creates_submitted_and_numbers_increase(applications: Applications) -> None:
    first = await applications.create(make_input(submit=True), caller=FIRST_PARTY)
    second = await applications.create(make_input(), caller=FIRST_PARTY)
    assert first.application.status == "SUBMITTED"
    assert [h.status for h in first.application.history] == ["SUBMITTED"]
    assert second.application.number == "APP-2026-000002"


async def test_numbers_restart_each_year(applications: Applications, clock: ManualClock) -> None:
    await applications.create(make_input(), caller=FIRST_PARTY)
    clock.now = clock.now.replace(year=2027)
    outcome = await applications.create(make_input(), caller=FIRST_PARTY)
    assert outcome.application.number == "APP-2027-000001"


async def test_same_key_twice_returns_the_same_application_and_writes_nothing(
    applications: Applications, applications_database: Database
) -> None:
    raw = make_input(comment="повтор")
    first = await applications.create(raw, caller=FIRST_PARTY)
    counts = await table_counts(applications_database)
    again = await applications.create(raw, caller=FIRST_PARTY)
    assert (again.created, again.application.id) == (False, first.application.id)
    assert [h.status for h in again.application.history] == ["DRAFT"]
    assert await table_counts(applications_database) == counts == (1, 1, 1)


async def test_same_key_with_a_different_payload_is_already_exists(
    applications: Applications, applications_database: Database
) -> None:
    raw = make_input()
    await applications.create(raw, caller=FIRST_PARTY)
    with pytest.raises(AlreadyExists) as caught:
        await applications.create(replace(raw, term_months=24), caller=FIRST_PARTY)
    assert raw.idempotency_key in caught.value.message
    assert "APP-2026-000001" in caught.value.message
    assert await table_counts(applications_database) == (1, 1, 1)


async def test_concurrent_creates_with_one_key_make_one_row(
    applications: Applications, applications_database: Database
) -> None:
    raw = make_input()
    outcomes = await asyncio.gather(*(applications.create(raw, caller=FIRST_PARTY) for _ in range(6)))
    assert sum(o.created for o in outcomes) == 1
    assert len({o.application.id for o in outcomes}) == 1
    assert await table_counts(applications_database) == (1, 1, 1)
    following = await applications.create(make_input(), caller=FIRST_PARTY)
    assert following.application.number == "APP-2026-000002"


async def test_concurrent_creates_with_distinct_keys_get_distinct_numbers(applications: Applications) -> None:
    outcomes = await asyncio.gather(
        *(applications.create(make_input(), caller=FIRST_PARTY) for _ in range(8))
    )
    assert sorted(o.application.number for o in outcomes) == [f"APP-2026-{n:06d}" for n in range(1, 9)]


async def test_invalid_create_writes_nothing(
    applications: Applications, applications_database: Database
) -> None:
    with pytest.raises(InvalidArgument) as caught:
        await applications.create(make_input(client_id="x", insured_kind="vehicle"), caller=FIRST_PARTY)
    assert [v.field for v in caught.value.violations] == ["input.client_id", "input.vehicle"]
    assert await table_counts(applications_database) == (0, 0, 0)


async def test_batch_mixed_items(applications: Applications, applications_database: Database) -> None:
    reused = make_input()
    await applications.create(reused, caller=FIRST_PARTY)
    inputs = [
        make_input(comment="ok 0"),
        make_input(term_months=0, sum_insured_kopecks=0),
        reused,
        replace(reused, comment="changed"),
        make_input(insured_kind="vehicle"),
        make_input(comment="ok 5"),
    ]
    results = await applications.batch_create(inputs, caller=FIRST_PARTY)
    assert [r.index for r in results] == list(range(6))
    outcomes = [r.outcome for r in results]
    assert isinstance(outcomes[0], CreateOutcome)
    assert outcomes[0].created
    assert isinstance(outcomes[1], ItemFailure)
    assert outcomes[1].code == "INVALID_ARGUMENT"
    assert [v.field for v in outcomes[1].violations] == [
        "inputs[1].sum_insured_kopecks",
        "inputs[1].term_months",
    ]
    assert isinstance(outcomes[2], CreateOutcome)
    assert not outcomes[2].created
    assert isinstance(outcomes[3], ItemFailure)
    assert outcomes[3].code == "ALREADY_EXISTS"
    assert isinstance(outcomes[4], ItemFailure)
    assert [v.field for v in outcomes[4].violations] == ["inputs[4].vehicle"]
    assert isinstance(outcomes[5], CreateOutcome)
    assert outcomes[5].created
    assert await table_counts(applications_database) == (3, 3, 3)


@pytest.mark.parametrize("size", [0, 101])
async def test_batch_size_is_bounded_and_nothing_is_written(
    applications: Applications, applications_database: Database, size: int
) -> None:
    with pytest.raises(InvalidArgument) as caught:
        await applications.batch_create([make_input() for _ in range(size)], caller=FIRST_PARTY)
    assert [v.field for v in caught.value.violations] == ["inputs"]
    assert await table_counts(applications_database) == (0, 0, 0)


async def test_batch_of_100_is_accepted(applications: Applications, applications_database: Database) -> None:
    results = await applications.batch_create([make_input() for _ in range(100)], caller=FIRST_PARTY)
    assert all(isinstance(r.outcome, CreateOutcome) and r.outcome.created for r in results)
    assert await table_counts(applications_database) == (100, 100, 100)
