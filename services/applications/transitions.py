"""State changes of applications: cancel, back-office transitions, and events from core_app.

Every change locks the application row, walks the state machine one allowed step at a time and
writes, per step, a history row and an ``application.status_changed`` outbox event in the same
transaction as the change.

Events of core_app arrive through its outbox relay, at least once. ``apply_core_event`` records
each in the ``inbox`` table in the transaction that applies it, so a redelivered event finds its
row and changes nothing: every event takes effect exactly once. An offer made moves the
application on to OFFERED, an issued policy to COMPLETED (through APPROVED); an application
already there or beyond stays as it is. A policy issued for an application that was cancelled
or rejected meanwhile is refused (FAILED_PRECONDITION), so core_app terminates that policy.

A cancel is refused while core_app holds an active policy for the application, and a repeated
cancel answers the application as it stands (idempotent): a partner retrying after a timeout
gets its success, not an error. See ``docs/decisions/0016-application-state-across-services.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from grpc_clients.caller import Caller
from services.applications import repository
from services.applications.domain import check_reason
from services.applications.events import APPLICATION_STATUS_CHANGED, status_changed_payload
from services.applications.models import Application
from services.applications.references import ACTIVE_POLICY, References
from services.applications.search import sync_search_document
from services.applications.state_machine import (
    ApplicationStatus,
    check_transition,
    parse_status,
    steps_towards,
)
from services.common.db import Database
from services.common.errors import FailedPrecondition, FieldViolation, InvalidArgument, NotFound
from services.common.validation import parse_id

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["CORE_EVENT_TARGETS", "OFFER_MADE", "POLICY_ISSUED", "CoreEventOutcome", "Transitions", "step"]

OFFER_MADE = "OFFER_MADE"
"""core_app: an insurer made an offer for the application."""
POLICY_ISSUED = "POLICY_ISSUED"
"""core_app: a policy was issued from one of the application's offers."""

CORE_EVENT_TARGETS = {OFFER_MADE: ApplicationStatus.OFFERED, POLICY_ISSUED: ApplicationStatus.COMPLETED}
"""The status each core_app event brings an application to (names as in ``CoreEventType``)."""


@dataclass(frozen=True, slots=True)
class CoreEventOutcome:
    """An application after a core_app event; ``changed`` is False for a repeat or a no-op."""

    application: Application
    changed: bool


class Transitions:
    """The state changes of applications over one ``Database``.

    Args:
        database: where the service's tables live.
        references: core_app, asked for an application's policy before a cancel.
        clock: the current instant.
    """

    def __init__(self, database: Database, references: References, clock: Callable[[], datetime]) -> None:
        self.database = database
        self.references = references
        self.clock = clock

    async def cancel(self, application_id: str, reason: str, caller: Caller) -> Application:
        """Cancel an application of ``caller`` from DRAFT, SUBMITTED, PROCESSING or OFFERED.

        Raises:
            InvalidArgument: a malformed id, a missing or too long reason.
            NotFound: no such application (or one of another partner).
            FailedPrecondition: a final or approved status, or an active policy (nothing changes).
            Unavailable: core_app could not be asked about the policy.
        """
        parsed = _check_request(application_id, ApplicationStatus.CANCELLED, reason)
        async with self.database.reader() as session:
            application = await repository.get_application(session, parsed, caller.scope)
        if application is None:
            raise NotFound(f"Application {parsed!r} does not exist.")
        if application.status == ApplicationStatus.CANCELLED:
            return application  # a repeated cancel: the state the caller asked for
        check_transition(
            application.number, ApplicationStatus(application.status), ApplicationStatus.CANCELLED
        )
        policy = await self.references.policy_of(parsed)
        if policy is not None and policy.status == ACTIVE_POLICY:
            raise FailedPrecondition(
                f"Application {application.number!r} has the active policy {policy.number!r}, so it cannot "
                "be cancelled; terminate the policy with the insurer instead."
            )
        return await self._change(parsed, ApplicationStatus.CANCELLED, reason, caller)

    async def transition(
        self, application_id: str, target_name: str, reason: str, caller: Caller
    ) -> Application:
        """Move an application of ``caller`` to ``target_name``, appending history and an outbox event.

        Raises:
            InvalidArgument: malformed id, unknown status, or a missing/too long reason.
            NotFound: no such application (or one of another partner).
            FailedPrecondition: the state machine forbids the move (nothing changes).
        """
        target = parse_status(target_name, "to_status")
        parsed = _check_request(application_id, target, reason)
        assert isinstance(target, ApplicationStatus)
        if target == ApplicationStatus.CANCELLED:
            return await self.cancel(parsed, reason, caller)
        return await self._change(parsed, target, reason, caller)

    async def _change(
        self, application_id: str, target: ApplicationStatus, reason: str, caller: Caller
    ) -> Application:
        try:
            async with self.database.transaction() as session:
                application = await repository.lock_application(session, application_id, caller.scope)
                if application is None:
                    raise NotFound(f"Application {application_id!r} does not exist.")
                current = ApplicationStatus(application.status)
                if not (current == target == ApplicationStatus.CANCELLED):  # a concurrent cancel won
                    check_transition(application.number, current, target)
                    await step(session, application, target, reason.strip(), self.clock())
                refreshed = await repository.get_application(session, application_id)
        except StaleDataError as error:
            raise FailedPrecondition(
                f"Application {application_id!r} was changed by another request at the same time; "
                "read it again and retry."
            ) from error
        assert refreshed is not None
        return refreshed

    async def apply_core_event(
        self, event_id: str, event_type: str, application_id: str, reason: str
    ) -> CoreEventOutcome:
        """Apply an event of core_app to an application, exactly once per ``event_id``.

        Raises:
            InvalidArgument: a malformed event id or application id, an unknown event type.
            NotFound: no such application.
            FailedPrecondition: a policy was issued for an application that can no longer be
                completed (CANCELLED, REJECTED); nothing changes and nothing is recorded.
        """
        violations = [v for v in (parse_id(event_id, "event_id"),) if isinstance(v, FieldViolation)]
        parsed = parse_id(application_id, "application_id")
        if isinstance(parsed, FieldViolation):
            violations.append(parsed)
        target = CORE_EVENT_TARGETS.get(event_type)
        if target is None:
            known = ", ".join(sorted(CORE_EVENT_TARGETS))
            violations.append(
                FieldViolation("event_type", f"{event_type!r} is not a core_app event; use one of {known}.")
            )
        violations += check_reason(reason, "reason", required=False)
        if violations or isinstance(parsed, FieldViolation) or target is None:
            raise InvalidArgument.for_fields(violations)
        try:
            return await self._apply(event_id, event_type, parsed, target, reason.strip())
        except IntegrityError:
            # The same event was delivered twice at once and the other delivery recorded it first.
            async with self.database.reader() as session:
                application = await repository.get_application(session, parsed)
            assert application is not None
            return CoreEventOutcome(application, changed=False)

    async def _apply(
        self, event_id: str, event_type: str, application_id: str, target: ApplicationStatus, reason: str
    ) -> CoreEventOutcome:
        async with self.database.transaction() as session:
            seen = await repository.find_inbox_event(session, event_id)
            application = await repository.lock_application(session, application_id)
            if application is None:
                raise NotFound(f"Application {application_id!r} does not exist.")
            if seen is not None:
                refreshed = await repository.get_application(session, application_id)
                assert refreshed is not None
                return CoreEventOutcome(refreshed, changed=False)
            steps = steps_towards(ApplicationStatus(application.status), target)
            if steps is None and event_type == POLICY_ISSUED:
                raise FailedPrecondition(
                    f"Application {application.number!r} is {application.status}; the policy issued for "
                    "it cannot complete it."
                )
            now = self.clock()
            for status in steps or ():
                await step(session, application, status, reason, now)
            repository.add_inbox_event(
                session, event_id, event_type, application_id, "applied" if steps else "unchanged", now
            )
            await session.flush()
            refreshed = await repository.get_application(session, application_id)
        assert refreshed is not None
        return CoreEventOutcome(refreshed, changed=bool(steps))


def _check_request(application_id: str, target: ApplicationStatus | FieldViolation, reason: str) -> str:
    """The canonical id of a state-change request, or ``InvalidArgument`` listing every violation."""
    parsed = parse_id(application_id, "id")
    violations = [v for v in (parsed, target) if isinstance(v, FieldViolation)]
    violations += check_reason(reason, "reason", required=target == ApplicationStatus.CANCELLED)
    if violations or isinstance(parsed, FieldViolation):
        raise InvalidArgument.for_fields(violations)
    return parsed


async def step(
    session: AsyncSession, application: Application, target: ApplicationStatus, reason: str, now: datetime
) -> None:
    """One allowed step to ``target``: the status, its history row and its outbox event.

    The caller holds the row lock; the versioned UPDATE raises ``StaleDataError`` if another
    transaction changed the row anyway (SQLite has no row locks).
    """
    current = application.status
    application.status = target.value
    application.updated_at = now
    if target == ApplicationStatus.CANCELLED:
        application.cancellation_reason = reason
    await session.flush()  # UPDATE … WHERE version = :old; StaleDataError on a race
    repository.add_history_entry(session, application, current, now, reason)
    payload = status_changed_payload(application, current, reason, now)
    repository.add_outbox_event(session, application, APPLICATION_STATUS_CHANGED, payload, now)
    await session.flush()
    if target == ApplicationStatus.CANCELLED:
        await sync_search_document(session, application, new=False)
