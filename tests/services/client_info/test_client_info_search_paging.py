from __future__ import annotations

import base64

import pytest

from services.client_info.paging import Keyset, decode_page_token, encode_page_token
from services.client_info.search import SearchPlan, escape_like, name_search_key, plan_search
from services.common.errors import FieldViolation

KEY = Keyset("Ёлкина", "Анна", "6f1d3c52-3b7e-4c1e-9a57-2f3e8d0b9a11")


def test_name_key_folds_case_yo_and_spaces() -> None:
    assert name_search_key("ЁЛКИНА", " Анна ", "") == "елкина анна"
    assert name_search_key("Smith  John") == "smith john"


@pytest.mark.parametrize(
    ("query", "plan"),
    [
        ("Иванов", SearchPlan(name_part="иванов")),
        ("  иван  ПЕТРОВИЧ ", SearchPlan(name_part="иван петрович")),
        ("+7 (916) 123", SearchPlan(phone_digits="7916123", document_number="7916123")),
        ("4510 123456", SearchPlan(phone_digits="4510123456", document_number="4510123456")),
        ("112-233-445 95", SearchPlan(phone_digits="11223344595", document_number="11223344595")),
        ("+", SearchPlan(name_part="+")),
        ("Иванов 4510", SearchPlan(name_part="иванов 4510")),
    ],
)
def test_plan_search(query: str, plan: SearchPlan) -> None:
    assert plan_search(query) == plan


def test_escape_like_makes_wildcards_literal() -> None:
    assert escape_like("50%_a\\b") == "50\\%\\_a\\\\b"


def test_page_token_round_trip_is_opaque_and_url_safe() -> None:
    token = encode_page_token(KEY)
    assert "=" not in token
    assert "Ёлкина" not in token
    assert decode_page_token(token, "page_token") == KEY


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token!",
        "%%%",
        _b64("[]"),
        _b64("42"),
        _b64('{"l": "A", "f": "B"}'),
        _b64('{"l": "A", "f": "B", "i": "nope"}'),
        _b64('{"l": 1, "f": "B", "i": "6f1d3c52-3b7e-4c1e-9a57-2f3e8d0b9a11"}'),
        _b64('{"l": "A", "f": "B", "i": "6f1d3c52-3b7e-4c1e-9a57-2f3e8d0b9a11", "x": 1}'),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
def test_tampered_tokens_are_violations(token: str) -> None:
    result = decode_page_token(token, "page_token")
    assert isinstance(result, FieldViolation)
    assert result.field == "page_token"
