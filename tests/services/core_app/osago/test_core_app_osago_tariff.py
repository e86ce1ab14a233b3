"""The OSAGO premium formula and its coefficient tables."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.core_app.osago.tariff import (
    DEFAULT_REGION_COEFFICIENT,
    driver_coefficient,
    is_region_code,
    osago_premium,
    power_coefficient,
    region_coefficient,
)


@pytest.mark.parametrize(
    ("hp", "expected"),
    [
        (1, "0.6"),
        (50, "0.6"),
        (51, "1.0"),
        (70, "1.0"),
        (100, "1.1"),
        (120, "1.2"),
        (150, "1.4"),
        (151, "1.6"),
        (2000, "1.6"),
    ],
)
def test_power_coefficient_follows_the_brackets(hp: int, expected: str) -> None:
    assert power_coefficient(hp) == Decimal(expected)


@pytest.mark.parametrize(
    ("age", "experience", "expected"),
    [
        (18, 0, "1.87"),
        (21, 3, "1.66"),
        (22, 2, "1.77"),
        (24, 5, "1.04"),
        (27, 8, "1.00"),
        (33, 1, "1.63"),
        (33, 10, "0.97"),
        (45, 20, "0.91"),
        (65, 40, "0.90"),
    ],
)
def test_driver_coefficient_depends_on_age_and_experience(age: int, experience: int, expected: str) -> None:
    assert driver_coefficient(age, experience) == Decimal(expected)


def test_region_coefficient_uses_the_table_and_a_default() -> None:
    assert region_coefficient("77") == Decimal("1.80")
    assert region_coefficient("05") == Decimal("0.64")
    assert region_coefficient("42") == DEFAULT_REGION_COEFFICIENT


@pytest.mark.parametrize(
    ("region", "valid"),
    [("77", True), ("05", True), ("00", False), ("7", False), ("177", False), ("7a", False), ("٧٧", False)],
)
def test_region_codes_are_two_ascii_digits(region: str, valid: bool) -> None:
    assert is_region_code(region) is valid


def test_premium_multiplies_the_coefficients_and_rounds_to_roubles() -> None:
    # 5 000 ₽ × КМ 1.4 × КВС 0.97 × КТ 1.80 = 12 222 ₽
    premium = osago_premium(
        5_000_00, engine_power_hp=140, region="77", driver_age=35, driver_experience_years=10
    )
    assert premium == 12_222_00


def test_premium_rounds_half_up() -> None:
    # 1 007.50 ₽ × КМ 0.6 × КВС 1.00 × КТ 1.00 = 604.50 ₽ → 605 ₽ (not banker's 604 ₽)
    premium = osago_premium(
        1_007_50, engine_power_hp=40, region="42", driver_age=27, driver_experience_years=7
    )
    assert premium == 605_00


def test_premium_differs_per_insurer_base() -> None:
    inputs = {"engine_power_hp": 110, "region": "78", "driver_age": 30, "driver_experience_years": 4}
    assert osago_premium(4_000_00, **inputs) < osago_premium(6_000_00, **inputs)  # type: ignore[arg-type]


def test_young_inexperienced_drivers_pay_more() -> None:
    young = osago_premium(
        5_000_00, engine_power_hp=110, region="50", driver_age=19, driver_experience_years=1
    )
    seasoned = osago_premium(
        5_000_00, engine_power_hp=110, region="50", driver_age=45, driver_experience_years=20
    )
    assert young > 2 * seasoned
