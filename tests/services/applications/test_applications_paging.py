"""List filters, page sizes and page tokens (pure)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime

import pytest

from services.applications.paging import (
    Keyset,
    ListFilter,
    check_list_filter,
    decode_page_token,
    encode_page_token,
    parse_page_size,
)
from services.applications.state_machine import ApplicationStatus
from services.common.errors import FieldViolation

CLIENT = "11111111-1111-4111-8111-111111111111"


def check(**overrides: object) -> tuple[ListFilter | None, list[str]]:
    values: dict[str, object] = {
        "applied_from": "",
        "applied_to": "",
        "statuses": (),
        "client_id": "",
        "product_id": "",
        **overrides,
    }
    list_filter, violations = check_list_filter(**values)  # type: ignore[arg-type]
    return list_filter, [v.field for v in violations]


def test_empty_filter() -> None:
    assert check() == (ListFilter(), [])


def test_full_filter_and_inclusive_bounds() -> None:
    list_filter, fields = check(
        applied_from="2025-03-01",
        applied_to="2025-03-02",
        statuses=("PROCESSING", "DRAFT", "PROCESSING"),
        client_id=CLIENT.upper(),
    )
    assert fields == []
    assert list_filter is not None
    assert list_filter.statuses == (ApplicationStatus.PROCESSING, ApplicationStatus.DRAFT)
    assert list_filter.client_id == CLIENT
    assert list_filter.applied_from_instant == datetime(2025, 3, 1, tzinfo=UTC)
    assert list_filter.applied_before_instant == datetime(2025, 3, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"applied_from": "2025-02-30"}, ["filter.applied_from"]),
        ({"applied_to": "2025-13-01"}, ["filter.applied_to"]),
        ({"applied_from": "01.03.2025"}, ["filter.applied_from"]),
        ({"applied_from": "2025-03-02", "applied_to": "2025-03-01"}, ["filter.applied_from"]),
        ({"statuses": ("DRAFT", "LOST")}, ["filter.statuses[1]"]),
        ({"client_id": "abc", "product_id": "def"}, ["filter.client_id", "filter.product_id"]),
    ],
)
def test_invalid_filters(overrides: dict[str, object], fields: list[str]) -> None:
    assert check(**overrides) == (None, fields)


def test_page_size() -> None:
    assert parse_page_size(0, "page_size") == 20
    assert parse_page_size(100, "page_size") == 100
    assert isinstance(parse_page_size(101, "page_size"), FieldViolation)
    assert isinstance(parse_page_size(-1, "page_size"), FieldViolation)


def test_token_round_trip() -> None:
    list_filter = ListFilter(applied_from=date(2025, 1, 1))
    keyset = Keyset(datetime(2025, 3, 1, 10, 0, 0, 123456, tzinfo=UTC), CLIENT)
    token = encode_page_token(keyset, list_filter)
    assert "=" not in token
    assert decode_page_token(token, list_filter, "page_token") == keyset


def test_token_for_another_filter_is_rejected() -> None:
    token = encode_page_token(Keyset(datetime(2025, 3, 1, tzinfo=UTC), CLIENT), ListFilter())
    violation = decode_page_token(token, ListFilter(client_id=CLIENT), "page_token")
    assert isinstance(violation, FieldViolation)
    assert "different filter" in violation.description


def _encode(body: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(body).encode()).decode()


@pytest.mark.parametrize(
    "token",
    [
        "garbage!",
        "e30",
        _encode([1, 2]),
        _encode({"a": "2025-03-01T00:00:00+00:00", "i": "not-a-uuid", "f": ListFilter().fingerprint}),
        _encode({"a": "2025-03-01T00:00:00", "i": CLIENT, "f": ListFilter().fingerprint}),
        _encode({"a": "yesterday", "i": CLIENT, "f": ListFilter().fingerprint}),
        _encode({"a": "2025-03-01T00:00:00+00:00", "i": CLIENT, "f": 5}),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
def test_tampered_tokens_are_rejected(token: str) -> None:
    violation = decode_page_token(token, ListFilter(), "page_token")
    assert isinstance(violation, FieldViolation)
    assert violation.field == "page_token"
