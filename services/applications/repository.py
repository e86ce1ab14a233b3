"""SQLAlchemy queries of the applications service; no business rules live here.

Every read that returns applications loads their status history in the same statement (a joined
eager load), so a page, a batch or a per-client listing is exactly one SQL statement.
Dialect-specific search queries are in ``services.applications.search``.

Reads take ``scope``: the owner a partner caller is limited to (``Caller.scope``), or ``None``
for the first party, which sees every application. The scope is part of the statement, so a
partner never loads another partner's row.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final

from sqlalchemy import String, Table, func, literal, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from services.applications.domain import NewApplication
from services.applications.models import (
    Application,
    ApplicationNumberCounter,
    InboxEvent,
    OutboxEvent,
    StatusHistoryEntry,
    UTCDateTime,
)
from services.applications.paging import Keyset, ListFilter
from services.applications.records import ApplicationRecord, HistoryRecord
from services.common.validation import new_id

__all__ = [
    "add_history_entry",
    "add_inbox_event",
    "add_outbox_event",
    "allocate_number",
    "dialect_name",
    "fetch_unpublished",
    "find_by_idempotency_key",
    "find_by_idempotency_keys",
    "find_inbox_event",
    "get_application",
    "get_applications",
    "insert_application",
    "list_applications",
    "list_by_clients",
    "lock_application",
    "mark_published",
]

_WITH_HISTORY = joinedload(Application.history)


def _scoped(statement: Any, scope: str | None) -> Any:
    return statement if scope is None else statement.where(Application.owner == scope)


def dialect_name(session: AsyncSession) -> str:
    """``postgresql`` or ``sqlite``."""
    return session.get_bind().dialect.name


async def allocate_number(session: AsyncSession, year: int) -> str:
    """Take the next application number of ``year`` (``APP-2025-000123``) inside the caller's transaction.

    The counter row is created on first use (``ON CONFLICT DO NOTHING``, safe under races) and
    incremented with ``UPDATE … RETURNING``; the row lock held until commit serializes
    concurrent creates on PostgreSQL, SQLite has a single writer anyway. A rolled-back create
    gives its number back, so numbers have no gaps.
    """
    insert = postgresql.insert if dialect_name(session) == "postgresql" else sqlite.insert
    await session.execute(
        insert(ApplicationNumberCounter)
        .values(year=year, last_value=0)
        .on_conflict_do_nothing(index_elements=["year"])
    )
    result = await session.execute(
        update(ApplicationNumberCounter)
        .where(ApplicationNumberCounter.year == year)
        .values(last_value=ApplicationNumberCounter.last_value + 1)
        .returning(ApplicationNumberCounter.last_value)
    )
    return f"APP-{year}-{result.scalar_one():06d}"


async def insert_application(
    session: AsyncSession, checked: NewApplication, number: str, status: str, at: datetime, owner: str
) -> Application:
    """Insert a new application of ``owner`` (version 1, applied and updated ``at``) and flush it."""
    vehicle = checked.vehicle
    application = Application(
        id=new_id(),
        number=number,
        owner=owner,
        client_id=checked.client_id,
        product_id=checked.product_id,
        status=status,
        version=1,
        applied_at=at,
        updated_at=at,
        insured_kind=checked.insured_kind,
        insured_description=checked.insured_description,
        sum_insured_kopecks=checked.sum_insured_kopecks,
        term_months=checked.term_months,
        vehicle_vin=vehicle.vin if vehicle else None,
        vehicle_plate=vehicle.plate if vehicle else None,
        vehicle_make=vehicle.make if vehicle else None,
        vehicle_model=vehicle.model if vehicle else None,
        vehicle_year=vehicle.year if vehicle else None,
        vehicle_engine_power_hp=vehicle.engine_power_hp if vehicle else None,
        comment=checked.comment,
        cancellation_reason="",
        idempotency_key=checked.idempotency_key,
        request_fingerprint=checked.fingerprint,
    )
    session.add(application)
    await session.flush()
    return application


async def find_by_idempotency_keys(
    session: AsyncSession, owner: str, keys: Sequence[str]
) -> dict[str, Application]:
    """The applications ``owner`` created with any of ``keys``, with histories, by key (one statement)."""
    if not keys:
        return {}
    result = await session.execute(
        select(Application)
        .where(Application.owner == owner, Application.idempotency_key.in_(keys))
        .options(_WITH_HISTORY)
    )
    return {application.idempotency_key: application for application in result.unique().scalars()}


async def find_by_idempotency_key(session: AsyncSession, owner: str, key: str) -> Application | None:
    """The application ``owner`` created with ``key``, with its history, or None."""
    return (await find_by_idempotency_keys(session, owner, [key])).get(key)


async def get_application(
    session: AsyncSession, application_id: str, scope: str | None = None
) -> Application | None:
    """One application with its history, or None (re-reads it if the session already holds it)."""
    statement = select(Application).where(Application.id == application_id).options(_WITH_HISTORY)
    result = await session.execute(_scoped(statement, scope).execution_options(populate_existing=True))
    return result.unique().scalar_one_or_none()


async def lock_application(
    session: AsyncSession, application_id: str, scope: str | None = None
) -> Application | None:
    """The application row, locked until the transaction ends (PostgreSQL; SQLite has one writer).

    The history is not loaded; the version column still detects a concurrent change on SQLite.
    """
    statement = select(Application).where(Application.id == application_id)
    result = await session.execute(_scoped(statement, scope).with_for_update())
    return result.scalar_one_or_none()


async def get_applications(
    session: AsyncSession, ids: Sequence[str], scope: str | None = None
) -> list[Application]:
    """The applications with ``ids`` that exist (within ``scope``), with histories, in one statement."""
    if not ids:
        return []
    statement = select(Application).where(Application.id.in_(ids)).options(_WITH_HISTORY)
    result = await session.execute(_scoped(statement, scope))
    return list(result.unique().scalars())


async def list_applications(
    session: AsyncSession, list_filter: ListFilter, after: Keyset | None, limit: int, scope: str | None = None
) -> list[Application]:
    """Up to ``limit`` applications matching ``list_filter`` (within ``scope``) after ``after``, newest first."""
    statement = _scoped(select(Application).options(_WITH_HISTORY), scope)
    if (start := list_filter.applied_from_instant) is not None:
        statement = statement.where(Application.applied_at >= start)
    if (end := list_filter.applied_before_instant) is not None:
        statement = statement.where(Application.applied_at < end)
    if list_filter.statuses:
        statement = statement.where(Application.status.in_([s.value for s in list_filter.statuses]))
    if list_filter.client_id is not None:
        statement = statement.where(Application.client_id == list_filter.client_id)
    if list_filter.product_id is not None:
        statement = statement.where(Application.product_id == list_filter.product_id)
    if after is not None:
        statement = statement.where(
            tuple_(Application.applied_at, Application.id)
            < tuple_(literal(after.applied_at, UTCDateTime()), literal(after.id, String()))
        )
    statement = statement.order_by(Application.applied_at.desc(), Application.id.desc()).limit(limit)
    result = await session.execute(statement)
    return list(result.unique().scalars())


async def list_by_clients(
    session: AsyncSession,
    client_ids: Sequence[str],
    limit_per_client: int,
    *,
    with_history: bool = True,
    scope: str | None = None,
) -> dict[str, list[ApplicationRecord]]:
    """The newest ``limit_per_client`` applications of each client, in one statement.

    A window function ranks each client's applications (applied_at desc, id desc); the outer
    query keeps the first ``limit_per_client`` and, ``with_history``, outer-joins their
    histories. Rows are read with Core, not the ORM, and grouped here into plain records.
    """
    grouped: dict[str, list[ApplicationRecord]] = defaultdict(list)
    if not client_ids:
        return grouped
    applications, history = _table(Application), _table(StatusHistoryEntry)
    rank = (
        func.row_number()
        .over(
            partition_by=applications.c.client_id,
            order_by=(applications.c.applied_at.desc(), applications.c.id.desc()),
        )
        .label("rank")
    )
    ranked_rows = select(applications.c.id, rank).where(applications.c.client_id.in_(client_ids))
    if scope is not None:
        ranked_rows = ranked_rows.where(applications.c.owner == scope)
    ranked = ranked_rows.subquery()
    joined = applications.join(ranked, ranked.c.id == applications.c.id)
    columns = [applications.c[name] for name in _RECORD_COLUMNS]
    order = [applications.c.client_id, applications.c.applied_at.desc(), applications.c.id.desc()]
    if with_history:
        joined = joined.outerjoin(history, history.c.application_id == applications.c.id)
        columns += [history.c.status, history.c.at, history.c.reason]
        order.append(history.c.position)
    statement = select(*columns).select_from(joined).where(ranked.c.rank <= limit_per_client).order_by(*order)
    width = len(_RECORD_COLUMNS)
    heads: dict[str, Any] = {}
    histories: dict[str, list[HistoryRecord]] = defaultdict(list)
    for row in (await session.execute(statement)).all():
        application_id = row[0]
        if application_id not in heads:
            heads[application_id] = row[:width]
        if with_history and row[width] is not None:
            histories[application_id].append(HistoryRecord(*row[width:]))
    for application_id, head in heads.items():
        entries = tuple(histories.get(application_id, ()))
        record = ApplicationRecord(*head, history=entries)  # type: ignore[misc]  # head: _RECORD_COLUMNS
        grouped[record.client_id].append(record)
    return grouped


_RECORD_COLUMNS: Final = tuple(
    field.name for field in dataclasses.fields(ApplicationRecord) if field.name != "history"
)


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def add_outbox_event(
    session: AsyncSession,
    application: Application,
    event_type: str,
    payload: dict[str, Any],
    at: datetime,
) -> OutboxEvent:
    """Stage an outbox event for ``application``'s current version in the caller's transaction."""
    event = OutboxEvent(
        event_id=new_id(),
        aggregate_type="application",
        aggregate_id=application.id,
        sequence=application.version,
        event_type=event_type,
        payload=payload,
        created_at=at,
        published_at=None,
    )
    session.add(event)
    return event


def add_history_entry(
    session: AsyncSession,
    application: Application,
    from_status: str | None,
    at: datetime,
    reason: str,
) -> StatusHistoryEntry:
    """Stage the history row for ``application``'s current status and version."""
    entry = StatusHistoryEntry(
        application_id=application.id,
        position=application.version,
        from_status=from_status,
        status=application.status,
        at=at,
        reason=reason,
    )
    session.add(entry)
    return entry


async def find_inbox_event(session: AsyncSession, event_id: str) -> InboxEvent | None:
    """The inbox row of an event already applied, or None."""
    return await session.get(InboxEvent, event_id)


def add_inbox_event(
    session: AsyncSession, event_id: str, event_type: str, application_id: str, outcome: str, at: datetime
) -> None:
    """Stage the inbox row of an applied event in the caller's transaction (its key stops a second apply)."""
    session.add(
        InboxEvent(
            event_id=event_id,
            event_type=event_type,
            application_id=application_id,
            outcome=outcome,
            received_at=at,
        )
    )


async def fetch_unpublished(session: AsyncSession, limit: int) -> list[OutboxEvent]:
    """The oldest ``limit`` unpublished outbox events, in write order (per-application order holds).

    Meant for a single relay; several relays would need ``FOR UPDATE SKIP LOCKED`` and a
    per-application partitioning to keep the order.
    """
    result = await session.execute(
        select(OutboxEvent).where(OutboxEvent.published_at.is_(None)).order_by(OutboxEvent.id).limit(limit)
    )
    return list(result.scalars())


async def mark_published(session: AsyncSession, ids: Sequence[int], at: datetime) -> int:
    """Mark the outbox events ``ids`` as published at ``at``; returns how many changed."""
    if not ids:
        return 0
    result = await session.execute(
        update(OutboxEvent)
        .where(OutboxEvent.id.in_(ids), OutboxEvent.published_at.is_(None))
        .values(published_at=at)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0))
