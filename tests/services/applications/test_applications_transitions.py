"""State changes on both backends: every legal and illegal transition, history and outbox."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from typing import Any

import pytest
from sqlalchemy import event, select

from grpc_clients.caller import FIRST_PARTY
from services.applications.models import Application, OutboxEvent
from services.applications.operations import Applications
from services.applications.state_machine import TRANSITIONS, ApplicationStatus
from services.common.db import Database
from services.common.errors import FailedPrecondition, InvalidArgument, NotFound
from tests.services.applications.applications_harness import ManualClock, make_input, snapshot

S = ApplicationStatus
PATH_TO: dict[ApplicationStatus, tuple[ApplicationStatus, ...]] = {
    S.DRAFT: (),
    S.SUBMITTED: (S.SUBMITTED,),
    S.PROCESSING: (S.SUBMITTED, S.PROCESSING),
    S.OFFERED: (S.SUBMITTED, S.PROCESSING, S.OFFERED),
    S.APPROVED: (S.SUBMITTED, S.PROCESSING, S.OFFERED, S.APPROVED),
    S.COMPLETED: (S.SUBMITTED, S.PROCESSING, S.OFFERED, S.APPROVED, S.COMPLETED),
    S.REJECTED: (S.SUBMITTED, S.PROCESSING, S.REJECTED),
    S.CANCELLED: (S.CANCELLED,),
}


async def application_in(applications: Applications, status: ApplicationStatus) -> Application:
    application = (await applications.create(make_input(), caller=FIRST_PARTY)).application
    for step in PATH_TO[status]:
        application = await applications.transition(application.id, step.value, "by test", caller=FIRST_PARTY)
    assert application.status == status.value
    return application


async def test_every_transition(
    applications: Applications, applications_database: Database, clock: ManualClock
) -> None:
    """All 64 ordered pairs: legal ones change state, illegal ones change nothing at all.

    CANCELLED → CANCELLED is the one repeat that is no error: a repeated cancel answers the
    application unchanged.
    """
    for current, target in itertools.product(S, S):
        application = await application_in(applications, current)
        before = await snapshot(applications_database, application.id)
        clock.advance(minutes=1)
        if current == target == S.CANCELLED:
            again = await applications.transition(application.id, target.value, "reason", caller=FIRST_PARTY)
            assert again.status == S.CANCELLED.value
            assert await snapshot(applications_database, application.id) == before
        elif target in TRANSITIONS[current]:
            moved = await applications.transition(application.id, target.value, "reason", caller=FIRST_PARTY)
            assert moved.status == target.value, (current, target)
            assert moved.version == application.version + 1
            assert moved.updated_at == clock.now
            assert [h.status for h in moved.history] == [
                S.DRAFT.value,
                *(s.value for s in PATH_TO[current]),
                target,
            ]
            assert moved.history[-1].reason == "reason"
        else:
            with pytest.raises(FailedPrecondition) as caught:
                await applications.transition(application.id, target.value, "reason", caller=FIRST_PARTY)
            assert f"is {current.value} and cannot move to {target.value}" in caught.value.message
            assert await snapshot(applications_database, application.id) == before, (current, target)


async def test_each_change_appends_an_ordered_outbox_event(
    applications: Applications, applications_database: Database
) -> None:
    application = await application_in(applications, S.OFFERED)
    cancelled = await applications.cancel(application.id, "  Клиент передумал.  ", caller=FIRST_PARTY)
    assert cancelled.status == "CANCELLED"
    assert cancelled.cancellation_reason == "Клиент передумал."
    assert [(h.position, h.from_status, h.status) for h in cancelled.history] == [
        (1, None, "DRAFT"),
        (2, "DRAFT", "SUBMITTED"),
        (3, "SUBMITTED", "PROCESSING"),
        (4, "PROCESSING", "OFFERED"),
        (5, "OFFERED", "CANCELLED"),
    ]
    async with applications_database.reader() as session:
        events = list(await session.scalars(select(OutboxEvent).order_by(OutboxEvent.id)))
    assert [(e.sequence, e.event_type) for e in events] == [
        (1, "application.created"),
        (2, "application.status_changed"),
        (3, "application.status_changed"),
        (4, "application.status_changed"),
        (5, "application.status_changed"),
    ]
    assert events[-1].payload["from_status"] == "OFFERED"
    assert events[-1].payload["to_status"] == "CANCELLED"
    assert events[-1].payload["reason"] == "Клиент передумал."


@pytest.mark.parametrize(
    ("application_id", "status", "reason", "fields"),
    [
        ("nope", "SUBMITTED", "", ["id"]),
        (None, "APPLICATION_STATUS_UNSPECIFIED", "", ["to_status"]),
        (None, "CANCELLED", "  ", ["reason"]),
        (None, "SUBMITTED", "r" * 501, ["reason"]),
        ("nope", "42", "r" * 501, ["id", "to_status", "reason"]),
    ],
)
async def test_invalid_transition_requests(
    applications: Applications,
    applications_database: Database,
    application_id: str | None,
    status: str,
    reason: str,
    fields: list[str],
) -> None:
    application = await application_in(applications, S.DRAFT)
    before = await snapshot(applications_database, application.id)
    with pytest.raises(InvalidArgument) as caught:
        await applications.transition(application_id or application.id, status, reason, caller=FIRST_PARTY)
    assert [v.field for v in caught.value.violations] == fields
    assert await snapshot(applications_database, application.id) == before


async def test_cancel_requires_a_reason_and_a_cancellable_status(applications: Applications) -> None:
    application = await application_in(applications, S.APPROVED)
    with pytest.raises(InvalidArgument):
        await applications.cancel(application.id, "", caller=FIRST_PARTY)
    with pytest.raises(FailedPrecondition, match="APPROVED"):
        await applications.cancel(application.id, "Поздно", caller=FIRST_PARTY)


async def test_unknown_application_is_not_found(applications: Applications) -> None:
    missing = str(uuid.uuid4())
    with pytest.raises(NotFound, match=missing):
        await applications.transition(missing, "SUBMITTED", "", caller=FIRST_PARTY)


def _fail_on_outbox_insert(database: Database) -> Any:
    def listener(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO OUTBOX"):
            raise RuntimeError("simulated failure while writing the outbox")

    event.listen(database.engine.sync_engine, "before_cursor_execute", listener)
    return listener


async def test_outbox_failure_rolls_back_the_transition(
    applications: Applications, applications_database: Database
) -> None:
    application = await application_in(applications, S.SUBMITTED)
    before = await snapshot(applications_database, application.id)
    listener = _fail_on_outbox_insert(applications_database)
    try:
        with pytest.raises(RuntimeError, match="simulated"):
            await applications.transition(application.id, "PROCESSING", "", caller=FIRST_PARTY)
    finally:
        event.remove(applications_database.engine.sync_engine, "before_cursor_execute", listener)
    assert await snapshot(applications_database, application.id) == before
    moved = await applications.transition(application.id, "PROCESSING", "", caller=FIRST_PARTY)
    assert moved.version == 3


async def test_outbox_failure_rolls_back_the_create(
    applications: Applications, applications_database: Database
) -> None:
    listener = _fail_on_outbox_insert(applications_database)
    try:
        with pytest.raises(RuntimeError, match="simulated"):
            await applications.create(make_input(), caller=FIRST_PARTY)
    finally:
        event.remove(applications_database.engine.sync_engine, "before_cursor_execute", listener)
    async with applications_database.reader() as session:
        assert list(await session.scalars(select(Application))) == []
    created = await applications.create(make_input(), caller=FIRST_PARTY)
    assert created.application.number == "APP-2026-000001"


async def test_concurrent_transitions_of_one_application(
    applications: Applications, applications_database: Database
) -> None:
    application = await application_in(applications, S.SUBMITTED)
    results = await asyncio.gather(
        *(applications.transition(application.id, "PROCESSING", "", caller=FIRST_PARTY) for _ in range(4)),
        return_exceptions=True,
    )
    assert sum(isinstance(r, Application) for r in results) == 1
    assert all(isinstance(r, Application | FailedPrecondition) for r in results)
    stored = await snapshot(applications_database, application.id)
    assert len(stored[1]) == 3
    assert len(stored[2]) == 3
