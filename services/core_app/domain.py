"""Business rules of the core_app service: request validation, catalog reads, policy issuance.

Servicers call these with plain Python values and convert the ORM results to protobuf. Every
rule that needs no database is a pure function so it is tested without one.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError

from grpc_clients.caller import Caller
from services.common.db import Database
from services.common.errors import FailedPrecondition, FieldViolation, InvalidArgument, NotFound
from services.common.validation import new_id, optional_date, parse_id
from services.core_app import repository
from services.core_app.applications_peer import FINAL_STATUSES, ApplicationDirectory, ApplicationView
from services.core_app.models import Insurer, Offer, Policy, Product, Tariff
from services.core_app.osago.inputs import QuoteInput

__all__ = [
    "MAX_BATCH_IDS",
    "POLICY_ISSUED",
    "PRODUCT_KINDS",
    "BatchIds",
    "TariffFilter",
    "batch_get_insurers",
    "batch_get_policies",
    "batch_get_products",
    "check_quote_application",
    "effective_policy_status",
    "issue_policy",
    "list_offers_by_applications",
    "list_policies_by_applications",
    "list_policies_by_clients",
    "list_tariffs",
    "parse_batch_ids",
    "parse_issue_request",
    "parse_required_id",
    "parse_tariff_filter",
    "policy_number",
    "policy_term",
]

MAX_BATCH_IDS = 1000
"""The most ids one batch call may carry (the dataloader splits larger batches)."""

PRODUCT_KINDS = ("LIFE", "OSAGO", "KASKO", "TRAVEL", "PROPERTY")

POLICY_ISSUED = "POLICY_ISSUED"
"""The outbox event of an issued policy (``CoreEventType`` of the applications proto)."""


@dataclass(frozen=True, slots=True)
class BatchIds:
    """The ids of a batch request: ``canonical`` maps each valid requested id to its canonical form."""

    requested: tuple[str, ...]
    """Requested ids, first occurrence order, duplicates removed."""
    canonical: dict[str, str]
    """Requested id → canonical UUID text, for the valid ones only."""

    @property
    def lookup(self) -> set[str]:
        """The canonical ids to query."""
        return set(self.canonical.values())


def parse_batch_ids(values: Sequence[str], field: str) -> BatchIds:
    """Validate the size of a batch; ids that are not UUIDs are simply never found.

    Raises:
        InvalidArgument: more than ``MAX_BATCH_IDS`` ids.
    """
    requested = tuple(dict.fromkeys(values))
    if len(requested) > MAX_BATCH_IDS:
        raise InvalidArgument.for_fields(
            [FieldViolation(field, f"{len(requested)} ids requested; send at most {MAX_BATCH_IDS} per call.")]
        )
    canonical: dict[str, str] = {}
    for value in requested:
        parsed = parse_id(value, field)
        if isinstance(parsed, str):
            canonical[value] = parsed
    return BatchIds(requested, canonical)


def parse_issue_request(offer_id: str, client_id: str) -> tuple[str, str]:
    """The canonical offer id and client id (``""`` when no client is named).

    Raises:
        InvalidArgument: listing every malformed id.
    """
    violations: list[FieldViolation] = []
    parsed_offer = parse_id(offer_id, "offer_id")
    if isinstance(parsed_offer, FieldViolation):
        violations.append(parsed_offer)
    parsed_client = parse_id(client_id, "client_id") if client_id else ""
    if isinstance(parsed_client, FieldViolation):
        violations.append(parsed_client)
    if violations:
        raise InvalidArgument.for_fields(violations)
    assert isinstance(parsed_offer, str)
    assert isinstance(parsed_client, str)
    return parsed_offer, parsed_client


def parse_required_id(value: str, field: str) -> str:
    """The canonical id, or INVALID_ARGUMENT naming ``field``."""
    parsed = parse_id(value, field)
    if isinstance(parsed, FieldViolation):
        raise InvalidArgument.for_fields([parsed])
    return parsed


@dataclass(frozen=True, slots=True)
class TariffFilter:
    """Which tariffs ``ListTariffs`` returns."""

    product_id: str | None
    insurer_id: str | None
    valid_on: date


def parse_tariff_filter(product_id: str, insurer_id: str, valid_on: str, *, today: date) -> TariffFilter:
    """Validate the tariff filter (empty values = no filter; no date = ``today``).

    Raises:
        InvalidArgument: listing every malformed field.
    """
    violations: list[FieldViolation] = []
    ids: dict[str, str | None] = {"product_id": None, "insurer_id": None}
    for field, value in (("product_id", product_id), ("insurer_id", insurer_id)):
        if value:
            parsed = parse_id(value, field)
            if isinstance(parsed, FieldViolation):
                violations.append(parsed)
            else:
                ids[field] = parsed
    day = optional_date(valid_on, "valid_on")
    if isinstance(day, FieldViolation):
        violations.append(day)
    if violations:
        raise InvalidArgument.for_fields(violations)
    assert not isinstance(day, FieldViolation)
    return TariffFilter(ids["product_id"], ids["insurer_id"], day or today)


def policy_term(issued_on: date) -> tuple[date, date]:
    """A one-year term starting the day after issue: ``(valid_from, valid_to)`` inclusive."""
    start = issued_on + timedelta(days=1)
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:  # 29 February → 1 March of the next year
        anniversary = date(start.year + 1, 3, 1)
    return start, anniversary - timedelta(days=1)


def effective_policy_status(policy: Policy, today: date) -> str:
    """The policy's status on ``today``: ACTIVE past ``valid_to`` reads EXPIRED (no nightly job needed)."""
    if policy.status == "ACTIVE" and policy.valid_to < today:
        return "EXPIRED"
    return policy.status


def policy_number(insurer_code: str, rng: random.Random | None = None) -> str:
    """A policy number ``POL-<insurer code>-<8 digits>``."""
    digits = rng.randrange(10**8) if rng is not None else secrets.randbelow(10**8)
    return f"POL-{insurer_code}-{digits:08d}"


async def batch_get_products(database: Database, ids: BatchIds) -> tuple[Sequence[Product], list[str]]:
    """The products found and the requested ids that were not (one query)."""
    async with database.reader() as session:
        found = await repository.get_products(session, ids.lookup)
    return found, _missing(ids, {product.id for product in found})


async def batch_get_insurers(database: Database, ids: BatchIds) -> tuple[Sequence[Insurer], list[str]]:
    """The insurers found and the requested ids that were not (one query)."""
    async with database.reader() as session:
        found = await repository.get_insurers(session, ids.lookup)
    return found, _missing(ids, {insurer.id for insurer in found})


async def batch_get_policies(database: Database, ids: BatchIds) -> tuple[Sequence[Policy], list[str]]:
    """The policies found and the requested ids that were not (one query)."""
    async with database.reader() as session:
        found = await repository.get_policies(session, ids.lookup)
    return found, _missing(ids, {policy.id for policy in found})


def _missing(ids: BatchIds, found: set[str]) -> list[str]:
    return [value for value in ids.requested if ids.canonical.get(value) not in found]


async def list_tariffs(database: Database, tariff_filter: TariffFilter) -> Sequence[Tariff]:
    """Tariffs matching the filter."""
    async with database.reader() as session:
        return await repository.list_tariffs(
            session,
            product_id=tariff_filter.product_id,
            insurer_id=tariff_filter.insurer_id,
            valid_on=tariff_filter.valid_on,
        )


async def list_policies_by_clients(database: Database, ids: BatchIds) -> list[tuple[str, list[Policy]]]:
    """For each requested client id (as sent), its policies newest first (one query)."""
    async with database.reader() as session:
        policies = await repository.list_policies_by_clients(session, ids.lookup)
    by_client: dict[str, list[Policy]] = {}
    for policy in policies:
        by_client.setdefault(policy.client_id, []).append(policy)
    return [(value, by_client.get(ids.canonical.get(value, ""), [])) for value in ids.requested]


async def list_policies_by_applications(database: Database, ids: BatchIds) -> Sequence[Policy]:
    """The policies issued for the requested applications (one query)."""
    async with database.reader() as session:
        return await repository.list_policies_by_applications(session, ids.lookup)


async def list_offers_by_applications(database: Database, ids: BatchIds) -> list[tuple[str, list[Offer]]]:
    """For each requested application id (as sent), its offers across sessions (one query)."""
    async with database.reader() as session:
        offers = await repository.list_offers_by_applications(session, ids.lookup)
    by_application: dict[str, list[Offer]] = {}
    for offer in offers:
        by_application.setdefault(offer.application_id, []).append(offer)
    return [(value, by_application.get(ids.canonical.get(value, ""), [])) for value in ids.requested]


async def check_quote_application(
    database: Database, directory: ApplicationDirectory, quote: QuoteInput, caller: Caller
) -> ApplicationView:
    """The application of a quote request, if ``caller`` may ask quotes for it.

    Raises:
        NotFound: no such application, or one of another partner.
        InvalidArgument: the request names another client than the application's.
        FailedPrecondition: the application is final, or not an OSAGO application.
        Unavailable: the applications service could not be asked.
    """
    application = await directory.get(quote.application_id, caller)
    if application.client_id != quote.client_id:
        raise InvalidArgument.for_fields(
            [
                FieldViolation(
                    "client_id", f"Application {application.number!r} is not of client {quote.client_id!r}."
                )
            ]
        )
    if application.status in FINAL_STATUSES:
        raise FailedPrecondition(
            f"Application {application.number!r} is {application.status}; it can no longer receive offers."
        )
    async with database.reader() as session:
        osago = await repository.find_osago_product(session)
    if osago is None or application.product_id != osago.id:
        raise FailedPrecondition(
            f"Application {application.number!r} is not an OSAGO application; only OSAGO is quoted here."
        )
    return application


async def issue_policy(
    database: Database,
    directory: ApplicationDirectory,
    offer_id: str,
    client_id: str,
    *,
    caller: Caller,
    now: datetime,
) -> Policy:
    """Turn an OFFERED, unexpired offer into an ACTIVE policy; the same offer again returns it.

    The application is read first, as ``caller``: a partner reaches only offers of its own
    applications, and an application cancelled or rejected meanwhile takes no policy. Then the
    offer row is locked, the policy inserted, the offer marked ACCEPTED and the
    ``POLICY_ISSUED`` outbox event written in one transaction; the unique ``policies.offer_id``
    makes a concurrent duplicate impossible. The relay then moves the application to COMPLETED.

    Args:
        database: the core_app database.
        directory: the applications service.
        offer_id: the offer to accept (validated UUID).
        client_id: the client accepting it, or ``""`` to skip the ownership check.
        caller: who asks.
        now: the current instant.

    Raises:
        NotFound: the offer (or its application) does not exist for ``caller``.
        FailedPrecondition: the offer belongs to another client, is not OFFERED, has expired, or
            its application is final or already has a policy.
        Unavailable: the applications service could not be asked.
    """
    async with database.reader() as session:
        found = await repository.get_offer(session, offer_id)
    if found is None or not caller.may_see(found[1].owner):
        raise NotFound(f"Offer {offer_id!r} does not exist.")
    offer = found[0]
    if offer.status != "ACCEPTED":
        application = await directory.get(offer.application_id, caller)
        if application.status in FINAL_STATUSES - {"COMPLETED"}:
            raise FailedPrecondition(
                f"Application {application.number!r} is {application.status}; its offers can no longer "
                "become a policy."
            )
    try:
        return await _issue_policy_once(database, offer_id, client_id, now=now)
    except IntegrityError:
        # A concurrent request issued the policy (or drew the same number) first; read its result.
        return await _issue_policy_once(database, offer_id, client_id, now=now)


async def _issue_policy_once(database: Database, offer_id: str, client_id: str, *, now: datetime) -> Policy:
    async with database.transaction() as session:
        found = await repository.get_offer_for_update(session, offer_id)
        if found is None:
            raise NotFound(f"Offer {offer_id!r} does not exist.")
        offer, quote_session = found
        if client_id and quote_session.client_id != client_id:
            raise FailedPrecondition(
                f"Offer {offer_id!r} was quoted for another client, not {client_id!r}; "
                "only that client can accept it."
            )
        if offer.status == "ACCEPTED":
            existing = await repository.get_policy_by_offer(session, offer_id)
            if existing is not None:
                return existing
        if offer.status != "OFFERED":
            raise FailedPrecondition(
                f"Offer {offer_id!r} is {offer.status}, not OFFERED; only an OFFERED offer can become a policy."
            )
        if offer.valid_until is not None and offer.valid_until < now:
            raise FailedPrecondition(
                f"Offer {offer_id!r} expired at {offer.valid_until.isoformat()}; request new quotes."
            )
        if await repository.list_policies_by_applications(session, [offer.application_id]):
            raise FailedPrecondition(
                f"Application {offer.application_id!r} already has a policy; an application takes one."
            )
        insurers = await repository.get_insurers(session, [offer.insurer_id])
        valid_from, valid_to = policy_term(now.date())
        policy = Policy(
            id=new_id(),
            number=policy_number(insurers[0].code),
            client_id=quote_session.client_id,
            product_id=offer.product_id,
            insurer_id=offer.insurer_id,
            application_id=offer.application_id,
            offer_id=offer.id,
            premium_kopecks=offer.premium_kopecks or 0,
            valid_from=valid_from,
            valid_to=valid_to,
            status="ACTIVE",
            issued_at=now,
        )
        await repository.add_policy(session, policy)
        await repository.mark_offer_accepted(session, offer_id)
        reason = f"Policy {policy.number} issued by {insurers[0].name}."
        repository.add_outbox_event(session, POLICY_ISSUED, offer.application_id, policy.id, reason, now)
        return policy
