"""Retries with exponential backoff and jitter for transient insurer failures.

The n-th retry waits ``min(max_delay, base_delay × multiplier**(n-1))`` scaled by a random
factor in ``[1 - jitter, 1]`` ("equal"/decorrelated jitter keeps many sessions from retrying an
insurer in lock-step). The random source and the sleep are injected so tests are deterministic
(https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from services.core_app.osago.gateway import TransientInsurerError

__all__ = ["RetryPolicy", "is_transient", "retry_call"]

T = TypeVar("T")

Sleep = Callable[[float], Awaitable[None]]


def is_transient(exc: BaseException) -> bool:
    """Whether a failure is worth retrying: an insurer error or a per-call timeout."""
    return isinstance(exc, (TransientInsurerError, TimeoutError))


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently to retry one insurer operation."""

    max_attempts: int = 4
    """Attempts in total, the first included."""
    base_delay_s: float = 0.2
    """Delay before the first retry, before jitter."""
    multiplier: float = 2.0
    """Growth of the delay per retry."""
    max_delay_s: float = 5.0
    """Upper bound of one delay."""
    jitter: float = 0.5
    """Fraction of the delay that is randomised (0 = none, 1 = full jitter)."""

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {self.max_attempts}.")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError(f"jitter must be within 0..1, got {self.jitter}.")

    def delay(self, retry: int, rng: random.Random) -> float:
        """Seconds to wait before retry number ``retry`` (1-based)."""
        ceiling = min(self.max_delay_s, self.base_delay_s * self.multiplier ** (retry - 1))
        return ceiling * (1.0 - self.jitter * rng.random())


async def retry_call(
    operation: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    *,
    rng: random.Random,
    sleep: Sleep = asyncio.sleep,
    retryable: Callable[[BaseException], bool] = is_transient,
) -> T:
    """Run ``operation`` until it succeeds, a non-retryable error occurs, or attempts run out.

    Returns:
        The operation's result.

    Raises:
        The last error when it is not retryable or no attempts are left.
    """
    attempt = 1
    while True:
        try:
            return await operation()
        except Exception as exc:
            if attempt >= policy.max_attempts or not retryable(exc):
                raise
        await sleep(policy.delay(attempt, rng))
        attempt += 1
