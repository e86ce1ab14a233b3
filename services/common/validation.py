"""Parsing of request values shared by the services, each failure a field violation."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from google.protobuf.timestamp_pb2 import Timestamp

from services.common.errors import FieldViolation

__all__ = [
    "new_id",
    "optional_date",
    "parse_date",
    "parse_id",
    "timestamp_fields",
    "to_timestamp",
    "utcnow",
]


def new_id() -> str:
    """A new random entity id (UUID4, canonical text form)."""
    return str(uuid.uuid4())


def parse_id(value: str, field: str) -> str | FieldViolation:
    """Return the canonical form of a UUID id, or a violation naming ``field``."""
    try:
        return str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError):
        return FieldViolation(field, f"{value!r} is not a valid id; ids are UUIDs such as '2f1c…-…'.")


def parse_date(value: str, field: str, *, not_future: bool = False) -> date | FieldViolation:
    """Parse an ISO 8601 calendar date (``YYYY-MM-DD``); impossible dates are violations."""
    try:
        parsed = date.fromisoformat(value)
    except (ValueError, TypeError):
        return FieldViolation(field, f"{value!r} is not a valid date; use YYYY-MM-DD, e.g. '2025-03-01'.")
    if not_future and parsed > utcnow().date():
        return FieldViolation(field, f"{value!r} is in the future.")
    return parsed


def optional_date(value: str, field: str, *, not_future: bool = False) -> date | FieldViolation | None:
    """Like ``parse_date`` but an empty string means no date."""
    if not value:
        return None
    return parse_date(value, field, not_future=not_future)


def utcnow() -> datetime:
    """The current instant, timezone-aware UTC."""
    return datetime.now(UTC)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def timestamp_fields(value: datetime) -> dict[str, int]:
    """The fields of a ``Timestamp`` for ``value`` (naive means UTC), for building protos from dicts.

    Passing them as a dict is ~5x cheaper than letting the runtime convert a datetime (its
    ``FromDatetime`` is pure Python), and batch replies carry thousands of instants.
    """
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    delta = value - _EPOCH
    return {"seconds": delta.days * 86_400 + delta.seconds, "nanos": delta.microseconds * 1000}


def to_timestamp(value: datetime | None) -> Timestamp | None:
    """A protobuf Timestamp for ``value`` (naive datetimes are taken as UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp
