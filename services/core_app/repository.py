"""SQLAlchemy queries of the core_app service; no business rules live here.

Every batch function issues exactly one statement (``WHERE … IN (…)``), whatever the number of
ids, so a dataloader resolving N keys costs one round trip.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime

from sqlalchemy import and_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.validation import new_id
from services.core_app.models import Insurer, Offer, OutboxEvent, Policy, Product, QuoteSession, Tariff

__all__ = [
    "add_outbox_event",
    "add_policy",
    "add_quote_session",
    "expire_stale_offers",
    "fail_pending_offers",
    "fetch_undelivered",
    "find_osago_product",
    "get_insurers",
    "get_offer",
    "get_offer_for_update",
    "get_policies",
    "get_policy_by_offer",
    "get_products",
    "get_quote_session",
    "list_insurers",
    "list_offers_by_applications",
    "list_policies_by_applications",
    "list_policies_by_clients",
    "list_products",
    "list_session_offers",
    "list_tariffs",
    "list_tariffs_with_insurers",
    "mark_delivered",
    "mark_offer_accepted",
    "settle_offer",
    "terminate_policy",
]

_OFFER_ORDER = (Offer.settled_at.asc().nulls_last(), Offer.requested_at, Offer.id)


async def list_products(
    session: AsyncSession, *, kind: str | None, include_inactive: bool
) -> Sequence[Product]:
    """Products, optionally of one kind, active ones only unless ``include_inactive``."""
    query = select(Product).order_by(Product.code)
    if kind is not None:
        query = query.where(Product.kind == kind)
    if not include_inactive:
        query = query.where(Product.active.is_(True))
    return (await session.scalars(query)).all()


async def get_products(session: AsyncSession, ids: Collection[str]) -> Sequence[Product]:
    """The products among ``ids`` (one query)."""
    return (await session.scalars(select(Product).where(Product.id.in_(ids)))).all()


async def find_osago_product(session: AsyncSession) -> Product | None:
    """The active OSAGO product (the first by code if several exist)."""
    query = (
        select(Product)
        .where(Product.kind == "OSAGO", Product.active.is_(True))
        .order_by(Product.code)
        .limit(1)
    )
    return (await session.scalars(query)).first()


async def list_insurers(session: AsyncSession, *, include_inactive: bool) -> Sequence[Insurer]:
    """Insurers by name, active ones only unless ``include_inactive``."""
    query = select(Insurer).order_by(Insurer.name)
    if not include_inactive:
        query = query.where(Insurer.active.is_(True))
    return (await session.scalars(query)).all()


async def get_insurers(session: AsyncSession, ids: Collection[str]) -> Sequence[Insurer]:
    """The insurers among ``ids`` (one query)."""
    return (await session.scalars(select(Insurer).where(Insurer.id.in_(ids)))).all()


async def list_tariffs(
    session: AsyncSession, *, product_id: str | None, insurer_id: str | None, valid_on: date
) -> Sequence[Tariff]:
    """Tariffs valid on ``valid_on``, optionally of one product and/or insurer."""
    query = select(Tariff).where(Tariff.valid_from <= valid_on, Tariff.valid_to >= valid_on)
    if product_id is not None:
        query = query.where(Tariff.product_id == product_id)
    if insurer_id is not None:
        query = query.where(Tariff.insurer_id == insurer_id)
    return (await session.scalars(query.order_by(Tariff.product_id, Tariff.insurer_id))).all()


async def list_tariffs_with_insurers(
    session: AsyncSession, *, product_id: str, valid_on: date
) -> Sequence[tuple[Tariff, Insurer]]:
    """Each active insurer with its tariff of ``product_id`` valid on ``valid_on`` (one query)."""
    query = (
        select(Tariff, Insurer)
        .join(Insurer, Insurer.id == Tariff.insurer_id)
        .where(
            Tariff.product_id == product_id,
            Tariff.valid_from <= valid_on,
            Tariff.valid_to >= valid_on,
            Insurer.active.is_(True),
        )
        .order_by(Insurer.code)
    )
    return [(tariff, insurer) for tariff, insurer in (await session.execute(query)).all()]


async def get_policies(session: AsyncSession, ids: Collection[str]) -> Sequence[Policy]:
    """The policies among ``ids`` (one query)."""
    return (await session.scalars(select(Policy).where(Policy.id.in_(ids)))).all()


async def list_policies_by_clients(session: AsyncSession, client_ids: Collection[str]) -> Sequence[Policy]:
    """Every policy of the given clients, newest first (one query)."""
    query = (
        select(Policy).where(Policy.client_id.in_(client_ids)).order_by(Policy.issued_at.desc(), Policy.id)
    )
    return (await session.scalars(query)).all()


async def list_policies_by_applications(
    session: AsyncSession, application_ids: Collection[str]
) -> Sequence[Policy]:
    """The policies issued for the given applications (one query)."""
    query = (
        select(Policy)
        .where(Policy.application_id.in_(application_ids))
        .order_by(Policy.issued_at.desc(), Policy.id)
    )
    return (await session.scalars(query)).all()


async def get_policy_by_offer(session: AsyncSession, offer_id: str) -> Policy | None:
    """The policy issued from ``offer_id``, if any."""
    return (await session.scalars(select(Policy).where(Policy.offer_id == offer_id))).first()


async def add_policy(session: AsyncSession, policy: Policy) -> None:
    """Insert ``policy`` (flushed, so unique violations surface here)."""
    session.add(policy)
    await session.flush()


async def add_quote_session(session: AsyncSession, quote: QuoteSession, offers: Sequence[Offer]) -> None:
    """Insert a quote session with its pending offers."""
    session.add(quote)
    await session.flush()
    session.add_all(offers)
    await session.flush()


async def get_quote_session(session: AsyncSession, session_id: str) -> QuoteSession | None:
    """The quote session ``session_id``, if it exists."""
    return await session.get(QuoteSession, session_id)


async def list_session_offers(session: AsyncSession, session_id: str) -> Sequence[Offer]:
    """The offers of one session: settled ones in arrival order, then pending ones."""
    query = select(Offer).where(Offer.session_id == session_id).order_by(*_OFFER_ORDER)
    return (await session.scalars(query)).all()


async def list_offers_by_applications(
    session: AsyncSession, application_ids: Collection[str]
) -> Sequence[Offer]:
    """Every offer of the given applications, across their quote sessions (one query)."""
    query = (
        select(Offer)
        .where(Offer.application_id.in_(application_ids))
        .order_by(Offer.application_id, *_OFFER_ORDER)
    )
    return (await session.scalars(query)).all()


async def get_offer(session: AsyncSession, offer_id: str) -> tuple[Offer, QuoteSession] | None:
    """An offer and its session, without a lock."""
    query = select(Offer, QuoteSession).join(QuoteSession, QuoteSession.id == Offer.session_id)
    row = (await session.execute(query.where(Offer.id == offer_id))).first()
    return None if row is None else (row[0], row[1])


async def get_offer_for_update(session: AsyncSession, offer_id: str) -> tuple[Offer, QuoteSession] | None:
    """An offer and its session, the offer row locked until the transaction ends (PostgreSQL)."""
    query = (
        select(Offer, QuoteSession)
        .join(QuoteSession, QuoteSession.id == Offer.session_id)
        .where(Offer.id == offer_id)
        .with_for_update(of=Offer)
    )
    row = (await session.execute(query)).first()
    return None if row is None else (row[0], row[1])


async def settle_offer(
    session: AsyncSession,
    offer_id: str,
    *,
    status: str,
    settled_at: datetime,
    premium_kopecks: int | None = None,
    valid_until: datetime | None = None,
    failure_reason: str = "",
) -> bool:
    """Record an insurer's answer; a no-op (``False``) unless the offer is still PENDING."""
    statement = (
        update(Offer)
        .where(Offer.id == offer_id, Offer.status == "PENDING")
        .values(
            status=status,
            settled_at=settled_at,
            premium_kopecks=premium_kopecks,
            valid_until=valid_until,
            failure_reason=failure_reason,
        )
    )
    result = await session.execute(statement)
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def mark_offer_accepted(session: AsyncSession, offer_id: str) -> None:
    """Move an OFFERED offer to ACCEPTED."""
    await session.execute(
        update(Offer).where(Offer.id == offer_id, Offer.status == "OFFERED").values(status="ACCEPTED")
    )


async def expire_stale_offers(
    session: AsyncSession, session_id: str, *, requested_before: datetime, now: datetime, reason: str
) -> int:
    """Settle as TIMED_OUT the offers of a session still PENDING since before ``requested_before``."""
    statement = (
        update(Offer)
        .where(
            and_(
                Offer.session_id == session_id,
                Offer.status == "PENDING",
                Offer.requested_at < requested_before,
            )
        )
        .values(status="TIMED_OUT", settled_at=now, failure_reason=reason)
    )
    result = await session.execute(statement)
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


async def fail_pending_offers(
    session: AsyncSession, offer_ids: Collection[str], *, now: datetime, reason: str
) -> int:
    """Settle as FAILED those of ``offer_ids`` that are still PENDING (one statement)."""
    statement = (
        update(Offer)
        .where(Offer.id.in_(offer_ids), Offer.status == "PENDING")
        .values(status="FAILED", settled_at=now, failure_reason=reason)
    )
    result = await session.execute(statement)
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


def add_outbox_event(
    session: AsyncSession, event_type: str, application_id: str, subject_id: str, reason: str, at: datetime
) -> OutboxEvent:
    """Stage an event for the applications service in the caller's transaction."""
    event = OutboxEvent(
        event_id=new_id(),
        event_type=event_type,
        application_id=application_id,
        subject_id=subject_id,
        reason=reason,
        created_at=at,
        delivered_at=None,
        outcome="",
    )
    session.add(event)
    return event


async def fetch_undelivered(session: AsyncSession, limit: int) -> Sequence[OutboxEvent]:
    """The oldest ``limit`` undelivered events, in write order (one relay per database)."""
    query = (
        select(OutboxEvent).where(OutboxEvent.delivered_at.is_(None)).order_by(OutboxEvent.id).limit(limit)
    )
    return (await session.scalars(query)).all()


async def mark_delivered(session: AsyncSession, outbox_id: int, outcome: str, at: datetime) -> None:
    """Record that applications answered event ``outbox_id`` with ``outcome``."""
    await session.execute(
        update(OutboxEvent)
        .where(OutboxEvent.id == outbox_id, OutboxEvent.delivered_at.is_(None))
        .values(delivered_at=at, outcome=outcome)
    )


async def terminate_policy(session: AsyncSession, policy_id: str) -> bool:
    """Move an ACTIVE policy to TERMINATED; ``False`` when it was not ACTIVE."""
    result = await session.execute(
        update(Policy).where(Policy.id == policy_id, Policy.status == "ACTIVE").values(status="TERMINATED")
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1
