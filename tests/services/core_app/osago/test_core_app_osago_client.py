"""One insurer's resilient client: retries, polling, timeouts, the breaker and the cache."""

from __future__ import annotations

import asyncio
import random
from dataclasses import replace

import pytest

from services.core_app.osago.breaker import BreakerState, CircuitBreaker
from services.core_app.osago.client import InsurerClient, Settlement
from services.core_app.osago.config import OsagoConfig
from services.core_app.osago.gateway import Declined, InsurerDecision, InsurerQuoteRequest, Offered
from services.core_app.osago.tariff import osago_premium
from tests.services.core_app.core_app_harness import FAST_CONFIG, ManualClock, ScriptedInsurer

REQUEST = InsurerQuoteRequest(
    base_premium_kopecks=5_500_00, engine_power_hp=110, region="78", driver_age=28, driver_experience_years=6
)
INSURER_ID = "7c8e3b1a-0000-4000-8000-000000000001"


class MemoryCache:
    """An in-memory ``QuoteCache`` for tests that are not about Redis."""

    def __init__(self) -> None:
        self.entries: dict[str, InsurerDecision] = {}

    async def get(self, key: str) -> InsurerDecision | None:
        return self.entries.get(key)

    async def put(self, key: str, decision: InsurerDecision) -> None:
        self.entries[key] = decision

    async def close(self) -> None:
        return None


def make_client(
    gateway: ScriptedInsurer,
    config: OsagoConfig = FAST_CONFIG,
    *,
    breaker: CircuitBreaker | None = None,
    cache: MemoryCache | None = None,
) -> InsurerClient:
    return InsurerClient(
        INSURER_ID,
        gateway,
        config,
        breaker or CircuitBreaker(config.breaker_failure_threshold, config.breaker_cooldown_s),
        cache=cache,
        rng=random.Random(3),
    )


async def test_offer_priced_by_the_osago_formula() -> None:
    settlement = await make_client(ScriptedInsurer()).quote(REQUEST)
    expected = osago_premium(
        5_500_00, engine_power_hp=110, region="78", driver_age=28, driver_experience_years=6
    )
    assert settlement == Settlement("OFFERED", premium_kopecks=expected)


async def test_polls_until_the_offer_is_ready() -> None:
    gateway = ScriptedInsurer(ready_after_polls=3)
    settlement = await make_client(gateway).quote(REQUEST)
    assert settlement.status == "OFFERED"
    assert gateway.calls == ["create_application"] + ["get_offer"] * 4


async def test_transient_failures_are_retried() -> None:
    gateway = ScriptedInsurer(create_failures=2, poll_failures=2)
    settlement = await make_client(gateway).quote(REQUEST)
    assert settlement.status == "OFFERED"
    assert gateway.calls.count("create_application") == 3
    assert gateway.calls.count("get_offer") == 3


async def test_exhausted_retries_fail_the_offer_with_the_reason() -> None:
    gateway = ScriptedInsurer(create_failures=10)
    settlement = await make_client(gateway).quote(REQUEST)
    assert settlement.status == "FAILED"
    assert "failed 3 times" in settlement.failure_reason
    assert "scripted failure of create_application" in settlement.failure_reason
    assert gateway.calls.count("create_application") == 3


async def test_decline_is_recorded_with_its_reason() -> None:
    settlement = await make_client(ScriptedInsurer(decision=Declined("too risky"))).quote(REQUEST)
    assert settlement == Settlement("DECLINED", failure_reason="too risky")


async def test_insurer_past_its_deadline_times_out() -> None:
    config = replace(FAST_CONFIG, deadline_s=0.05, call_timeout_s=1.0)
    settlement = await make_client(ScriptedInsurer(delay_s=0.5), config).quote(REQUEST)
    assert settlement.status == "TIMED_OUT"
    assert "within 0.05 s" in settlement.failure_reason


async def test_every_call_timing_out_times_the_offer_out() -> None:
    config = replace(FAST_CONFIG, deadline_s=5.0, call_timeout_s=0.01)
    gateway = ScriptedInsurer(delay_s=0.5)
    settlement = await make_client(gateway, config).quote(REQUEST)
    assert settlement.status == "TIMED_OUT"
    assert "Every call" in settlement.failure_reason
    assert gateway.calls.count("create_application") == 3


async def test_breaker_opens_and_then_settles_at_once_as_circuit_open() -> None:
    clock = ManualClock()
    breaker = CircuitBreaker(3, 30.0, clock)
    failing = ScriptedInsurer(create_failures=100)
    first = await make_client(failing, breaker=breaker).quote(REQUEST)
    assert first.status == "FAILED"
    assert breaker.state is BreakerState.OPEN
    healthy = ScriptedInsurer()
    second = await make_client(healthy, breaker=breaker).quote(REQUEST)
    assert second == Settlement("FAILED", failure_reason="circuit open")
    assert healthy.calls == []


async def test_half_open_trial_success_closes_the_breaker() -> None:
    clock = ManualClock()
    breaker = CircuitBreaker(1, 30.0, clock)
    breaker.record_failure()
    clock.advance(30)
    settlement = await make_client(ScriptedInsurer(), breaker=breaker).quote(REQUEST)
    assert settlement.status == "OFFERED"
    assert breaker.state is BreakerState.CLOSED


async def test_cached_decision_skips_the_insurer() -> None:
    cache = MemoryCache()
    first_gateway, second_gateway = ScriptedInsurer(), ScriptedInsurer()
    first = await make_client(first_gateway, cache=cache).quote(REQUEST)
    second = await make_client(second_gateway, cache=cache).quote(REQUEST)
    assert first == second
    assert second_gateway.calls == []
    different = await make_client(second_gateway, cache=cache).quote(replace(REQUEST, driver_age=40))
    assert different.status == "OFFERED"
    assert second_gateway.calls


async def test_failures_are_not_cached() -> None:
    cache = MemoryCache()
    await make_client(ScriptedInsurer(create_failures=10), cache=cache).quote(REQUEST)
    assert cache.entries == {}


async def test_decisions_of_both_kinds_are_cached() -> None:
    cache = MemoryCache()
    await make_client(ScriptedInsurer(decision=Declined("no")), cache=cache).quote(REQUEST)
    assert list(cache.entries.values()) == [Declined("no")]
    cache.entries.clear()
    await make_client(ScriptedInsurer(decision=Offered(1_00)), cache=cache).quote(REQUEST)
    assert list(cache.entries.values()) == [Offered(1_00)]


class Broken(ScriptedInsurer):
    """An insurer integration with a bug: raises a non-transient error."""

    async def create_application(self, request: InsurerQuoteRequest) -> str:
        self.calls.append("create_application")
        raise ValueError("unexpected payload")


async def test_unexpected_errors_fail_at_once_and_count_against_the_breaker(
    caplog: pytest.LogCaptureFixture,
) -> None:
    gateway = Broken()
    breaker = CircuitBreaker(5, 30.0)
    settlement = await make_client(gateway, breaker=breaker).quote(REQUEST)
    assert settlement.status == "FAILED"
    assert "unexpected payload" in settlement.failure_reason
    assert gateway.calls == ["create_application"]
    assert breaker.consecutive_failures == 1
    assert "failed unexpectedly" in caplog.text


async def test_cancelled_trial_frees_the_half_open_slot() -> None:
    clock = ManualClock()
    breaker = CircuitBreaker(1, 30.0, clock)
    breaker.record_failure()
    clock.advance(30)
    task = asyncio.create_task(make_client(ScriptedInsurer(delay_s=10), breaker=breaker).quote(REQUEST))
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert breaker.allow(), "the abandoned trial no longer blocks the next one"
