"""List filters, page sizes and opaque keyset page tokens for ``ListApplications``.

A page token is base64url JSON of the last row's keyset ``(applied_at, id)`` plus a short
fingerprint of the filter it was issued for, so a token cannot silently be reused with another
filter. Anything that does not decode exactly is rejected as INVALID_ARGUMENT.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from services.applications.state_machine import ApplicationStatus, parse_status
from services.common.errors import FieldViolation
from services.common.validation import optional_date, parse_id

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "Keyset",
    "ListFilter",
    "check_list_filter",
    "decode_page_token",
    "encode_page_token",
    "parse_page_size",
]

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class ListFilter:
    """Which applications to list; every part is optional."""

    applied_from: date | None = None
    """First applied date, inclusive (UTC)."""
    applied_to: date | None = None
    """Last applied date, inclusive (UTC)."""
    statuses: tuple[ApplicationStatus, ...] = ()
    client_id: str | None = None
    product_id: str | None = None

    @property
    def applied_from_instant(self) -> datetime | None:
        """The first instant included, or None."""
        if self.applied_from is None:
            return None
        return datetime.combine(self.applied_from, time(), UTC)

    @property
    def applied_before_instant(self) -> datetime | None:
        """The first instant after the range (the day after ``applied_to``), or None."""
        if self.applied_to is None:
            return None
        return datetime.combine(self.applied_to + timedelta(days=1), time(), UTC)

    @property
    def fingerprint(self) -> str:
        """A short hash identifying the filter, embedded in page tokens."""
        parts = (
            str(self.applied_from),
            str(self.applied_to),
            ",".join(sorted(self.statuses)),
            str(self.client_id),
            str(self.product_id),
        )
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class Keyset:
    """The position after which the next page starts (ordering is applied_at desc, id desc)."""

    applied_at: datetime
    id: str


def check_list_filter(
    *,
    applied_from: str,
    applied_to: str,
    statuses: Sequence[str],
    client_id: str,
    product_id: str,
    prefix: str = "filter",
) -> tuple[ListFilter | None, list[FieldViolation]]:
    """Validate a list filter: the filter, or None and every violation.

    Dates are inclusive ISO dates; impossible dates (2025-02-30) and ``from > to`` are violations.
    """
    violations: list[FieldViolation] = []
    start = optional_date(applied_from, f"{prefix}.applied_from")
    end = optional_date(applied_to, f"{prefix}.applied_to")
    for bound in (start, end):
        if isinstance(bound, FieldViolation):
            violations.append(bound)
    if isinstance(start, date) and isinstance(end, date) and start > end:
        violations.append(
            FieldViolation(
                f"{prefix}.applied_from",
                f"The first applied date {start.isoformat()} is after the last one {end.isoformat()}; swap them.",
            )
        )
    parsed_statuses: list[ApplicationStatus] = []
    for index, name in enumerate(statuses):
        status = parse_status(name, f"{prefix}.statuses[{index}]")
        if isinstance(status, FieldViolation):
            violations.append(status)
        elif status not in parsed_statuses:
            parsed_statuses.append(status)
    ids: list[str | None] = []
    for name, value in (("client_id", client_id), ("product_id", product_id)):
        parsed_id = parse_id(value, f"{prefix}.{name}") if value else None
        if isinstance(parsed_id, FieldViolation):
            violations.append(parsed_id)
            parsed_id = None
        ids.append(parsed_id)
    if violations or isinstance(start, FieldViolation) or isinstance(end, FieldViolation):
        return None, violations
    return ListFilter(start, end, tuple(parsed_statuses), ids[0], ids[1]), []


def parse_page_size(value: int, field: str) -> int | FieldViolation:
    """The page size to use: 0 means the default; negative or above the maximum is a violation."""
    if value == 0:
        return DEFAULT_PAGE_SIZE
    if not 1 <= value <= MAX_PAGE_SIZE:
        return FieldViolation(
            field, f"{value} is out of range; use 1..{MAX_PAGE_SIZE} (0 means {DEFAULT_PAGE_SIZE})."
        )
    return value


def encode_page_token(keyset: Keyset, list_filter: ListFilter) -> str:
    """The opaque token for the page after ``keyset``."""
    body = {"a": keyset.applied_at.astimezone(UTC).isoformat(), "i": keyset.id, "f": list_filter.fingerprint}
    raw = json.dumps(body, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_page_token(token: str, list_filter: ListFilter, field: str) -> Keyset | FieldViolation:
    """The keyset inside ``token``, or a violation when it was tampered with or issued for another filter."""
    invalid = FieldViolation(
        field, "The page token is not valid; pass the token the previous page ended with, unchanged."
    )
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        body = json.loads(raw)
        applied_at = datetime.fromisoformat(body["a"])
        row_id = parse_id(body["i"], field)
        fingerprint = body["f"]
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError):
        return invalid
    if isinstance(row_id, FieldViolation) or applied_at.tzinfo is None or not isinstance(fingerprint, str):
        return invalid
    if fingerprint != list_filter.fingerprint:
        return FieldViolation(
            field, "The page token was issued for a different filter; repeat the filter of the first page."
        )
    return Keyset(applied_at.astimezone(UTC), row_id)
