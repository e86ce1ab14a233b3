"""A per-insurer circuit breaker: stop calling an insurer that keeps failing, probe it after a pause.

CLOSED counts consecutive failures; at ``failure_threshold`` it OPENs and rejects calls at once.
After ``cooldown_s`` it turns HALF_OPEN and lets exactly one trial call through: success closes
it, failure re-opens it for another cool-down. The clock is injected, so the state machine is
tested without sleeping (https://martinfowler.com/bliki/CircuitBreaker.html).
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable

__all__ = ["BreakerState", "CircuitBreaker", "CircuitOpenError"]


class BreakerState(enum.Enum):
    """Where the breaker stands."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitOpenError(Exception):
    """The breaker rejected the call without trying the insurer."""

    def __init__(self) -> None:
        super().__init__("circuit open")


class CircuitBreaker:
    """Consecutive-failure circuit breaker with a half-open single trial.

    Args:
        failure_threshold: consecutive failures that open the circuit.
        cooldown_s: seconds the circuit stays open before a trial call is allowed.
        clock: monotonic seconds; ``time.monotonic`` unless a test injects a fake.
    """

    def __init__(
        self,
        failure_threshold: int,
        cooldown_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failure_threshold < 1:
            raise ValueError(f"failure_threshold must be at least 1, got {failure_threshold}.")
        self.failure_threshold = failure_threshold
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._state = BreakerState.CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._trial_in_flight = False

    @property
    def state(self) -> BreakerState:
        """The current state (an OPEN breaker past its cool-down reports HALF_OPEN)."""
        if self._state is BreakerState.OPEN and self._clock() - self._opened_at >= self.cooldown_s:
            self._state = BreakerState.HALF_OPEN
            self._trial_in_flight = False
        return self._state

    @property
    def consecutive_failures(self) -> int:
        """Failures since the last success."""
        return self._failures

    def allow(self) -> bool:
        """Whether a call may go ahead now; in HALF_OPEN only one trial at a time is allowed."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.HALF_OPEN and not self._trial_in_flight:
            self._trial_in_flight = True
            return True
        return False

    def record_success(self) -> None:
        """A call succeeded: close the circuit and forget past failures."""
        self._state = BreakerState.CLOSED
        self._failures = 0
        self._trial_in_flight = False

    def abandon_trial(self) -> None:
        """The call was cancelled before it finished: let another trial through later."""
        self._trial_in_flight = False

    def record_failure(self) -> None:
        """A call failed: re-open from HALF_OPEN, or open once the threshold is reached."""
        self._failures += 1
        self._trial_in_flight = False
        if self._state is BreakerState.HALF_OPEN or self._failures >= self.failure_threshold:
            self._state = BreakerState.OPEN
            self._opened_at = self._clock()
