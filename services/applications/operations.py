"""The use cases of the applications service, each in its own transaction.

``Applications`` validates a request (``domain``, ``paging``, ``state_machine``), runs it in one
transaction through the ``repository``, and writes the outbox event of every state change in
that same transaction. The servicer only converts protobuf to and from these calls.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from services.applications import repository
from services.applications.domain import (
    ApplicationInput,
    NewApplication,
    check_application_input,
    check_reason,
    validate_application_input,
)
from services.applications.events import (
    APPLICATION_CREATED,
    APPLICATION_STATUS_CHANGED,
    created_payload,
    status_changed_payload,
)
from services.applications.models import Application
from services.applications.paging import (
    Keyset,
    check_list_filter,
    decode_page_token,
    encode_page_token,
    parse_page_size,
)
from services.applications.records import ApplicationRecord
from services.applications.search import search_applications, sync_search_document
from services.applications.state_machine import ApplicationStatus, check_transition, parse_status
from services.common.db import Database
from services.common.errors import (
    AlreadyExists,
    DomainError,
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
)
from services.common.validation import parse_id, utcnow

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = [
    "MAX_BATCH_CREATE",
    "MAX_BATCH_IDS",
    "Applications",
    "BatchItemResult",
    "CreateOutcome",
    "ItemFailure",
    "ListFilterRequest",
]

MAX_BATCH_CREATE = 100
MAX_BATCH_IDS = 1000
MAX_QUERY_LENGTH = 500


@dataclass(frozen=True, slots=True)
class CreateOutcome:
    """A created (or replayed) application; ``created`` is False for an idempotent replay."""

    application: Application
    created: bool


@dataclass(frozen=True, slots=True)
class ItemFailure:
    """Why one batch item was not created: a gRPC code name, a message and field violations."""

    code: str
    message: str
    violations: tuple[FieldViolation, ...] = ()


@dataclass(frozen=True, slots=True)
class BatchItemResult:
    """The outcome of the ``index``-th batch item."""

    index: int
    outcome: CreateOutcome | ItemFailure


@dataclass(frozen=True, slots=True)
class ListFilterRequest:
    """A list filter as sent (validated by ``paging.check_list_filter``)."""

    applied_from: str = ""
    applied_to: str = ""
    statuses: tuple[str, ...] = ()
    client_id: str = ""
    product_id: str = ""


def _failure(error: DomainError) -> ItemFailure:
    violations = error.violations if isinstance(error, InvalidArgument) else ()
    return ItemFailure(error.grpc_code.name, error.message, violations)


class Applications:
    """The applications use cases over one ``Database``.

    Args:
        database: where the service's tables live.
        clock: the current instant (tests pin it).
    """

    def __init__(self, database: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.database = database
        self.clock = clock

    # -- create -----------------------------------------------------------------------------

    async def create(self, raw: ApplicationInput, prefix: str = "input") -> CreateOutcome:
        """Create an application, or return the one created earlier with the same idempotency key.

        Raises:
            InvalidArgument: the request is invalid (every violation listed).
            AlreadyExists: the key was used for a different request.
        """
        checked = validate_application_input(raw, prefix, today=self.clock().date())
        return await self._create_checked(checked)

    async def batch_create(self, raws: Sequence[ApplicationInput]) -> list[BatchItemResult]:
        """Create up to 100 applications, each on its own (one transaction per item).

        Raises:
            InvalidArgument: the batch is empty or has more than 100 items (nothing is written).
        """
        if not 1 <= len(raws) <= MAX_BATCH_CREATE:
            raise InvalidArgument.for_fields(
                [FieldViolation("inputs", f"A batch has {len(raws)} items; send 1..{MAX_BATCH_CREATE}.")]
            )
        today = self.clock().date()
        results: list[BatchItemResult] = []
        for index, raw in enumerate(raws):
            checked, violations = check_application_input(raw, f"inputs[{index}]", today=today)
            if checked is None:
                outcome: CreateOutcome | ItemFailure = _failure(InvalidArgument.for_fields(violations))
            else:
                try:
                    outcome = await self._create_checked(checked)
                except DomainError as error:
                    outcome = _failure(error)
            results.append(BatchItemResult(index, outcome))
        return results

    async def _create_checked(self, checked: NewApplication) -> CreateOutcome:
        async with self.database.reader() as session:
            existing = await repository.find_by_idempotency_key(session, checked.idempotency_key)
        if existing is not None:
            return self._replay(existing, checked)
        try:
            async with self.database.transaction() as session:
                application = await self._insert(session, checked)
        except IntegrityError:
            # A concurrent request with the same key won the race; the UNIQUE constraint stopped us.
            async with self.database.reader() as session:
                existing = await repository.find_by_idempotency_key(session, checked.idempotency_key)
            if existing is None:
                raise
            return self._replay(existing, checked)
        return CreateOutcome(application, created=True)

    async def _insert(self, session: AsyncSession, checked: NewApplication) -> Application:
        now = self.clock()
        status = ApplicationStatus.SUBMITTED if checked.submit else ApplicationStatus.DRAFT
        number = await repository.allocate_number(session, now.year)
        application = await repository.insert_application(session, checked, number, status.value, now)
        entry = repository.add_history_entry(session, application, None, now, "")
        repository.add_outbox_event(
            session, application, APPLICATION_CREATED, created_payload(application), now
        )
        await session.flush()  # the history row first: the FTS5 document is keyed by its id
        await sync_search_document(session, application, new=True)
        set_committed_value(application, "history", [entry])
        return application

    @staticmethod
    def _replay(existing: Application, checked: NewApplication) -> CreateOutcome:
        if existing.request_fingerprint != checked.fingerprint:
            raise AlreadyExists(
                f"The idempotency key {checked.idempotency_key!r} was already used for application "
                f"{existing.number!r} with a different request. Resend the original request to get that "
                "application, or use a new key to create another one."
            )
        return CreateOutcome(existing, created=False)

    # -- state changes ----------------------------------------------------------------------

    async def cancel(self, application_id: str, reason: str) -> Application:
        """Cancel an application (only from DRAFT, SUBMITTED, PROCESSING, OFFERED); ``reason`` is required."""
        return await self.transition(application_id, ApplicationStatus.CANCELLED.value, reason)

    async def transition(self, application_id: str, target_name: str, reason: str) -> Application:
        """Move an application to ``target_name``, appending history and an outbox event.

        Raises:
            InvalidArgument: malformed id, unknown status, or a missing/too long reason.
            NotFound: no such application.
            FailedPrecondition: the state machine forbids the move (nothing changes).
        """
        violations: list[FieldViolation] = []
        parsed_id = parse_id(application_id, "id")
        target = parse_status(target_name, "to_status")
        for value in (parsed_id, target):
            if isinstance(value, FieldViolation):
                violations.append(value)
        violations += check_reason(reason, "reason", required=target == ApplicationStatus.CANCELLED)
        if violations or isinstance(parsed_id, FieldViolation) or isinstance(target, FieldViolation):
            raise InvalidArgument.for_fields(violations)
        try:
            async with self.database.transaction() as session:
                application = await repository.lock_application(session, parsed_id)
                if application is None:
                    raise NotFound(f"Application {parsed_id!r} does not exist.")
                current = ApplicationStatus(application.status)
                check_transition(application.number, current, target)
                now = self.clock()
                application.status = target.value
                application.updated_at = now
                if target == ApplicationStatus.CANCELLED:
                    application.cancellation_reason = reason.strip()
                await session.flush()  # UPDATE … WHERE version = :old; StaleDataError on a race
                repository.add_history_entry(session, application, current.value, now, reason.strip())
                payload = status_changed_payload(application, current.value, reason.strip(), now)
                repository.add_outbox_event(session, application, APPLICATION_STATUS_CHANGED, payload, now)
                await session.flush()
                if target == ApplicationStatus.CANCELLED:
                    await sync_search_document(session, application, new=False)
                refreshed = await repository.get_application(session, parsed_id)
        except StaleDataError as error:
            raise FailedPrecondition(
                f"Application {parsed_id!r} was changed by another request at the same time; "
                "read it again and retry."
            ) from error
        assert refreshed is not None
        return refreshed

    # -- reads --------------------------------------------------------------------------------

    async def get(self, application_id: str) -> Application:
        """One application. Raises ``InvalidArgument`` for a malformed id, ``NotFound`` if absent."""
        parsed = parse_id(application_id, "id")
        if isinstance(parsed, FieldViolation):
            raise InvalidArgument.for_fields([parsed])
        async with self.database.reader() as session:
            application = await repository.get_application(session, parsed)
        if application is None:
            raise NotFound(f"Application {parsed!r} does not exist.")
        return application

    async def batch_get(self, ids: Sequence[str]) -> tuple[list[Application], list[str]]:
        """The applications found (in request order) and the ids that were not (malformed ones too)."""
        _check_batch_size(len(ids), "ids")
        canonical = {raw: parsed for raw in ids if isinstance(parsed := parse_id(raw, "ids"), str)}
        async with self.database.reader() as session:
            found = await repository.get_applications(session, list(dict.fromkeys(canonical.values())))
        by_id = {application.id: application for application in found}
        applications: list[Application] = []
        missing: list[str] = []
        for raw in dict.fromkeys(ids):
            application = by_id.get(canonical.get(raw, ""))
            if application is None:
                missing.append(raw)
            else:
                applications.append(application)
        return applications, missing

    async def list_page(
        self, request: ListFilterRequest, page_size: int, page_token: str
    ) -> tuple[list[Application], str]:
        """One page of applications (applied_at desc, id desc) and the token of the next ('' at the end)."""
        list_filter, violations = check_list_filter(
            applied_from=request.applied_from,
            applied_to=request.applied_to,
            statuses=request.statuses,
            client_id=request.client_id,
            product_id=request.product_id,
        )
        size = parse_page_size(page_size, "page_size")
        after: Keyset | FieldViolation | None = None
        if list_filter is not None and page_token:
            after = decode_page_token(page_token, list_filter, "page_token")
        violations += [v for v in (size, after) if isinstance(v, FieldViolation)]
        if (
            violations
            or list_filter is None
            or isinstance(size, FieldViolation)
            or isinstance(after, FieldViolation)
        ):
            raise InvalidArgument.for_fields(violations)
        async with self.database.reader() as session:
            rows = await repository.list_applications(session, list_filter, after, size + 1)
        page = rows[:size]
        token = ""
        if len(rows) > size:
            last = page[-1]
            token = encode_page_token(Keyset(last.applied_at, last.id), list_filter)
        return page, token

    async def search(self, query: str, limit: int) -> list[Application]:
        """Full-text search (any word form of every query word), best match first."""
        violations: list[FieldViolation] = []
        if not query.strip():
            violations.append(FieldViolation("query", "The search query is empty; send at least one word."))
        elif len(query) > MAX_QUERY_LENGTH:
            violations.append(
                FieldViolation("query", f"The query is longer than {MAX_QUERY_LENGTH} characters.")
            )
        size = parse_page_size(limit, "limit")
        if isinstance(size, FieldViolation):
            violations.append(size)
        if violations or isinstance(size, FieldViolation):
            raise InvalidArgument.for_fields(violations)
        async with self.database.reader() as session:
            return await search_applications(session, query.strip(), size)

    async def list_by_clients(
        self, client_ids: Sequence[str], limit_per_client: int, *, with_history: bool = True
    ) -> list[tuple[str, list[ApplicationRecord]]]:
        """Each requested client (first-seen order) with its newest applications; one query in all.

        ``with_history=False`` leaves the status histories out (they are not read at all).
        """
        _check_batch_size(len(client_ids), "client_ids")
        size = parse_page_size(limit_per_client, "limit_per_client")
        if isinstance(size, FieldViolation):
            raise InvalidArgument.for_fields([size])
        canonical = {
            raw: parsed for raw in client_ids if isinstance(parsed := parse_id(raw, "client_ids"), str)
        }
        async with self.database.reader() as session:
            grouped = await repository.list_by_clients(
                session, list(dict.fromkeys(canonical.values())), size, with_history=with_history
            )
        return [(raw, grouped.get(canonical.get(raw, ""), [])) for raw in dict.fromkeys(client_ids)]


def _check_batch_size(count: int, field: str) -> None:
    if count > MAX_BATCH_IDS:
        raise InvalidArgument.for_fields(
            [FieldViolation(field, f"{count} ids were sent; send at most {MAX_BATCH_IDS} per call.")]
        )
