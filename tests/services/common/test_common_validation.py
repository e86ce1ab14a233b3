from __future__ import annotations

from datetime import UTC, date, datetime

from services.common.errors import FieldViolation, InvalidArgument
from services.common.validation import optional_date, parse_date, parse_id, timestamp_fields, to_timestamp


def test_parse_id_canonicalises_uuids() -> None:
    assert parse_id("6F1D3C52-3B7E-4C1E-9A57-2F3E8D0B9A11", "id") == "6f1d3c52-3b7e-4c1e-9a57-2f3e8d0b9a11"


def test_parse_id_reports_malformed_value_with_field() -> None:
    result = parse_id("42", "input.client_id")
    assert isinstance(result, FieldViolation)
    assert result.field == "input.client_id"
    assert "'42'" in result.description


def test_parse_date_rejects_impossible_dates() -> None:
    result = parse_date("2025-02-30", "applied_from")
    assert isinstance(result, FieldViolation)
    assert "YYYY-MM-DD" in result.description
    assert parse_date("2025-02-28", "applied_from") == date(2025, 2, 28)


def test_parse_date_can_refuse_the_future() -> None:
    assert isinstance(parse_date("2999-01-01", "birth_date", not_future=True), FieldViolation)


def test_optional_date_treats_empty_as_absent() -> None:
    assert optional_date("", "expiry_date") is None


def test_invalid_argument_names_every_field() -> None:
    error = InvalidArgument.for_fields([FieldViolation("a", "is bad."), FieldViolation("b", "is worse.")])
    assert error.message == "Invalid value for 'a', 'b': is bad. is worse."
    assert [v.field for v in error.violations] == ["a", "b"]


def test_timestamp_fields_match_the_protobuf_conversion() -> None:
    for value in (datetime(2026, 3, 1, 12, 30, 5, 123456, tzinfo=UTC), datetime(1969, 7, 20, 20, 17, 40)):
        stamp = to_timestamp(value)
        assert stamp is not None
        assert timestamp_fields(value) == {"seconds": stamp.seconds, "nanos": stamp.nanos}
