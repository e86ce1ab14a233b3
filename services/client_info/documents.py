"""Identity documents: the number format of each type and the official checksums.

Numbers arrive as people type them (``"4510 123456"``, ``"123-456-789 01"``); spaces and
hyphens are dropped and the digits are stored. SNILS and INN carry check digits defined by the
Pension Fund and the Federal Tax Service; a number whose check digits do not match is a typo.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "DOCUMENT_RULES",
    "DocumentRule",
    "DocumentType",
    "check_document_number",
    "inn_check_digits",
    "normalize_document_number",
    "snils_check_digits",
]


class DocumentType(StrEnum):
    """The document types the client card knows (the proto's ``DocumentType`` names)."""

    PASSPORT_RF = "PASSPORT_RF"
    DRIVER_LICENSE = "DRIVER_LICENSE"
    SNILS = "SNILS"
    INN = "INN"
    FOREIGN_PASSPORT = "FOREIGN_PASSPORT"


@dataclass(frozen=True, slots=True)
class DocumentRule:
    """What a valid document of one type looks like."""

    digits: int
    """How many digits the number has."""
    example: str
    """The number as printed on the document, quoted in error messages."""
    issue_date_required: bool
    """Whether a request must give the issue date (certificates such as SNILS may omit it)."""


DOCUMENT_RULES: dict[DocumentType, DocumentRule] = {
    DocumentType.PASSPORT_RF: DocumentRule(10, "4510 123456", issue_date_required=True),
    DocumentType.DRIVER_LICENSE: DocumentRule(10, "77 12 345678", issue_date_required=True),
    DocumentType.SNILS: DocumentRule(11, "112-233-445 95", issue_date_required=False),
    DocumentType.INN: DocumentRule(12, "500100732259", issue_date_required=False),
    DocumentType.FOREIGN_PASSPORT: DocumentRule(9, "75 1234567", issue_date_required=True),
}

_SEPARATORS = str.maketrans("", "", " -\u00a0")
_INN_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_SNILS_CHECKED_FROM = 1_001_998
"""SNILS numbers up to 001-001-998 were issued before the checksum rule and are not checked."""


def normalize_document_number(value: str) -> str:
    """Drop the spaces and hyphens people type inside document numbers."""
    return value.strip().translate(_SEPARATORS)


def snils_check_digits(first_nine: str) -> str:
    """The two check digits of a SNILS whose first nine digits are ``first_nine``.

    Each digit is weighted by its distance from the end (9 … 1); a sum below 100 is the check
    number itself, 100 and 101 give 00, larger sums are taken modulo 101 (100 again → 00).
    """
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, range(9, 0, -1), strict=True))
    if total > 101:
        total %= 101
    return "00" if total in (100, 101) else f"{total:02d}"


def inn_check_digits(first_ten: str) -> str:
    """The two check digits of a person's 12-digit INN whose first ten digits are ``first_ten``."""
    eleventh = sum(int(d) * w for d, w in zip(first_ten, _INN_WEIGHTS_11, strict=True)) % 11 % 10
    with_eleventh = first_ten + str(eleventh)
    twelfth = sum(int(d) * w for d, w in zip(with_eleventh, _INN_WEIGHTS_12, strict=True)) % 11 % 10
    return f"{eleventh}{twelfth}"


def check_document_number(kind: DocumentType, number: str) -> str | None:
    """Why ``number`` (already normalized) is not a valid ``kind`` number, or None when it is."""
    rule = DOCUMENT_RULES[kind]
    if not number.isascii() or not number.isdigit() or len(number) != rule.digits:
        return (
            f"A {kind.value} number has {rule.digits} digits (spaces and hyphens are allowed), "
            f"e.g. {rule.example!r}; got {number!r}."
        )
    if kind is DocumentType.SNILS and int(number[:9]) > _SNILS_CHECKED_FROM:
        expected = snils_check_digits(number[:9])
        if number[9:] != expected:
            return f"SNILS {number!r} fails its checksum (the check digits should be {expected!r}); check for a typo."
    if kind is DocumentType.INN:
        expected = inn_check_digits(number[:10])
        if number[10:] != expected:
            return f"INN {number!r} fails its checksum (the check digits should be {expected!r}); check for a typo."
    return None
