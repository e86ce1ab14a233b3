"""The insurer gateway: the two operations every insurer integration exposes.

An insurer prices OSAGO asynchronously: we *create an application* with the driver and vehicle
data, then *get the offer* by the insurer's reference, polling until the insurer has decided.
Real integrations (HTTP/SOAP clients) and the in-process simulation implement the same
``InsurerGateway`` Protocol, so the aggregator and its tests never know which one they talk to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

__all__ = [
    "Declined",
    "InsurerDecision",
    "InsurerGateway",
    "InsurerQuoteRequest",
    "Offered",
    "TransientInsurerError",
]


@dataclass(frozen=True, slots=True)
class InsurerQuoteRequest:
    """What an insurer needs to price an OSAGO policy.

    ``base_premium_kopecks`` is the insurer's own published OSAGO base rate (its tariff), so each
    insurer prices the same driver differently.
    """

    base_premium_kopecks: int
    """The insurer's OSAGO base rate from its current tariff."""
    engine_power_hp: int
    """Engine power in horsepower (1..2000)."""
    region: str
    """Region code of the owner's registration (``'77'`` = Moscow)."""
    driver_age: int
    """Age of the youngest driver in full years."""
    driver_experience_years: int
    """Driving experience of the least experienced driver, in full years."""


@dataclass(frozen=True, slots=True)
class Offered:
    """The insurer offers a policy for ``premium_kopecks``."""

    premium_kopecks: int


@dataclass(frozen=True, slots=True)
class Declined:
    """The insurer refuses to insure this risk."""

    reason: str


InsurerDecision = Offered | Declined
"""The final answer of an insurer to one application."""


class TransientInsurerError(Exception):
    """The insurer could not answer this time (HTTP 5xx, connection reset); retrying may help."""


class InsurerGateway(Protocol):
    """One insurer's OSAGO API."""

    async def create_application(self, request: InsurerQuoteRequest) -> str:
        """Submit an application; returns the insurer's reference for it.

        Raises:
            TransientInsurerError: the call failed and may be retried.
        """
        ...

    async def get_offer(self, reference: str) -> InsurerDecision | None:
        """The insurer's decision on ``reference``, or ``None`` while it is still pricing.

        Raises:
            TransientInsurerError: the call failed and may be retried.
        """
        ...
