"""Validation of an OSAGO quote request: every violation collected, then one error.

Limits: engine power 1..2000 hp; driver age 18..100 (a licence for category B is issued at 18);
experience 0..age-16 (training may start at 16); region a two-digit code of a federal subject.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.common.errors import FieldViolation, InvalidArgument
from services.common.validation import parse_id
from services.core_app.osago.tariff import is_region_code

__all__ = ["MAX_DRIVER_AGE", "MAX_ENGINE_POWER_HP", "MIN_DRIVER_AGE", "QuoteInput", "parse_quote_input"]

MIN_DRIVER_AGE = 18
MAX_DRIVER_AGE = 100
MAX_ENGINE_POWER_HP = 2000
_EARLIEST_DRIVING_AGE = 16


@dataclass(frozen=True, slots=True)
class QuoteInput:
    """A validated OSAGO quote request."""

    application_id: str
    """The OSAGO application (owned by the applications service)."""
    client_id: str
    """The client who will own the policy."""
    engine_power_hp: int
    """Engine power, horsepower."""
    region: str
    """Two-digit region code of the owner's registration."""
    driver_age: int
    """Age of the youngest driver."""
    driver_experience_years: int
    """Experience of the least experienced driver."""


def parse_quote_input(
    *,
    application_id: str,
    client_id: str,
    engine_power_hp: int,
    region: str,
    driver_age: int,
    driver_experience_years: int,
) -> QuoteInput:
    """Validate a quote request.

    Raises:
        InvalidArgument: listing every invalid field.
    """
    violations: list[FieldViolation] = []
    ids: dict[str, str] = {}
    for field, value in (("application_id", application_id), ("client_id", client_id)):
        parsed = parse_id(value, field)
        if isinstance(parsed, FieldViolation):
            violations.append(parsed)
        else:
            ids[field] = parsed
    if not 1 <= engine_power_hp <= MAX_ENGINE_POWER_HP:
        violations.append(
            FieldViolation(
                "engine_power_hp",
                f"Engine power {engine_power_hp} hp is out of range; use 1..{MAX_ENGINE_POWER_HP}.",
            )
        )
    region = region.strip()
    if not is_region_code(region):
        violations.append(
            FieldViolation("region", f"{region!r} is not a region code; use two digits such as '77'.")
        )
    if not MIN_DRIVER_AGE <= driver_age <= MAX_DRIVER_AGE:
        violations.append(
            FieldViolation(
                "driver_age",
                f"Driver age {driver_age} is out of range; use {MIN_DRIVER_AGE}..{MAX_DRIVER_AGE}.",
            )
        )
    max_experience = max(driver_age - _EARLIEST_DRIVING_AGE, 0)
    if not 0 <= driver_experience_years <= max_experience:
        violations.append(
            FieldViolation(
                "driver_experience_years",
                f"Experience of {driver_experience_years} years is impossible for a driver aged "
                f"{driver_age}; use 0..{max_experience}.",
            )
        )
    if violations:
        raise InvalidArgument.for_fields(violations)
    return QuoteInput(
        application_id=ids["application_id"],
        client_id=ids["client_id"],
        engine_power_hp=engine_power_hp,
        region=region,
        driver_age=driver_age,
        driver_experience_years=driver_experience_years,
    )
