"""In-process simulated insurers with configurable latency, failures and declines.

Each simulated insurer keeps the applications it received in memory. A decision becomes ready a
random time after the application (triangular distribution from its ``InsurerProfile``); every
API call costs a round trip and may fail transiently. With a seed the behaviour of each insurer is
reproducible: it draws from its own ``random.Random`` seeded with ``(seed, insurer code)``.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from services.core_app.osago.config import InsurerProfile
from services.core_app.osago.gateway import (
    Declined,
    InsurerDecision,
    InsurerQuoteRequest,
    Offered,
    TransientInsurerError,
)
from services.core_app.osago.tariff import osago_premium

__all__ = ["SimulatedInsurer"]


@dataclass(frozen=True, slots=True)
class _Pending:
    ready_at: float
    decision: InsurerDecision


class SimulatedInsurer:
    """An ``InsurerGateway`` that behaves like a remote insurer, in-process.

    Args:
        code: the insurer's code (``'SEVSHIELD'``), used in references and the seed.
        profile: latency, failure and decline behaviour.
        seed: makes the behaviour reproducible when given.
        clock: monotonic seconds (injectable for tests).
        sleep: the awaitable pause used for latency (injectable for tests).
    """

    def __init__(
        self,
        code: str,
        profile: InsurerProfile,
        *,
        seed: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.code = code
        self.profile = profile
        self._rng = random.Random(f"{seed}:{code}") if seed is not None else random.Random()
        self._clock = clock
        self._sleep = sleep
        self._numbers = itertools.count(1)
        self._applications: dict[str, _Pending] = {}
        self.calls = 0
        """API calls received (failed ones included)."""

    async def _round_trip(self, operation: str) -> None:
        self.calls += 1
        await self._sleep(self._rng.uniform(0, self.profile.call_latency_s))
        if self._rng.random() < self.profile.failure_rate:
            raise TransientInsurerError(f"{self.code} answered HTTP 503 to {operation}.")

    async def create_application(self, request: InsurerQuoteRequest) -> str:
        """Register the application and decide (privately) when and how the insurer answers."""
        await self._round_trip("create_application")
        profile = self.profile
        mode = min(max(profile.latency_mode_s, profile.latency_min_s), profile.latency_max_s)
        processing = self._rng.triangular(profile.latency_min_s, profile.latency_max_s, mode)
        decision: InsurerDecision
        if self._rng.random() < profile.decline_rate:
            decision = Declined(f"{self.code} declined the risk after underwriting.")
        else:
            decision = Offered(
                osago_premium(
                    request.base_premium_kopecks,
                    engine_power_hp=request.engine_power_hp,
                    region=request.region,
                    driver_age=request.driver_age,
                    driver_experience_years=request.driver_experience_years,
                )
            )
        reference = f"{self.code}-{next(self._numbers):06d}"
        self._applications[reference] = _Pending(self._clock() + processing, decision)
        return reference

    async def get_offer(self, reference: str) -> InsurerDecision | None:
        """The decision once its time has come, else ``None``."""
        await self._round_trip("get_offer")
        pending = self._applications.get(reference)
        if pending is None:
            raise TransientInsurerError(f"{self.code} does not know application {reference!r}.")
        if self._clock() < pending.ready_at:
            return None
        del self._applications[reference]
        return pending.decision
