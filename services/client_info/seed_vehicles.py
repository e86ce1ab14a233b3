"""Vehicle identification numbers (ISO 3779) for seed vehicles.

A VIN is 17 characters from digits and Latin letters except I, O and Q: the manufacturer (WMI,
3), the model descriptor (VDS, 5), a check digit, the model year, the plant and a serial. The
check digit follows the North American rule (transliterate, weight, sum modulo 11, 10 → 'X'),
which many Russian registries also verify.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.client_info.seed_data import VehicleModel

__all__ = ["VIN_ALPHABET", "is_valid_vin", "vin_check_digit", "vin_for"]

VIN_ALPHABET = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
_VALUES = {
    **{str(digit): digit for digit in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"
"""Model-year codes, starting with 1980 ('A') and repeating every 30 years."""


def vin_check_digit(vin: str) -> str:
    """The check digit (position 9) of a 17-character VIN."""
    total = sum(_VALUES[char] * weight for char, weight in zip(vin, _WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def is_valid_vin(vin: str) -> bool:
    """Whether ``vin`` has 17 allowed characters and a matching check digit."""
    return len(vin) == 17 and all(char in VIN_ALPHABET for char in vin) and vin[8] == vin_check_digit(vin)


def vin_for(rng: random.Random, model: VehicleModel, year: int) -> str:
    """A random VIN of ``model`` built in ``year``."""
    year_code = _YEAR_CODES[(year - 1980) % 30]
    plant = rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ")
    serial = f"{rng.randint(0, 999_999):06d}"
    draft = f"{model.wmi}{model.vds}0{year_code}{plant}{serial}"
    return draft[:8] + vin_check_digit(draft) + draft[9:]
