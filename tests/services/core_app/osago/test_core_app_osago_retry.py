"""Retries with exponential backoff and jitter, with a recorded fake sleep."""

from __future__ import annotations

import random

import pytest

from services.core_app.osago.gateway import TransientInsurerError
from services.core_app.osago.retry import RetryPolicy, is_transient, retry_call


class Recorder:
    """A fake sleep that records the delays."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


class Flaky:
    """Fails ``failures`` times with ``error``, then returns ``'ok'``."""

    def __init__(self, failures: int, error: Exception | None = None) -> None:
        self.failures = failures
        self.error = error or TransientInsurerError("503")
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error
        return "ok"


POLICY = RetryPolicy(max_attempts=4, base_delay_s=0.1, multiplier=2.0, max_delay_s=0.3, jitter=0.5)


async def test_transient_failures_are_retried_until_success() -> None:
    sleep, op = Recorder(), Flaky(2)
    assert await retry_call(op, POLICY, rng=random.Random(1), sleep=sleep) == "ok"
    assert op.calls == 3
    assert len(sleep.delays) == 2


async def test_delays_grow_exponentially_within_jitter_and_cap() -> None:
    sleep, op = Recorder(), Flaky(3)
    await retry_call(op, POLICY, rng=random.Random(1), sleep=sleep)
    ceilings = [0.1, 0.2, 0.3]  # 0.4 is capped at max_delay 0.3
    for delay, ceiling in zip(sleep.delays, ceilings, strict=True):
        assert ceiling * 0.5 <= delay <= ceiling


async def test_jitter_is_deterministic_with_a_seeded_rng() -> None:
    first, second = Recorder(), Recorder()
    await retry_call(Flaky(3), POLICY, rng=random.Random(42), sleep=first)
    await retry_call(Flaky(3), POLICY, rng=random.Random(42), sleep=second)
    assert first.delays == second.delays
    assert len(set(first.delays)) == 3


async def test_gives_up_after_max_attempts_with_the_last_error() -> None:
    sleep, op = Recorder(), Flaky(10)
    with pytest.raises(TransientInsurerError):
        await retry_call(op, POLICY, rng=random.Random(1), sleep=sleep)
    assert op.calls == 4
    assert len(sleep.delays) == 3


async def test_non_transient_errors_are_not_retried() -> None:
    sleep, op = Recorder(), Flaky(1, ValueError("bug"))
    with pytest.raises(ValueError, match="bug"):
        await retry_call(op, POLICY, rng=random.Random(1), sleep=sleep)
    assert op.calls == 1
    assert sleep.delays == []


def test_timeouts_and_insurer_errors_are_transient() -> None:
    assert is_transient(TimeoutError())
    assert is_transient(TransientInsurerError("x"))
    assert not is_transient(ValueError())


def test_zero_jitter_gives_exact_delays() -> None:
    policy = RetryPolicy(base_delay_s=0.5, multiplier=3.0, max_delay_s=100.0, jitter=0.0)
    rng = random.Random(0)
    assert [policy.delay(n, rng) for n in (1, 2, 3)] == [0.5, 1.5, 4.5]


@pytest.mark.parametrize(
    ("kwargs", "message"), [({"max_attempts": 0}, "max_attempts"), ({"jitter": 1.5}, "jitter")]
)
def test_policy_rejects_nonsense(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]
