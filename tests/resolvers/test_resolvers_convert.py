"""Proto wire values → GraphQL values."""

from __future__ import annotations

from datetime import UTC, date, datetime

from google.protobuf.timestamp_pb2 import Timestamp

from resolvers.convert import age_on, format_rubles, optional_date, optional_str, optional_timestamp


def test_optional_values() -> None:
    assert optional_str("") is None
    assert optional_str("x") == "x"
    assert optional_date("") is None
    assert optional_date("2025-02-30") is None
    assert optional_date("1985-04-12") == date(1985, 4, 12)


def test_timestamps() -> None:
    assert optional_timestamp(Timestamp()) is None
    stamp = Timestamp()
    stamp.FromDatetime(datetime(2025, 3, 1, 12, tzinfo=UTC))
    assert optional_timestamp(stamp) == datetime(2025, 3, 1, 12, tzinfo=UTC)


def test_age() -> None:
    assert age_on(None, date(2025, 1, 1)) is None
    assert age_on(date(1985, 4, 12), date(2025, 4, 11)) == 39
    assert age_on(date(1985, 4, 12), date(2025, 4, 12)) == 40
    assert age_on(date(2000, 2, 29), date(2025, 2, 28)) == 24
    assert age_on(date(2000, 2, 29), date(2025, 3, 1)) == 25


def test_format_rubles() -> None:
    assert format_rubles(150000050) == "1\u00a0500\u00a0000,50\u00a0₽"
    assert format_rubles(-5) == "-0,05\u00a0₽"
