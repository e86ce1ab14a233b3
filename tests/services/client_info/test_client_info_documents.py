from __future__ import annotations

import pytest

from services.client_info.documents import (
    DocumentType,
    check_document_number,
    inn_check_digits,
    normalize_document_number,
    snils_check_digits,
)


def test_numbers_lose_spaces_and_hyphens() -> None:
    assert normalize_document_number(" 4510 123456 ") == "4510123456"
    assert normalize_document_number("112-233-445 95") == "11223344595"


@pytest.mark.parametrize(
    ("kind", "number"),
    [
        (DocumentType.PASSPORT_RF, "4510123456"),
        (DocumentType.DRIVER_LICENSE, "7712345678"),
        (DocumentType.SNILS, "11223344595"),
        (DocumentType.SNILS, "00100199800"),  # before the checksum rule: not checked
        (DocumentType.INN, "500100732259"),
        (DocumentType.FOREIGN_PASSPORT, "751234567"),
    ],
)
def test_valid_numbers_pass(kind: DocumentType, number: str) -> None:
    assert check_document_number(kind, number) is None


@pytest.mark.parametrize(
    ("kind", "number", "needle"),
    [
        (DocumentType.PASSPORT_RF, "451012345", "10 digits"),
        (DocumentType.PASSPORT_RF, "45101234AB", "10 digits"),
        (DocumentType.DRIVER_LICENSE, "77123456789", "10 digits"),
        (DocumentType.SNILS, "11223344596", "checksum"),
        (DocumentType.INN, "500100732258", "checksum"),
        (DocumentType.INN, "5001007322", "12 digits"),
        (DocumentType.FOREIGN_PASSPORT, "7512345678", "9 digits"),
        (DocumentType.PASSPORT_RF, "４５１０１２３４５６", "10 digits"),  # full-width digits are not ASCII
    ],
)
def test_invalid_numbers_say_why(kind: DocumentType, number: str, needle: str) -> None:
    problem = check_document_number(kind, number)
    assert problem is not None
    assert needle in problem
    assert problem.endswith(".")


def test_snils_checksum_special_sums() -> None:
    # sum < 100 is the check number itself; 100 and 101 give 00; larger sums are taken mod 101
    assert snils_check_digits("112233445") == "95"
    assert snils_check_digits("000000011") == "03"
    assert snils_check_digits("900000083") == "00"  # sum 100
    assert snils_check_digits("900000084") == "00"  # sum 101
    assert snils_check_digits("900000085") == "01"  # sum 102 → 102 mod 101
    assert snils_check_digits("990090003") == "00"  # sum 201 → 100 → 00


def test_inn_check_digits_known_number() -> None:
    assert inn_check_digits("5001007322") == "59"
