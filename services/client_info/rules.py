"""Field rules of the client card, each check adding field violations to a shared collector.

Every request is checked completely before anything is written: each check records what is
wrong with its field and returns the clean value (or ``None``), so one ``InvalidArgument``
lists every problem. The checks are pure; "today" is passed in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import TypeVar

from services.client_info.documents import (
    DOCUMENT_RULES,
    DocumentType,
    check_document_number,
    normalize_document_number,
)
from services.client_info.inputs import AddressInput, DocumentInput, RelativeInput
from services.client_info.records import Address, AddressKind, Document, RelationType, Relative
from services.common.errors import FieldViolation, InvalidArgument

__all__ = [
    "MAX_AGE_YEARS",
    "Violations",
    "check_address",
    "check_addresses",
    "check_birth_date",
    "check_date",
    "check_document",
    "check_email",
    "check_enum",
    "check_name",
    "check_phone",
    "check_relative",
    "normalize_phone",
]

MAX_AGE_YEARS = 120
_MAX_NAME = 100
_NAME = re.compile(r"[A-Za-zА-Яа-яЁё]+(?:[ -][A-Za-zА-Яа-яЁё]+)*")
_PHONE_FORMATTING = str.maketrans("", "", " -()\u00a0")
_E164 = re.compile(r"\+[1-9][0-9]{7,14}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]{2,}")
_POSTAL_CODE = re.compile(r"[0-9]{6}")
_ADDRESS_LIMITS = {"region": 100, "city": 100, "street": 200, "house": 20, "apartment": 20}

_E = TypeVar("_E", bound=StrEnum)


class Violations:
    """Collects the field violations of one request, in request order."""

    def __init__(self) -> None:
        self.items: list[FieldViolation] = []

    def add(self, field: str, description: str) -> None:
        """Record that ``field`` is invalid."""
        self.items.append(FieldViolation(field, description))

    def raise_if_any(self) -> None:
        """Raise one ``InvalidArgument`` listing every violation recorded so far.

        Raises:
            InvalidArgument: when at least one violation was recorded.
        """
        if self.items:
            raise InvalidArgument.for_fields(self.items)


def check_enum(value: str, enum: type[_E], field: str, violations: Violations) -> _E | None:
    """The member of ``enum`` named ``value``."""
    try:
        return enum(value)
    except ValueError:
        accepted = ", ".join(member.value for member in enum)
        violations.add(field, f"{field!r} is required and must be one of {accepted}; got {value!r}.")
        return None


def check_name(value: str, field: str, violations: Violations, *, required: bool = True) -> str:
    """A personal name: Cyrillic or Latin letters, single spaces or hyphens between them."""
    name = value.strip()
    if not name:
        if required:
            violations.add(field, f"{field!r} is required.")
        return name
    if len(name) > _MAX_NAME:
        violations.add(field, f"{field!r} is longer than {_MAX_NAME} characters ({len(name)}).")
    elif not _NAME.fullmatch(name):
        violations.add(
            field,
            f"{field!r} may contain only Cyrillic or Latin letters, with a space or hyphen between "
            f"parts (e.g. 'Римский-Корсаков'); got {name!r}.",
        )
    return name


def check_date(value: str, field: str, violations: Violations, *, today: date) -> date | None:
    """A calendar date in ``YYYY-MM-DD`` that is not in the future."""
    parsed = _parse_any_date(value, field, violations)
    if parsed is not None and parsed > today:
        violations.add(field, f"{field!r} {value!r} is in the future; today is {today.isoformat()}.")
        return None
    return parsed


def check_birth_date(value: str, field: str, violations: Violations, *, today: date) -> date | None:
    """A birth date: required, not in the future, at most ``MAX_AGE_YEARS`` ago."""
    if not value.strip():
        violations.add(field, f"{field!r} is required (YYYY-MM-DD).")
        return None
    born = check_date(value, field, violations, today=today)
    if born is not None and _years_between(born, today) > MAX_AGE_YEARS:
        violations.add(field, f"{field!r} {value!r} means an age over {MAX_AGE_YEARS} years; check the year.")
        return None
    return born


def normalize_phone(value: str) -> str:
    """The phone without the spaces, hyphens and parentheses people type."""
    return value.strip().translate(_PHONE_FORMATTING)


def check_phone(value: str, field: str, violations: Violations) -> str | None:
    """A phone number in E.164; Russian numbers are ``+7`` and ten digits."""
    phone = normalize_phone(value)
    if not phone:
        violations.add(field, f"{field!r} is required, in E.164 form such as '+79161234567'.")
        return None
    russian_ok = not phone.startswith("+7") or len(phone) == 12
    if not _E164.fullmatch(phone) or not russian_ok:
        violations.add(
            field,
            f"{value!r} is not an E.164 phone number; use '+' and the country code, e.g. '+79161234567' "
            "(Russia: +7 and 10 digits).",
        )
        return None
    return phone


def check_email(value: str, field: str, violations: Violations) -> str:
    """An e-mail address of the form ``name@domain.tld``; empty means none."""
    email = value.strip()
    if email and (len(email) > 254 or not _EMAIL.fullmatch(email)):
        violations.add(field, f"{value!r} is not an e-mail address such as 'ivan.petrov@example.ru'.")
    return email


def check_address(raw: AddressInput, field: str, violations: Violations) -> Address | None:
    """A postal address: kind and city are required; a postal code has six digits."""
    kind = check_enum(raw.kind, AddressKind, f"{field}.kind", violations)
    values = {name: getattr(raw, name).strip() for name in (*_ADDRESS_LIMITS, "postal_code")}
    if not values["city"]:
        violations.add(f"{field}.city", f"'{field}.city' is required.")
    for name, limit in _ADDRESS_LIMITS.items():
        if len(values[name]) > limit:
            violations.add(f"{field}.{name}", f"'{field}.{name}' is longer than {limit} characters.")
    if values["postal_code"] and not _POSTAL_CODE.fullmatch(values["postal_code"]):
        violations.add(
            f"{field}.postal_code",
            f"{raw.postal_code!r} is not a Russian postal code; it has six digits, e.g. '630099'.",
        )
    if kind is None:
        return None
    return Address(kind=kind, **values)


def check_addresses(raws: Sequence[AddressInput], field: str, violations: Violations) -> tuple[Address, ...]:
    """Addresses of one client: each valid, at most one of each kind."""
    addresses: list[Address] = []
    seen: set[AddressKind] = set()
    for index, raw in enumerate(raws):
        address = check_address(raw, f"{field}[{index}]", violations)
        if address is None:
            continue
        if address.kind in seen:
            violations.add(
                f"{field}[{index}].kind",
                f"A client has one {address.kind.value} address; {field} lists it twice.",
            )
        seen.add(address.kind)
        addresses.append(address)
    return tuple(addresses)


def check_document(
    raw: DocumentInput,
    field: str,
    violations: Violations,
    *,
    document_id: str,
    today: date,
    birth_date: date | None,
) -> Document | None:
    """A document: number per type, issued after birth and not in the future, expiring after issue."""
    kind = check_enum(raw.type, DocumentType, f"{field}.type", violations)
    number = normalize_document_number(raw.number)
    if kind is not None and (problem := check_document_number(kind, number)):
        violations.add(f"{field}.number", problem)
    issued = None
    if raw.issue_date.strip():
        issued = check_date(raw.issue_date, f"{field}.issue_date", violations, today=today)
    elif kind is not None and DOCUMENT_RULES[kind].issue_date_required:
        violations.add(f"{field}.issue_date", f"'{field}.issue_date' is required for a {kind.value}.")
    if issued is not None and birth_date is not None and issued <= birth_date:
        violations.add(
            f"{field}.issue_date",
            f"'{field}.issue_date' {issued.isoformat()} is not after the birth date {birth_date.isoformat()}.",
        )
    expires = None
    if raw.expiry_date.strip():
        expires = _parse_any_date(raw.expiry_date, f"{field}.expiry_date", violations)
    if expires is not None and issued is not None and expires <= issued:
        violations.add(
            f"{field}.expiry_date",
            f"'{field}.expiry_date' {expires.isoformat()} is not after the issue date {issued.isoformat()}.",
        )
    issuer = raw.issuer.strip()
    if len(issuer) > 200:
        violations.add(f"{field}.issuer", f"'{field}.issuer' is longer than 200 characters.")
    if kind is None:
        return None
    return Document(document_id, kind, number, issued, expires, issuer)


def check_relative(
    raw: RelativeInput, field: str, violations: Violations, *, relative_id: str, today: date
) -> Relative | None:
    """A relative: relation, names and a birth date that is not in the future."""
    relation = check_enum(raw.relation, RelationType, f"{field}.relation", violations)
    last_name = check_name(raw.last_name, f"{field}.last_name", violations)
    first_name = check_name(raw.first_name, f"{field}.first_name", violations)
    middle_name = check_name(raw.middle_name, f"{field}.middle_name", violations, required=False)
    born = check_birth_date(raw.birth_date, f"{field}.birth_date", violations, today=today)
    if relation is None or born is None:
        return None
    return Relative(relative_id, relation, last_name, first_name, middle_name, born)


def _parse_any_date(value: str, field: str, violations: Violations) -> date | None:
    """A calendar date in ``YYYY-MM-DD``, past or future (impossible dates such as 02-30 fail)."""
    text = value.strip()
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        violations.add(field, f"{value!r} is not a valid date; use YYYY-MM-DD, e.g. '1985-04-12'.")
        return None


def _years_between(earlier: date, later: date) -> int:
    """Full years from ``earlier`` to ``later`` (an age)."""
    before_birthday = (later.month, later.day) < (earlier.month, earlier.day)
    return later.year - earlier.year - before_birthday
