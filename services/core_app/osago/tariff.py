"""The OSAGO premium formula: base rate × power × driver (age/experience) × territory.

A simplified form of the Bank of Russia's OSAGO tariff (Указание ЦБ № 6007-У): the insurer
sets its base rate (ТБ) within the regulator's corridor, and the regulator's coefficients apply:
КМ (engine power), КВС (driver age and experience) and КТ (territory). The bonus-malus (КБМ) and
usage-period coefficients are left out; the tables below are intentionally small and documented.
Pure functions only: no I/O, no clock.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "DEFAULT_REGION_COEFFICIENT",
    "POWER_COEFFICIENTS",
    "REGION_COEFFICIENTS",
    "driver_coefficient",
    "is_region_code",
    "osago_premium",
    "power_coefficient",
    "region_coefficient",
]

POWER_COEFFICIENTS: tuple[tuple[int, Decimal], ...] = (
    (50, Decimal("0.6")),
    (70, Decimal("1.0")),
    (100, Decimal("1.1")),
    (120, Decimal("1.2")),
    (150, Decimal("1.4")),
)
"""КМ: (upper bound in hp, inclusive → coefficient); above 150 hp the coefficient is 1.6."""

_POWER_ABOVE = Decimal("1.6")

# КВС: rows by minimum driver age, columns by experience brackets (0-2, 3-6, 7+ years).
_DRIVER_TABLE: tuple[tuple[int, tuple[Decimal, Decimal, Decimal]], ...] = (
    (60, (Decimal("1.60"), Decimal("0.93"), Decimal("0.90"))),
    (40, (Decimal("1.60"), Decimal("0.93"), Decimal("0.91"))),
    (30, (Decimal("1.63"), Decimal("1.04"), Decimal("0.97"))),
    (25, (Decimal("1.77"), Decimal("1.04"), Decimal("1.00"))),
    (22, (Decimal("1.77"), Decimal("1.04"), Decimal("1.04"))),
    (0, (Decimal("1.87"), Decimal("1.66"), Decimal("1.66"))),
)

REGION_COEFFICIENTS: dict[str, Decimal] = {
    "77": Decimal("1.80"),  # Москва
    "78": Decimal("1.64"),  # Санкт-Петербург
    "50": Decimal("1.56"),  # Московская область
    "66": Decimal("1.64"),  # Свердловская область (Екатеринбург)
    "54": Decimal("1.56"),  # Новосибирская область
    "16": Decimal("1.56"),  # Республика Татарстан (Казань)
    "23": Decimal("1.32"),  # Краснодарский край
    "47": Decimal("1.40"),  # Ленинградская область
    "05": Decimal("0.64"),  # Республика Дагестан
}
"""КТ by two-digit region code for the largest regions; every other region uses the default."""

DEFAULT_REGION_COEFFICIENT = Decimal("1.00")

_REGION_CODE = re.compile(r"[0-9]{2}")


def is_region_code(region: str) -> bool:
    """Whether ``region`` is a two-digit code of a Russian federal subject (``'77'``, ``'05'``)."""
    return bool(_REGION_CODE.fullmatch(region)) and int(region) > 0


def power_coefficient(engine_power_hp: int) -> Decimal:
    """КМ for an engine of ``engine_power_hp`` horsepower."""
    for upper, coefficient in POWER_COEFFICIENTS:
        if engine_power_hp <= upper:
            return coefficient
    return _POWER_ABOVE


def driver_coefficient(driver_age: int, driver_experience_years: int) -> Decimal:
    """КВС for the youngest, least experienced driver."""
    bracket = 0 if driver_experience_years <= 2 else 1 if driver_experience_years <= 6 else 2
    for min_age, row in _DRIVER_TABLE:
        if driver_age >= min_age:
            return row[bracket]
    raise AssertionError("the table ends with an age-0 row")  # pragma: no cover


def region_coefficient(region: str) -> Decimal:
    """КТ for the two-digit region code ``region`` (the default for regions not in the table)."""
    return REGION_COEFFICIENTS.get(region, DEFAULT_REGION_COEFFICIENT)


def osago_premium(
    base_premium_kopecks: int,
    *,
    engine_power_hp: int,
    region: str,
    driver_age: int,
    driver_experience_years: int,
) -> int:
    """The yearly OSAGO premium in kopecks, rounded half-up to whole roubles.

    Args:
        base_premium_kopecks: the insurer's base rate (ТБ).
        engine_power_hp: engine power, horsepower.
        region: region code of registration.
        driver_age: youngest driver's age.
        driver_experience_years: least experienced driver's experience.

    Returns:
        ТБ × КМ × КВС × КТ, in kopecks, a multiple of 100.
    """
    premium = (
        Decimal(base_premium_kopecks)
        * power_coefficient(engine_power_hp)
        * driver_coefficient(driver_age, driver_experience_years)
        * region_coefficient(region)
    )
    roubles = (premium / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(roubles) * 100
