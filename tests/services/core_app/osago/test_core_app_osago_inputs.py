"""Validation of OSAGO quote requests."""

from __future__ import annotations

from typing import Any

import pytest

from services.common.errors import InvalidArgument
from services.core_app.osago.inputs import QuoteInput, parse_quote_input

VALID: dict[str, Any] = {
    "application_id": "0B8F0E59-6F0E-4C4E-9D0E-6A1F1F1F1F1F",
    "client_id": "5a6f1f0e-1b1c-4c5d-8e9f-0a1b2c3d4e5f",
    "engine_power_hp": 150,
    "region": " 77 ",
    "driver_age": 30,
    "driver_experience_years": 10,
}


def violations(**overrides: Any) -> dict[str, str]:
    with pytest.raises(InvalidArgument) as info:
        parse_quote_input(**{**VALID, **overrides})
    return {v.field: v.description for v in info.value.violations}


def test_valid_input_is_normalised() -> None:
    quote = parse_quote_input(**VALID)
    assert quote == QuoteInput(
        application_id="0b8f0e59-6f0e-4c4e-9d0e-6a1f1f1f1f1f",
        client_id=VALID["client_id"],
        engine_power_hp=150,
        region="77",
        driver_age=30,
        driver_experience_years=10,
    )


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"application_id": "nope"}, "application_id", "not a valid id"),
        ({"client_id": ""}, "client_id", "not a valid id"),
        ({"engine_power_hp": 0}, "engine_power_hp", "1..2000"),
        ({"engine_power_hp": 2001}, "engine_power_hp", "1..2000"),
        ({"region": "Moscow"}, "region", "two digits"),
        ({"driver_age": 17, "driver_experience_years": 0}, "driver_age", "18..100"),
        ({"driver_age": 101}, "driver_age", "18..100"),
        ({"driver_age": 20, "driver_experience_years": 5}, "driver_experience_years", "0..4"),
        ({"driver_experience_years": -1}, "driver_experience_years", "impossible"),
    ],
)
def test_each_invalid_field_is_named(overrides: dict[str, Any], field: str, fragment: str) -> None:
    found = violations(**overrides)
    assert field in found
    assert fragment in found[field]


def test_edges_are_accepted() -> None:
    parse_quote_input(**{**VALID, "engine_power_hp": 1, "driver_age": 18, "driver_experience_years": 2})
    parse_quote_input(**{**VALID, "engine_power_hp": 2000, "driver_age": 100, "driver_experience_years": 84})


def test_all_violations_are_reported_together() -> None:
    found = violations(application_id="x", client_id="y", engine_power_hp=0, region="", driver_age=5)
    assert set(found) == {
        "application_id",
        "client_id",
        "engine_power_hp",
        "region",
        "driver_age",
        "driver_experience_years",
    }
