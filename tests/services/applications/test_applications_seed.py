"""Seed data: deterministic, consistent with the state machine, fast, and searchable."""

from __future__ import annotations

import itertools
import time
from collections import Counter, defaultdict
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from grpc_clients.caller import FIRST_PARTY
from services.applications.app import MIGRATIONS_DIR
from services.applications.models import Application, StatusHistoryEntry
from services.applications.operations import Applications
from services.applications.seed import seed, seed_application_id
from services.applications.state_machine import TRANSITIONS, ApplicationStatus
from services.common.catalog import SEED_ANCHOR, client_seed_id, product_seed_id
from services.common.db import Database
from services.common.migrations import upgrade
from tests.services.applications.applications_harness import (
    DatabaseFactory,
    KnownReferences,
    make_input,
    table_counts,
)


async def dump(database: Database) -> tuple[list[Any], list[Any]]:
    async with database.reader() as session:
        rows = (await session.execute(select(Application.__table__).order_by(Application.id))).all()
        history = (
            await session.execute(
                select(
                    StatusHistoryEntry.application_id,
                    StatusHistoryEntry.position,
                    StatusHistoryEntry.from_status,
                    StatusHistoryEntry.status,
                    StatusHistoryEntry.at,
                    StatusHistoryEntry.reason,
                ).order_by(StatusHistoryEntry.application_id, StatusHistoryEntry.position)
            )
        ).all()
    return [*rows], [*history]


async def test_seed_is_deterministic(database_factory: DatabaseFactory) -> None:
    dumps = []
    for _ in range(2):
        database = await database_factory("applications")
        await upgrade(database, MIGRATIONS_DIR)
        created = await seed(database, clients=40)
        assert created > 0
        assert await seed(database, clients=40) == 0
        dumps.append(await dump(database))
    assert dumps[0] == dumps[1]
    rows, _ = dumps[0]
    assert len(rows) == created


async def test_seed_is_consistent(applications_database: Database) -> None:
    start = time.perf_counter()
    created = await seed(applications_database, clients=1000)
    elapsed = time.perf_counter() - start
    assert elapsed < 15, f"seeding 1,000 clients took {elapsed:.1f} s"
    applications, history_rows, outbox_rows = await table_counts(applications_database)
    assert (applications, outbox_rows) == (created, 0)  # seeded history is not published
    rows, history = await dump(applications_database)
    by_application: dict[str, list[Any]] = defaultdict(list)
    for entry in history:
        by_application[entry.application_id].append(entry)
    assert len(history) == history_rows
    per_client = Counter(row.client_id for row in rows)
    assert max(per_client.values()) <= 5
    assert set(per_client) <= {client_seed_id(i) for i in range(1000)}
    assert seed_application_id(0, 0) in {row.id for row in rows} or per_client[client_seed_id(0)] == 0
    assert {row.status for row in rows} == set(ApplicationStatus)
    numbers = [row.number for row in rows]
    assert len(set(numbers)) == len(numbers)
    earliest = SEED_ANCHOR - timedelta(days=2 * 365)
    for row in rows:
        entries = by_application[row.id]
        assert [e.position for e in entries] == list(range(1, row.version + 1))
        assert entries[0].status == "DRAFT"
        assert entries[-1].status == row.status
        for before, after in itertools.pairwise(entries):
            assert ApplicationStatus(after.status) in TRANSITIONS[ApplicationStatus(before.status)]
            assert after.from_status == before.status
            assert before.at <= after.at
        assert earliest <= row.applied_at == entries[0].at
        assert row.updated_at == entries[-1].at <= SEED_ANCHOR
        assert row.number.startswith(f"APP-{row.applied_at.year}-")
        assert (row.cancellation_reason != "") == (row.status == "CANCELLED")
        if row.insured_kind == "vehicle":
            assert row.vehicle_vin is not None
            assert len(row.vehicle_vin) == 17
    assert {row.product_id for row in rows} >= {product_seed_id("OSAGO-STD"), product_seed_id("KASKO-FULL")}


async def test_seeded_data_is_searchable_and_numbers_continue(applications_database: Database) -> None:
    await seed(applications_database, clients=300)
    service = Applications(applications_database, references=KnownReferences(), clock=lambda: SEED_ANCHOR)
    found = await service.search("ложка", 100, caller=FIRST_PARTY)
    comments = {a.comment for a in found}
    assert any("ложкой" in c for c in comments)
    assert any("ложки" in c for c in comments)
    cancelled = await service.search("дешевле", 5, caller=FIRST_PARTY)
    assert cancelled
    assert all(a.status == "CANCELLED" for a in cancelled)
    async with applications_database.reader() as session:
        last = await session.scalar(
            select(Application.number)
            .where(Application.number.like("APP-2026-%"))
            .order_by(Application.number.desc())
        )
    assert last is not None
    created = (await service.create(make_input(), caller=FIRST_PARTY)).application
    assert created.number == f"APP-2026-{int(last.rsplit('-', 1)[1]) + 1:06d}"
