"""Plain read-only records of applications, for the batch reads that return thousands of them.

The ORM ``Application`` is what the write paths need (versioned updates, history
relationship). A read of the newest applications of 1,000 clients returns ~2,500 applications
and ~10,000 history entries; building ORM objects for them cost several times the SQL. These
records have the same attribute names, so ``services.applications.convert`` turns either into
a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["ApplicationRecord", "HistoryRecord"]


@dataclass(frozen=True, slots=True)
class HistoryRecord:
    """One status an application entered."""

    status: str
    at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class ApplicationRecord:
    """An application as read (the columns of ``applications`` the messages carry)."""

    id: str
    number: str
    owner: str
    client_id: str
    product_id: str
    status: str
    applied_at: datetime
    updated_at: datetime
    insured_kind: str
    insured_description: str
    sum_insured_kopecks: int
    term_months: int
    vehicle_vin: str | None
    vehicle_plate: str | None
    vehicle_make: str | None
    vehicle_model: str | None
    vehicle_year: int | None
    vehicle_engine_power_hp: int | None
    comment: str
    cancellation_reason: str
    idempotency_key: str
    history: tuple[HistoryRecord, ...] = ()
    """Oldest first; empty when the read did not ask for history."""
