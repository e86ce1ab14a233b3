"""The client card's tables: clients and the documents, relatives, vehicles and addresses they own.

The three profile sections (employment, health, marketing) are small typed records that are
always read with the card, so each lives in a JSON column on ``clients`` rather than a table.
``search_key`` and ``phone_digits`` are derived columns maintained by the domain so that search
is a plain ``LIKE`` on both PostgreSQL and SQLite (SQLite's ``lower()`` only folds ASCII).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, MetaData, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "AddressRow",
    "Base",
    "ClientRow",
    "DocumentRow",
    "RelativeRow",
    "VehicleRow",
    "metadata",
]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class Base(DeclarativeBase):
    """Declarative base of the client_info service (its own metadata, no schema name)."""

    metadata = metadata


def _client_fk() -> Mapped[str]:
    return mapped_column(String(36), ForeignKey("clients.id", ondelete="CASCADE"), nullable=False)


class ClientRow(Base):
    """One client (a natural person) and their profile sections."""

    __tablename__ = "clients"
    __table_args__ = (Index(None, "last_name", "first_name", "id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str] = mapped_column(String(100), default="")
    birth_date: Mapped[date] = mapped_column(Date)
    phone: Mapped[str] = mapped_column(String(16))
    phone_digits: Mapped[str] = mapped_column(String(15))
    """The phone without '+', searched by substring."""
    email: Mapped[str] = mapped_column(String(254), default="")
    search_key: Mapped[str] = mapped_column(String(310))
    """Case-folded 'last first middle' (ё → е), searched by substring."""
    employment: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    health: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    marketing: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AddressRow(Base):
    """One address of a client; the key (client, kind) allows one address of each kind."""

    __tablename__ = "addresses"

    client_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    region: Mapped[str] = mapped_column(String(100), default="")
    city: Mapped[str] = mapped_column(String(100))
    street: Mapped[str] = mapped_column(String(200), default="")
    house: Mapped[str] = mapped_column(String(20), default="")
    apartment: Mapped[str] = mapped_column(String(20), default="")
    postal_code: Mapped[str] = mapped_column(String(6), default="")


class DocumentRow(Base):
    """An identity document; a (type, number) pair belongs to one client only."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("type", "number"),
        UniqueConstraint("client_id", "type"),
        Index(None, "number"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    client_id: Mapped[str] = _client_fk()
    type: Mapped[str] = mapped_column(String(24))
    number: Mapped[str] = mapped_column(String(12))
    """Digits only."""
    issue_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    expiry_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    issuer: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RelativeRow(Base):
    """A relative of a client (spouse, child, parent …), e.g. a beneficiary of a life policy."""

    __tablename__ = "relatives"
    __table_args__ = (Index(None, "client_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    client_id: Mapped[str] = _client_fk()
    relation: Mapped[str] = mapped_column(String(16))
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str] = mapped_column(String(100), default="")
    birth_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class VehicleRow(Base):
    """A vehicle a client owns (for OSAGO/KASKO); a VIN is registered once."""

    __tablename__ = "vehicles"
    __table_args__ = (Index(None, "client_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    client_id: Mapped[str] = _client_fk()
    vin: Mapped[str] = mapped_column(String(17), unique=True)
    plate: Mapped[str] = mapped_column(String(9), default="")
    make: Mapped[str] = mapped_column(String(50))
    model: Mapped[str] = mapped_column(String(50))
    year: Mapped[int] = mapped_column(Integer)
    engine_power_hp: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
