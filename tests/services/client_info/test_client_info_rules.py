from __future__ import annotations

from datetime import date

import pytest

from services.client_info.inputs import AddressInput, DocumentInput, RelativeInput
from services.client_info.records import AddressKind, Document, RelationType
from services.client_info.rules import (
    Violations,
    check_addresses,
    check_birth_date,
    check_document,
    check_email,
    check_name,
    check_phone,
    check_relative,
)
from services.common.errors import InvalidArgument

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize("name", ["Иванов", "Римский-Корсаков", "Smith", "Анна Мария", "Ёлкин", "O-Neil"])
def test_names_accept_letters_spaces_and_hyphens(name: str) -> None:
    violations = Violations()
    assert check_name(f"  {name} ", "last_name", violations) == name
    assert violations.items == []


@pytest.mark.parametrize(
    "name", ["Иванов1", "Ivan_", "-Анна", "Анна--Мария", "O'Neil", "Анна  Мария", "Я" * 101]
)
def test_names_reject_other_characters(name: str) -> None:
    violations = Violations()
    check_name(name, "last_name", violations)
    assert [v.field for v in violations.items] == ["last_name"]


def test_required_and_optional_names() -> None:
    violations = Violations()
    check_name("  ", "first_name", violations)
    check_name("", "middle_name", violations, required=False)
    assert [(v.field, v.description) for v in violations.items] == [
        ("first_name", "'first_name' is required.")
    ]


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("2025-02-30", "not a valid date"),
        ("1985-4-12", "not a valid date"),
        ("19850412", "not a valid date"),
        ("2026-11-23", "in the future"),
        ("1900-01-01", "over 120"),
        ("", "required"),
    ],
)
def test_birth_date_rules(value: str, needle: str) -> None:
    violations = Violations()
    assert check_birth_date(value, "birth_date", violations, today=TODAY) is None
    assert needle in violations.items[0].description


def test_birth_date_today_and_120_years_are_accepted() -> None:
    violations = Violations()
    assert check_birth_date("2026-11-22", "birth_date", violations, today=TODAY) == TODAY
    assert check_birth_date("1906-11-22", "birth_date", violations, today=TODAY) == date(1906, 11, 22)
    assert violations.items == []


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("+79161234567", "+79161234567"),
        ("+7 (916) 123-45-67", "+79161234567"),
        ("+49 30 123456", "+4930123456"),
        ("+380441234567", "+380441234567"),
    ],
)
def test_phones_in_e164_are_normalized(raw: str, normalized: str) -> None:
    violations = Violations()
    assert check_phone(raw, "phone", violations) == normalized
    assert violations.items == []


@pytest.mark.parametrize(
    "raw", ["89161234567", "+7916123456", "+791612345678", "+0123456789", "+7916abc4567", "", "12"]
)
def test_bad_phones_are_rejected(raw: str) -> None:
    violations = Violations()
    assert check_phone(raw, "phone", violations) is None
    assert violations.items[0].field == "phone"


@pytest.mark.parametrize(
    ("raw", "ok"), [("a@b.ru", True), ("", True), ("a@b", False), ("a b@c.ru", False), ("@c.ru", False)]
)
def test_email_form(raw: str, ok: bool) -> None:
    violations = Violations()
    check_email(raw, "email", violations)
    assert (violations.items == []) is ok


def test_addresses_report_every_problem_and_duplicate_kinds() -> None:
    violations = Violations()
    addresses = check_addresses(
        [
            AddressInput("REGISTRATION", "г. Москва", "Москва", postal_code="101000"),
            AddressInput("REGISTRATION", "г. Москва", "Москва"),
            AddressInput("ADDRESS_KIND_UNSPECIFIED", city=""),
            AddressInput("MAILING", city="Омск", postal_code="6440"),
        ],
        "addresses",
        violations,
    )
    assert [v.field for v in violations.items] == [
        "addresses[1].kind",
        "addresses[2].kind",
        "addresses[2].city",
        "addresses[3].postal_code",
    ]
    assert [a.kind for a in addresses] == [
        AddressKind.REGISTRATION,
        AddressKind.REGISTRATION,
        AddressKind.MAILING,
    ]


def _document(
    raw: DocumentInput, birth: date | None = date(1985, 4, 12)
) -> tuple[Document | None, list[str]]:
    violations = Violations()
    document = check_document(raw, "document", violations, document_id="d", today=TODAY, birth_date=birth)
    return document, [v.field for v in violations.items]


def test_document_is_normalized() -> None:
    document, fields = _document(DocumentInput("SNILS", "112-233-445 95", "", "", " ПФР "))
    assert fields == []
    assert document is not None
    assert document.number == "11223344595"
    assert document.issuer == "ПФР"


@pytest.mark.parametrize(
    ("raw", "fields"),
    [
        (DocumentInput("SNILS", "112-233-445 96"), ["document.number"]),
        (DocumentInput("PASSPORT_RF", "4510 123456"), ["document.issue_date"]),
        (DocumentInput("PASSPORT_RF", "4510 123456", "2030-01-01"), ["document.issue_date"]),
        (DocumentInput("PASSPORT_RF", "4510 123456", "1980-01-01"), ["document.issue_date"]),
        (DocumentInput("PASSPORT_RF", "4510 123456", "2006-02-30"), ["document.issue_date"]),
        (
            DocumentInput("FOREIGN_PASSPORT", "751234567", "2020-01-01", "2019-01-01"),
            ["document.expiry_date"],
        ),
        (
            DocumentInput("FOREIGN_PASSPORT", "751234567", "2020-01-01", "2030-13-01"),
            ["document.expiry_date"],
        ),
        (DocumentInput("DOCUMENT_TYPE_UNSPECIFIED", "1"), ["document.type"]),
        (DocumentInput("7", "1", issuer="x" * 201), ["document.type", "document.issuer"]),
    ],
)
def test_document_violations(raw: DocumentInput, fields: list[str]) -> None:
    document, found = _document(raw)
    assert found == fields
    if "document.type" in fields:
        assert document is None


def test_expiry_in_the_future_is_fine() -> None:
    assert _document(DocumentInput("DRIVER_LICENSE", "77 12 345678", "2020-01-01", "2030-01-01"))[1] == []


def test_relative_rules() -> None:
    violations = Violations()
    raw = RelativeInput("SPOUSE", "Иванова", "Мария", "Сергеевна", "1987-06-01")
    relative = check_relative(raw, "relative", violations, relative_id="r", today=TODAY)
    assert relative is not None
    assert relative.relation is RelationType.SPOUSE
    check_relative(
        RelativeInput("RELATION_TYPE_UNSPECIFIED", "", "Мария1", "", "2027-01-01"),
        "relative",
        violations,
        relative_id="r",
        today=TODAY,
    )
    assert [v.field for v in violations.items] == [
        "relative.relation",
        "relative.last_name",
        "relative.first_name",
        "relative.birth_date",
    ]


def test_raise_if_any_lists_every_violation() -> None:
    violations = Violations()
    violations.raise_if_any()
    violations.add("a", "A is bad.")
    violations.add("b", "B is bad.")
    with pytest.raises(InvalidArgument) as caught:
        violations.raise_if_any()
    assert [v.field for v in caught.value.violations] == ["a", "b"]
    assert "'a', 'b'" in caught.value.message
