"""Simulated insurers and the aggregator's configuration."""

from __future__ import annotations

from dataclasses import replace

import pytest

from services.core_app.osago.config import InsurerProfile, OsagoConfig
from services.core_app.osago.gateway import Declined, InsurerQuoteRequest, Offered, TransientInsurerError
from services.core_app.osago.simulated import SimulatedInsurer
from services.core_app.osago.tariff import osago_premium
from tests.services.core_app.core_app_harness import ManualClock

REQUEST = InsurerQuoteRequest(
    base_premium_kopecks=5_000_00, engine_power_hp=140, region="77", driver_age=35, driver_experience_years=10
)
QUIET = InsurerProfile(
    latency_min_s=1.0,
    latency_max_s=2.0,
    latency_mode_s=1.5,
    call_latency_s=0.0,
    failure_rate=0.0,
    decline_rate=0.0,
)


async def no_sleep(_: float) -> None:
    return None


async def answer(insurer: SimulatedInsurer, clock: ManualClock) -> object:
    reference = await insurer.create_application(REQUEST)
    while (decision := await insurer.get_offer(reference)) is None:
        clock.advance(0.1)
    return decision


async def test_offer_is_ready_only_after_its_latency() -> None:
    clock = ManualClock()
    insurer = SimulatedInsurer("VOLGA", QUIET, seed=1, clock=clock, sleep=no_sleep)
    reference = await insurer.create_application(REQUEST)
    assert await insurer.get_offer(reference) is None
    clock.advance(0.99)
    assert await insurer.get_offer(reference) is None
    clock.advance(1.02)
    decision = await insurer.get_offer(reference)
    assert decision == Offered(
        osago_premium(5_000_00, engine_power_hp=140, region="77", driver_age=35, driver_experience_years=10)
    )


async def test_same_seed_same_behaviour() -> None:
    profile = replace(QUIET, failure_rate=0.03, decline_rate=0.3)

    async def run(seed: int) -> list[str]:
        clock = ManualClock()
        insurer = SimulatedInsurer("GARANT", profile, seed=seed, clock=clock, sleep=no_sleep)
        outcomes = []
        for _ in range(30):
            try:
                outcomes.append(repr(await answer(insurer, clock)))
            except TransientInsurerError:
                outcomes.append("failed")
        return outcomes

    first, again, other = await run(5), await run(5), await run(6)
    assert first == again
    assert first != other
    assert {"failed"} < set(first)


async def test_failure_rate_one_always_fails() -> None:
    insurer = SimulatedInsurer("URAL", replace(QUIET, failure_rate=1.0), seed=1, sleep=no_sleep)
    with pytest.raises(TransientInsurerError, match="URAL answered HTTP 503"):
        await insurer.create_application(REQUEST)
    assert insurer.calls == 1


async def test_decline_rate_one_always_declines() -> None:
    clock = ManualClock()
    insurer = SimulatedInsurer("URAL", replace(QUIET, decline_rate=1.0), seed=1, clock=clock, sleep=no_sleep)
    decision = await answer(insurer, clock)
    assert isinstance(decision, Declined)
    assert "URAL declined" in decision.reason


async def test_unknown_reference_is_a_transient_error() -> None:
    insurer = SimulatedInsurer("URAL", QUIET, seed=1, sleep=no_sleep)
    with pytest.raises(TransientInsurerError, match="does not know"):
        await insurer.get_offer("nope")


def test_default_config_models_production() -> None:
    config = OsagoConfig()
    assert config.deadline_s == 60.0
    assert (config.default_profile.latency_min_s, config.default_profile.latency_max_s) == (0.2, 3.0)
    assert config.default_profile.failure_rate == 0.10
    assert config.default_profile.decline_rate == 0.05
    assert config.cache_ttl_s == 900
    assert config.redis_url is None


def test_config_reads_environment_overrides() -> None:
    config = OsagoConfig.from_env(
        {
            "OSAGO_DEADLINE_S": "5",
            "OSAGO_CALL_TIMEOUT_S": "1.5",
            "OSAGO_MAX_ATTEMPTS": "2",
            "OSAGO_BREAKER_THRESHOLD": "3",
            "OSAGO_LATENCY_MIN_S": "0.01",
            "OSAGO_LATENCY_MAX_S": "0.02",
            "OSAGO_FAILURE_RATE": "0",
            "OSAGO_DECLINE_RATE": "0.5",
            "OSAGO_SEED": "9",
            "REDIS_URL": "redis://localhost:6379/1",
        }
    )
    assert config.deadline_s == 5.0
    assert config.call_timeout_s == 1.5
    assert config.retry.max_attempts == 2
    assert config.breaker_failure_threshold == 3
    assert config.default_profile.latency_max_s == 0.02
    assert config.default_profile.decline_rate == 0.5
    assert config.seed == 9
    assert config.redis_url == "redis://localhost:6379/1"


def test_config_without_environment_keeps_defaults() -> None:
    assert OsagoConfig.from_env({}) == OsagoConfig()


def test_invalid_environment_value_names_the_variable() -> None:
    with pytest.raises(ValueError, match="OSAGO_DEADLINE_S='soon' is not a valid number"):
        OsagoConfig.from_env({"OSAGO_DEADLINE_S": "soon"})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"latency_min_s": 3.0, "latency_max_s": 1.0}, "min <= max"),
        ({"failure_rate": 1.5}, "failure_rate"),
        ({"decline_rate": -0.1}, "decline_rate"),
    ],
)
def test_profile_rejects_nonsense(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        InsurerProfile(**kwargs)


def test_profiles_override_per_insurer() -> None:
    slow = replace(QUIET, latency_min_s=100.0, latency_max_s=200.0)
    config = OsagoConfig(profiles={"URAL": slow})
    assert config.profile_for("URAL") is slow
    assert config.profile_for("VOLGA") is config.default_profile
