"""Builders and assertions shared by the applications tests."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, func, select

from services.applications.domain import ApplicationInput, VehicleInput
from services.applications.models import Application, OutboxEvent, StatusHistoryEntry
from services.applications.references import Policy, ReferenceCheck
from services.common.db import Database

__all__ = [
    "CLIENT_ID",
    "PRODUCT_ID",
    "DatabaseFactory",
    "KnownReferences",
    "ManualClock",
    "count_statements",
    "make_input",
    "snapshot",
    "table_counts",
    "vehicle",
]

DatabaseFactory = Callable[[str], Awaitable[Database]]
"""The type of the suite's ``database_factory`` fixture."""

CLIENT_ID = "11111111-1111-4111-8111-111111111111"
PRODUCT_ID = "22222222-2222-4222-8222-222222222222"


class KnownReferences:
    """The client_info and core_app answers as a test sets them (``References`` for domain tests).

    Every client and product exists unless a test lists it as missing (or the product as no
    longer sold). The real ``BackendReferences`` runs against the real backends in the subgraph
    and system tests; here each call is recorded so a test can count them.
    """

    def __init__(self) -> None:
        self.missing_clients: set[str] = set()
        self.missing_products: set[str] = set()
        self.inactive_products: set[str] = set()
        self.policies: dict[str, Policy] = {}
        self.checks: list[tuple[frozenset[str], frozenset[str]]] = []

    async def check(self, client_ids: Any, product_ids: Any) -> ReferenceCheck:
        clients, products = frozenset(client_ids), frozenset(product_ids)
        self.checks.append((clients, products))
        return ReferenceCheck(
            missing_clients=clients & self.missing_clients,
            missing_products=products & self.missing_products,
            inactive_products=products & self.inactive_products,
        )

    async def policy_of(self, application_id: str) -> Policy | None:
        return self.policies.get(application_id)


class ManualClock:
    """A clock the test moves by hand (``advance``) or sets (``now``)."""

    def __init__(self, start: datetime = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def vehicle(**overrides: Any) -> VehicleInput:
    """A valid vehicle, with ``overrides``."""
    return replace(VehicleInput("JTDBR32E720123456", "А123ВС77", "Toyota", "Camry", 2020, 150), **overrides)


def make_input(**overrides: Any) -> ApplicationInput:
    """A valid person application input with a fresh idempotency key, with ``overrides``."""
    base = ApplicationInput(
        idempotency_key=f"key-{uuid.uuid4().hex}",
        client_id=CLIENT_ID,
        product_id=PRODUCT_ID,
        insured_kind="person",
        insured_description="Жизнь и здоровье",
        sum_insured_kopecks=100_000_00,
        term_months=12,
        vehicle=None,
        comment="",
        submit=False,
    )
    return replace(base, **overrides)


async def table_counts(database: Database) -> tuple[int, int, int]:
    """How many applications, history rows and outbox rows exist."""
    async with database.reader() as session:
        counts = []
        for model in (Application, StatusHistoryEntry, OutboxEvent):
            counts.append(int(await session.scalar(select(func.count()).select_from(model)) or 0))
    return counts[0], counts[1], counts[2]


async def snapshot(database: Database, application_id: str) -> tuple[Any, ...]:
    """Everything stored about one application: its row, its history rows and its outbox rows."""
    async with database.reader() as session:
        row = (
            await session.execute(select(Application.__table__).where(Application.id == application_id))
        ).one()
        history = (
            await session.execute(
                select(StatusHistoryEntry.__table__).where(
                    StatusHistoryEntry.application_id == application_id
                )
            )
        ).all()
        outbox = (
            await session.execute(
                select(OutboxEvent.__table__).where(OutboxEvent.aggregate_id == application_id)
            )
        ).all()
    return tuple(row), sorted(tuple(r) for r in history), sorted(tuple(r) for r in outbox)


@contextmanager
def count_statements(database: Database) -> Iterator[list[str]]:
    """Collect the SQL statements ``database`` executes inside the block."""
    statements: list[str] = []

    def listener(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(database.engine.sync_engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", listener)
