"""SQLAlchemy models of the core backend: catalog, policies, OSAGO quotes and the outbox to applications.

Ids are UUIDs in canonical text form (``String(36)``) so the same models run on PostgreSQL and
SQLite. Money is integer kopecks. Instants are stored timezone-aware and always read back as UTC
(SQLite drops the offset, so ``UtcDateTime`` restores it).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "Base",
    "Insurer",
    "Offer",
    "OutboxEvent",
    "Policy",
    "Product",
    "QuoteSession",
    "Tariff",
    "UtcDateTime",
    "metadata",
]

_NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=_NAMING)


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware ``DateTime`` that always returns UTC-aware values (SQLite included)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        # SQLite stores text; keep one canonical offset-free form so ordering is lexicographic.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of the core_app models."""

    metadata = metadata


class Product(Base):
    """An insurance product sold through the marketplace (``LIFE-BASIC``, ``OSAGO-STD`` …)."""

    __tablename__ = "products"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Insurer(Base):
    """An insurance company integrated with the marketplace."""

    __tablename__ = "insurers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    license_number: Mapped[str] = mapped_column(String(40))
    rating: Mapped[float] = mapped_column(Float)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Tariff(Base):
    """The price rules of one product at one insurer for a validity period."""

    __tablename__ = "tariffs"
    __table_args__ = (
        UniqueConstraint("product_id", "insurer_id", "valid_from"),
        Index("ix_tariffs_validity", "valid_from", "valid_to"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)
    insurer_id: Mapped[str] = mapped_column(ForeignKey("insurers.id"), index=True)
    base_premium_kopecks: Mapped[int] = mapped_column(BigInteger)
    rate_percent: Mapped[float] = mapped_column(Float)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    refreshed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Policy(Base):
    """An issued insurance policy."""

    __tablename__ = "policies"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    client_id: Mapped[str] = mapped_column(String(36), index=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    insurer_id: Mapped[str] = mapped_column(ForeignKey("insurers.id"))
    application_id: Mapped[str | None] = mapped_column(String(36), index=True)
    offer_id: Mapped[str | None] = mapped_column(ForeignKey("offers.id"), unique=True)
    premium_kopecks: Mapped[int] = mapped_column(BigInteger)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)


class QuoteSession(Base):
    """One OSAGO quote request: the inputs every insurer was asked to price."""

    __tablename__ = "quote_sessions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    application_id: Mapped[str] = mapped_column(String(36), index=True)
    owner: Mapped[str] = mapped_column(String(72))
    """The owner of the application (``grpc_clients.caller.Caller.owner``): only it (and the first
    party) may read the session, watch its offers and turn one into a policy."""
    client_id: Mapped[str] = mapped_column(String(36))
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    engine_power_hp: Mapped[int] = mapped_column(Integer)
    region: Mapped[str] = mapped_column(String(8))
    driver_age: Mapped[int] = mapped_column(Integer)
    driver_experience_years: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Offer(Base):
    """One insurer's answer within a quote session; PENDING until it settles."""

    __tablename__ = "offers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("quote_sessions.id"), index=True)
    application_id: Mapped[str] = mapped_column(String(36), index=True)
    insurer_id: Mapped[str] = mapped_column(ForeignKey("insurers.id"))
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    status: Mapped[str] = mapped_column(String(16))
    premium_kopecks: Mapped[int | None] = mapped_column(BigInteger)
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)
    settled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    valid_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    failure_reason: Mapped[str] = mapped_column(Text, default="")


_BigId = BigInteger().with_variant(Integer(), "sqlite")


class OutboxEvent(Base):
    """An event for the applications service, written in the transaction of the change it reports.

    ``offer.made`` is written when an offer settles OFFERED, ``policy.issued`` with the policy.
    The relay (``services.core_app.outbox_relay``) delivers rows in ``id`` order and sets
    ``delivered_at`` and ``outcome`` only once applications answered, so nothing is lost; the
    applications inbox makes a redelivery a no-op, so nothing is applied twice.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        Index(
            "ix_outbox_undelivered",
            "id",
            postgresql_where="delivered_at IS NULL",
            sqlite_where="delivered_at IS NULL",
        ),
    )

    id: Mapped[int] = mapped_column(_BigId, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    event_type: Mapped[str] = mapped_column(String(32))
    """A ``CoreEventType`` name of the applications proto: ``OFFER_MADE`` or ``POLICY_ISSUED``."""
    application_id: Mapped[str] = mapped_column(String(36))
    subject_id: Mapped[str] = mapped_column(String(36))
    """The offer (``OFFER_MADE``) or the policy (``POLICY_ISSUED``) the event is about."""
    reason: Mapped[str] = mapped_column(Text)
    """Recorded in the application's status history."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    outcome: Mapped[str] = mapped_column(String(16), default="")
    """``applied``, ``unchanged`` or ``refused`` (applications could not apply it)."""
