"""The use cases of the applications service, each in its own transaction.

``Applications`` validates a request (``domain``, ``paging``, ``state_machine``), runs it in one
transaction through the ``repository``, and writes the outbox event of every state change in
that same transaction. State changes live in ``transitions``; this module creates and reads.
The servicer only converts protobuf to and from these calls.

Every use case takes the ``Caller`` (``grpc_clients.caller``): a partner creates applications it
owns, its idempotency keys are its own, and it reads only what it owns; the first party sees all.
A create checks the client and product it names with their owning services (``references``)
before anything is written: one call per service for a whole batch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from grpc_clients.caller import Caller
from services.applications import repository
from services.applications.domain import (
    ApplicationInput,
    NewApplication,
    check_application_input,
    validate_application_input,
)
from services.applications.events import APPLICATION_CREATED, created_payload
from services.applications.models import Application
from services.applications.paging import (
    Keyset,
    check_list_filter,
    decode_page_token,
    encode_page_token,
    parse_page_size,
)
from services.applications.records import ApplicationRecord
from services.applications.references import ReferenceCheck, References
from services.applications.search import search_applications, sync_search_document
from services.applications.state_machine import ApplicationStatus
from services.applications.transitions import CoreEventOutcome, Transitions
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


def _reference_failure(check: ReferenceCheck, checked: NewApplication, prefix: str) -> ItemFailure | None:
    """Why ``checked`` may not be created given what the owning services said, or None."""
    missing: list[tuple[str, str]] = []
    if checked.client_id in check.missing_clients:
        missing.append(("client_id", f"No client has id {checked.client_id!r}."))
    if checked.product_id in check.missing_products:
        missing.append(("product_id", f"No product has id {checked.product_id!r}."))
    if missing:
        message = " ".join(text for _, text in missing) + " Nothing was created; check the ids."
        violations = tuple(FieldViolation(f"{prefix}.{field}", text) for field, text in missing)
        return ItemFailure("NOT_FOUND", message, violations)
    if checked.product_id in check.inactive_products:
        text = f"Product {checked.product_id!r} is no longer sold; choose an active product."
        return ItemFailure("FAILED_PRECONDITION", text, (FieldViolation(f"{prefix}.product_id", text),))
    return None


def _raise(failure: ItemFailure) -> None:
    if failure.code == "NOT_FOUND":
        raise NotFound(failure.message)
    raise FailedPrecondition(failure.message)


class Applications:
    """The applications use cases over one ``Database``.

    Args:
        database: where the service's tables live.
        references: the services owning the clients, products and policies applications point to.
        clock: the current instant (tests pin it).
    """

    def __init__(
        self, database: Database, *, references: References, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.database = database
        self.references = references
        self.clock = clock
        self.transitions = Transitions(database, references, clock)

    # -- create -----------------------------------------------------------------------------

    async def create(self, raw: ApplicationInput, caller: Caller, prefix: str = "input") -> CreateOutcome:
        """Create an application for ``caller``, or return the one it created earlier with the same key.

        Raises:
            InvalidArgument: the request is invalid (every violation listed).
            AlreadyExists: the key was used by this caller for a different request.
            NotFound: the client or the product does not exist (nothing is written).
            FailedPrecondition: the product is no longer sold.
            Unavailable: the client's or the product's service could not be asked.
        """
        checked = validate_application_input(raw, prefix, today=self.clock().date())
        async with self.database.reader() as session:
            existing = await repository.find_by_idempotency_key(
                session, caller.owner, checked.idempotency_key
            )
        if existing is not None:
            return self._replay(existing, checked)
        check = await self.references.check({checked.client_id}, {checked.product_id})
        if (failure := _reference_failure(check, checked, prefix)) is not None:
            _raise(failure)
        return await self._insert_new(checked, caller)

    async def batch_create(self, raws: Sequence[ApplicationInput], caller: Caller) -> list[BatchItemResult]:
        """Create up to 100 applications for ``caller``, each on its own (one transaction per item).

        Validation, the idempotency look-up (one query) and the reference check (one call per
        owning service) cover the whole batch before the first item is written; an item that
        fails any of them gets its own error and the others proceed.

        Raises:
            InvalidArgument: the batch is empty or has more than 100 items (nothing is written).
            Unavailable: the client's or the product's service could not be asked (nothing is written).
        """
        if not 1 <= len(raws) <= MAX_BATCH_CREATE:
            raise InvalidArgument.for_fields(
                [FieldViolation("inputs", f"A batch has {len(raws)} items; send 1..{MAX_BATCH_CREATE}.")]
            )
        today = self.clock().date()
        outcomes: dict[int, CreateOutcome | ItemFailure] = {}
        pending: dict[int, NewApplication] = {}
        for index, raw in enumerate(raws):
            checked, violations = check_application_input(raw, f"inputs[{index}]", today=today)
            if checked is None:
                outcomes[index] = _failure(InvalidArgument.for_fields(violations))
            else:
                pending[index] = checked
        async with self.database.reader() as session:
            existing = await repository.find_by_idempotency_keys(
                session, caller.owner, [checked.idempotency_key for checked in pending.values()]
            )
        for index, checked in list(pending.items()):
            if (found := existing.get(checked.idempotency_key)) is not None:
                del pending[index]
                try:
                    outcomes[index] = self._replay(found, checked)
                except DomainError as error:
                    outcomes[index] = _failure(error)
        if pending:
            check = await self.references.check(
                {checked.client_id for checked in pending.values()},
                {checked.product_id for checked in pending.values()},
            )
            for index, checked in list(pending.items()):
                if (failure := _reference_failure(check, checked, f"inputs[{index}]")) is not None:
                    del pending[index]
                    outcomes[index] = failure
        for index, checked in pending.items():
            try:
                outcomes[index] = await self._insert_new(checked, caller)
            except DomainError as error:
                outcomes[index] = _failure(error)
        return [BatchItemResult(index, outcomes[index]) for index in range(len(raws))]

    async def _insert_new(self, checked: NewApplication, caller: Caller) -> CreateOutcome:
        try:
            async with self.database.transaction() as session:
                application = await self._insert(session, checked, caller.owner)
        except IntegrityError:
            # A concurrent request with the same key won the race; the UNIQUE constraint stopped us.
            async with self.database.reader() as session:
                existing = await repository.find_by_idempotency_key(
                    session, caller.owner, checked.idempotency_key
                )
            if existing is None:
                raise
            return self._replay(existing, checked)
        return CreateOutcome(application, created=True)

    async def _insert(self, session: AsyncSession, checked: NewApplication, owner: str) -> Application:
        now = self.clock()
        status = ApplicationStatus.SUBMITTED if checked.submit else ApplicationStatus.DRAFT
        number = await repository.allocate_number(session, now.year)
        application = await repository.insert_application(session, checked, number, status.value, now, owner)
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

    # -- state changes (``transitions``) -----------------------------------------------------

    async def cancel(self, application_id: str, reason: str, caller: Caller) -> Application:
        """Cancel an application of ``caller`` (see ``Transitions.cancel``)."""
        return await self.transitions.cancel(application_id, reason, caller)

    async def transition(
        self, application_id: str, target_name: str, reason: str, caller: Caller
    ) -> Application:
        """Move an application of ``caller`` along the state machine (see ``Transitions.transition``)."""
        return await self.transitions.transition(application_id, target_name, reason, caller)

    async def apply_core_event(
        self, event_id: str, event_type: str, application_id: str, reason: str
    ) -> CoreEventOutcome:
        """Apply an event of core_app exactly once (see ``Transitions.apply_core_event``)."""
        return await self.transitions.apply_core_event(event_id, event_type, application_id, reason)

    # -- reads --------------------------------------------------------------------------------

    async def get(self, application_id: str, caller: Caller) -> Application:
        """One application ``caller`` may see.

        Raises:
            InvalidArgument: a malformed id.
            NotFound: no such application, or one of another partner (the same answer, so a
                partner learns nothing of the others' ids).
        """
        parsed = parse_id(application_id, "id")
        if isinstance(parsed, FieldViolation):
            raise InvalidArgument.for_fields([parsed])
        async with self.database.reader() as session:
            application = await repository.get_application(session, parsed, caller.scope)
        if application is None:
            raise NotFound(f"Application {parsed!r} does not exist.")
        return application

    async def batch_get(self, ids: Sequence[str], caller: Caller) -> tuple[list[Application], list[str]]:
        """The applications ``caller`` may see (request order) and the ids that were not found."""
        _check_batch_size(len(ids), "ids")
        canonical = {raw: parsed for raw in ids if isinstance(parsed := parse_id(raw, "ids"), str)}
        async with self.database.reader() as session:
            found = await repository.get_applications(
                session, list(dict.fromkeys(canonical.values())), caller.scope
            )
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
        self, request: ListFilterRequest, page_size: int, page_token: str, caller: Caller
    ) -> tuple[list[Application], str]:
        """One page of ``caller``'s applications (applied_at desc, id desc) and the next token ('' at the end)."""
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
            rows = await repository.list_applications(session, list_filter, after, size + 1, caller.scope)
        page = rows[:size]
        token = ""
        if len(rows) > size:
            last = page[-1]
            token = encode_page_token(Keyset(last.applied_at, last.id), list_filter)
        return page, token

    async def search(self, query: str, limit: int, caller: Caller) -> list[Application]:
        """Full-text search over ``caller``'s applications (any word form of every word), best first."""
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
            return await search_applications(session, query.strip(), size, caller.scope)

    async def list_by_clients(
        self, client_ids: Sequence[str], limit_per_client: int, caller: Caller, *, with_history: bool = True
    ) -> list[tuple[str, list[ApplicationRecord]]]:
        """Each requested client (first-seen order) with its newest applications ``caller`` may see.

        One query in all.

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
                session,
                list(dict.fromkeys(canonical.values())),
                size,
                with_history=with_history,
                scope=caller.scope,
            )
        return [(raw, grouped.get(canonical.get(raw, ""), [])) for raw in dict.fromkeys(client_ids)]


def _check_batch_size(count: int, field: str) -> None:
    if count > MAX_BATCH_IDS:
        raise InvalidArgument.for_fields(
            [FieldViolation(field, f"{count} ids were sent; send at most {MAX_BATCH_IDS} per call.")]
        )
