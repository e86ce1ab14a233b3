"""The tables of the applications service: applications, their status history, the outbox, the inbox.

The same models run on PostgreSQL and SQLite. Dialect-specific search structures live only in
the migration: on PostgreSQL a generated ``search_vector`` tsvector column with a GIN index, on
SQLite the FTS5 table ``applications_fts`` (see ``services.applications.search``). Neither is
mapped here, so the ORM never writes to them by accident.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

__all__ = [
    "STATUS_NAMES",
    "Application",
    "ApplicationNumberCounter",
    "Base",
    "InboxEvent",
    "OutboxEvent",
    "StatusHistoryEntry",
    "UTCDateTime",
    "metadata",
]

STATUS_NAMES = (
    "DRAFT",
    "SUBMITTED",
    "PROCESSING",
    "OFFERED",
    "APPROVED",
    "REJECTED",
    "CANCELLED",
    "COMPLETED",
)
"""Every application status, in state-machine order (the proto enum names)."""

_STATUS_CHECK = "status IN (" + ", ".join(f"'{name}'" for name in STATUS_NAMES) + ")"

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[datetime]):
    """An instant stored as ``timestamptz`` on PostgreSQL and as naive UTC text on SQLite.

    SQLite has no time zones: storing naive UTC keeps its text comparisons ordered, and values
    read back are always timezone-aware UTC on both backends.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


_BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    """Declarative base of the service; its ``metadata`` drives the migrations."""

    metadata = metadata


class Application(Base):
    """One insurance application ("заявка")."""

    __tablename__ = "applications"
    __table_args__ = (
        CheckConstraint(_STATUS_CHECK, name="status"),
        CheckConstraint("sum_insured_kopecks > 0", name="sum_insured_positive"),
        CheckConstraint("term_months BETWEEN 1 AND 600", name="term_months_range"),
        Index("ix_applications_applied_at_id", "applied_at", "id"),
        Index("ix_applications_client_id_applied_at_id", "client_id", "applied_at", "id"),
        Index("ix_applications_product_id_applied_at_id", "product_id", "applied_at", "id"),
        Index("ix_applications_status_applied_at_id", "status", "applied_at", "id"),
        Index("ix_applications_owner_applied_at_id", "owner", "applied_at", "id"),
        UniqueConstraint("owner", "idempotency_key"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    """Human-readable number, ``APP-<year>-<6 digits>``, allocated per year without gaps."""
    owner: Mapped[str] = mapped_column(String(72))
    """Who created it: ``partner:<partner id>`` or ``first-party`` (``grpc_clients.caller.Caller.owner``).
    A partner sees only its own applications; idempotency keys are unique per owner."""
    client_id: Mapped[str] = mapped_column(String(36))
    product_id: Mapped[str] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=1)
    """Number of state changes so far; the outbox ``sequence`` of the latest event."""
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    insured_kind: Mapped[str] = mapped_column(String(16))
    insured_description: Mapped[str] = mapped_column(Text, default="")
    sum_insured_kopecks: Mapped[int] = mapped_column(BigInteger)
    term_months: Mapped[int] = mapped_column(Integer)
    vehicle_vin: Mapped[str | None] = mapped_column(String(17))
    vehicle_plate: Mapped[str | None] = mapped_column(String(20))
    vehicle_make: Mapped[str | None] = mapped_column(String(100))
    vehicle_model: Mapped[str | None] = mapped_column(String(100))
    vehicle_year: Mapped[int | None] = mapped_column(Integer)
    vehicle_engine_power_hp: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    cancellation_reason: Mapped[str] = mapped_column(Text, default="")
    idempotency_key: Mapped[str] = mapped_column(String(128))
    request_fingerprint: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the normalized create request, to tell a retry from a reused key."""

    history: Mapped[list[StatusHistoryEntry]] = relationship(
        back_populates="application",
        order_by="StatusHistoryEntry.position",
        lazy="raise",
        cascade="all, delete-orphan",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declarative hook


class StatusHistoryEntry(Base):
    """One status an application entered, in order (``position`` 1 is the creation)."""

    __tablename__ = "status_history"
    __table_args__ = (
        UniqueConstraint("application_id", "position"),
        CheckConstraint(_STATUS_CHECK, name="status"),
    )

    id: Mapped[int] = mapped_column(_BigId, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    from_status: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(Text, default="")

    application: Mapped[Application] = relationship(back_populates="history", lazy="raise")


class OutboxEvent(Base):
    """An event written in the same transaction as the change it describes (transactional outbox).

    A relay reads unpublished rows in ``id`` order, publishes them, and sets ``published_at``.
    ``(aggregate_id, sequence)`` is unique and increases by one per change of an application, so
    consumers can order and deduplicate per application.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("aggregate_id", "sequence"),
        Index(
            "ix_outbox_unpublished",
            "id",
            postgresql_where="published_at IS NULL",
            sqlite_where="published_at IS NULL",
        ),
    )

    id: Mapped[int] = mapped_column(_BigId, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    aggregate_type: Mapped[str] = mapped_column(String(32))
    aggregate_id: Mapped[str] = mapped_column(String(36))
    sequence: Mapped[int] = mapped_column(Integer)
    event_type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class InboxEvent(Base):
    """An event of another service that was applied to an application (transactional inbox).

    Written in the same transaction as the change the event caused, keyed by the sender's event
    id: a redelivered event finds its row and changes nothing, so at-least-once delivery (the
    core_app outbox relay) has an exactly-once effect.
    """

    __tablename__ = "inbox"

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(64))
    application_id: Mapped[str] = mapped_column(String(36), index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    """``applied`` (the status moved) or ``unchanged`` (the status was already there or beyond)."""
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ApplicationNumberCounter(Base):
    """The last application number handed out in a year.

    Incremented with ``UPDATE … RETURNING`` inside the creating transaction: the row lock (or
    SQLite's single writer) serializes allocations, and a rolled-back create returns its number.
    """

    __tablename__ = "application_number_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer, default=0)
