"""The circuit breaker state machine, driven by a manual clock."""

from __future__ import annotations

import pytest

from services.core_app.osago.breaker import BreakerState, CircuitBreaker, CircuitOpenError
from tests.services.core_app.core_app_harness import ManualClock


def state(cb: CircuitBreaker) -> BreakerState:
    """The state, read through a call so the type checker does not narrow it between reads."""
    return cb.state


def breaker(clock: ManualClock, threshold: int = 3, cooldown: float = 10.0) -> CircuitBreaker:
    return CircuitBreaker(threshold, cooldown, clock)


def test_starts_closed_and_allows_calls() -> None:
    cb = breaker(ManualClock())
    assert state(cb) is BreakerState.CLOSED
    assert cb.allow()


def test_opens_after_threshold_consecutive_failures() -> None:
    cb = breaker(ManualClock())
    cb.record_failure()
    cb.record_failure()
    assert state(cb) is BreakerState.CLOSED
    cb.record_failure()
    assert state(cb) is BreakerState.OPEN
    assert not cb.allow()


def test_a_success_resets_the_failure_count() -> None:
    cb = breaker(ManualClock())
    cb.record_failure()
    cb.record_failure()
    cb.record_success()
    cb.record_failure()
    cb.record_failure()
    assert state(cb) is BreakerState.CLOSED
    assert cb.consecutive_failures == 2


def test_half_open_after_cooldown_lets_one_trial_through() -> None:
    clock = ManualClock()
    cb = breaker(clock)
    for _ in range(3):
        cb.record_failure()
    clock.advance(9.9)
    assert state(cb) is BreakerState.OPEN
    clock.advance(0.1)
    assert state(cb) is BreakerState.HALF_OPEN
    assert cb.allow()
    assert not cb.allow(), "only one trial call at a time"


def test_successful_trial_closes_the_circuit() -> None:
    clock = ManualClock()
    cb = breaker(clock)
    for _ in range(3):
        cb.record_failure()
    clock.advance(10)
    assert cb.allow()
    cb.record_success()
    assert state(cb) is BreakerState.CLOSED
    assert cb.allow()
    assert cb.allow()


def test_failed_trial_reopens_for_another_cooldown() -> None:
    clock = ManualClock()
    cb = breaker(clock)
    for _ in range(3):
        cb.record_failure()
    clock.advance(10)
    assert cb.allow()
    cb.record_failure()
    assert state(cb) is BreakerState.OPEN
    clock.advance(5)
    assert not cb.allow()
    clock.advance(5)
    assert state(cb) is BreakerState.HALF_OPEN


def test_abandoned_trial_frees_the_slot() -> None:
    clock = ManualClock()
    cb = breaker(clock, threshold=1)
    cb.record_failure()
    clock.advance(10)
    assert cb.allow()
    cb.abandon_trial()
    assert cb.allow()


def test_threshold_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        CircuitBreaker(0, 1.0)


def test_open_error_says_circuit_open() -> None:
    assert str(CircuitOpenError()) == "circuit open"
