"""Events of core_app move applications exactly once; cancels respect active policies (both backends)."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import func, select

from grpc_clients.caller import FIRST_PARTY
from services.applications.models import InboxEvent
from services.applications.operations import Applications
from services.applications.references import Policy
from services.applications.state_machine import ApplicationStatus, steps_towards
from services.common.db import Database
from services.common.errors import FailedPrecondition, InvalidArgument, NotFound
from tests.services.applications.applications_harness import (
    KnownReferences,
    make_input,
    snapshot,
    table_counts,
)

S = ApplicationStatus


def test_steps_walk_the_main_path_and_never_back() -> None:
    assert steps_towards(S.SUBMITTED, S.OFFERED) == (S.PROCESSING, S.OFFERED)
    assert steps_towards(S.OFFERED, S.COMPLETED) == (S.APPROVED, S.COMPLETED)
    assert steps_towards(S.APPROVED, S.OFFERED) == ()
    assert steps_towards(S.OFFERED, S.OFFERED) == ()
    assert steps_towards(S.CANCELLED, S.OFFERED) is None
    assert steps_towards(S.REJECTED, S.COMPLETED) is None


async def _inbox(database: Database) -> list[tuple[str, str]]:
    async with database.reader() as session:
        rows = await session.execute(
            select(InboxEvent.event_type, InboxEvent.outcome).order_by(InboxEvent.received_at)
        )
        return [(str(t), str(o)) for t, o in rows]


async def test_an_offer_makes_it_offered_and_a_policy_completes_it(
    applications: Applications, applications_database: Database
) -> None:
    application = (await applications.create(make_input(submit=True), FIRST_PARTY)).application
    offered = await applications.apply_core_event(
        str(uuid.uuid4()), "OFFER_MADE", application.id, "Offer made."
    )
    assert offered.changed
    assert [h.status for h in offered.application.history] == ["SUBMITTED", "PROCESSING", "OFFERED"]
    later = await applications.apply_core_event(str(uuid.uuid4()), "OFFER_MADE", application.id, "Another.")
    assert not later.changed  # already OFFERED: recorded, nothing moves
    done = await applications.apply_core_event(str(uuid.uuid4()), "POLICY_ISSUED", application.id, "Policy.")
    assert [h.status for h in done.application.history][-2:] == ["APPROVED", "COMPLETED"]
    assert done.application.history[-1].reason == "Policy."
    # one outbox event per status: created + PROCESSING, OFFERED, APPROVED, COMPLETED
    assert await table_counts(applications_database) == (1, 5, 5)
    assert await _inbox(applications_database) == [
        ("OFFER_MADE", "applied"),
        ("OFFER_MADE", "unchanged"),
        ("POLICY_ISSUED", "applied"),
    ]


async def test_a_redelivered_event_changes_nothing_even_when_it_arrives_twice_at_once(
    applications: Applications, applications_database: Database
) -> None:
    application = (await applications.create(make_input(submit=True), FIRST_PARTY)).application
    event_id = str(uuid.uuid4())
    outcomes = await asyncio.gather(
        *(applications.apply_core_event(event_id, "OFFER_MADE", application.id, "Offer.") for _ in range(3)),
        return_exceptions=True,
    )
    changed = [o for o in outcomes if not isinstance(o, BaseException) and o.changed]
    assert len(changed) <= 1  # at most one delivery applies it; the others see it done
    before = await snapshot(applications_database, application.id)
    again = await applications.apply_core_event(event_id, "OFFER_MADE", application.id, "Offer.")
    assert not again.changed
    assert again.application.status == "OFFERED"
    assert await snapshot(applications_database, application.id) == before
    async with applications_database.reader() as session:
        assert await session.scalar(select(func.count()).select_from(InboxEvent)) == 1


async def test_a_policy_for_a_cancelled_application_is_refused_and_not_recorded(
    applications: Applications, applications_database: Database
) -> None:
    application = (await applications.create(make_input(), FIRST_PARTY)).application
    await applications.cancel(application.id, "Передумал", FIRST_PARTY)
    offer = await applications.apply_core_event(str(uuid.uuid4()), "OFFER_MADE", application.id, "Offer.")
    assert not offer.changed
    before = await snapshot(applications_database, application.id)
    with pytest.raises(FailedPrecondition, match="is CANCELLED"):
        await applications.apply_core_event(str(uuid.uuid4()), "POLICY_ISSUED", application.id, "Policy.")
    assert await snapshot(applications_database, application.id) == before
    assert await _inbox(applications_database) == [("OFFER_MADE", "unchanged")]  # the refusal left no row


async def test_malformed_and_unknown_events_are_refused(applications: Applications) -> None:
    with pytest.raises(InvalidArgument) as invalid:
        await applications.apply_core_event("nope", "OFFER_TAKEN", "also-nope", "")
    assert [v.field for v in invalid.value.violations] == ["event_id", "application_id", "event_type"]
    with pytest.raises(NotFound):
        await applications.apply_core_event(str(uuid.uuid4()), "OFFER_MADE", str(uuid.uuid4()), "")


async def test_a_cancel_is_refused_while_core_app_holds_an_active_policy(
    applications: Applications, applications_database: Database, references: KnownReferences
) -> None:
    application = (await applications.create(make_input(submit=True), FIRST_PARTY)).application
    references.policies[application.id] = Policy("POL-VOLGA-00000001", "ACTIVE")
    before = await snapshot(applications_database, application.id)
    with pytest.raises(FailedPrecondition, match="POL-VOLGA-00000001"):
        await applications.cancel(application.id, "Передумал", FIRST_PARTY)
    assert await snapshot(applications_database, application.id) == before
    references.policies[application.id] = Policy("POL-VOLGA-00000001", "TERMINATED")
    assert (await applications.cancel(application.id, "Передумал", FIRST_PARTY)).status == "CANCELLED"
