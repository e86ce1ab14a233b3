"""Settings of the OSAGO aggregator and its simulated insurers, read from the environment once.

Defaults model production: insurers answer in 0.2–3 s, 10 % of calls fail transiently, 5 % of
applications are declined, and each insurer gets 60 s in total. Tests build the dataclasses
directly with millisecond latencies and a seed. Invalid environment values fail at start-up
with a message naming the variable.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import TypeVar

from services.core_app.osago.retry import RetryPolicy

__all__ = ["InsurerProfile", "OsagoConfig"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class InsurerProfile:
    """How one simulated insurer behaves."""

    latency_min_s: float = 0.2
    """Shortest time from application to decision."""
    latency_max_s: float = 3.0
    """Longest time from application to decision."""
    latency_mode_s: float = 0.8
    """Most likely decision time (triangular distribution)."""
    call_latency_s: float = 0.03
    """Round-trip time of one API call."""
    failure_rate: float = 0.10
    """Probability that one API call fails transiently."""
    decline_rate: float = 0.05
    """Probability that the insurer declines the risk."""

    def __post_init__(self) -> None:
        if not 0 <= self.latency_min_s <= self.latency_max_s:
            raise ValueError(
                f"Insurer latency must satisfy 0 <= min <= max, got {self.latency_min_s}..{self.latency_max_s}."
            )
        for name in ("failure_rate", "decline_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be within 0..1, got {value}.")


@dataclass(frozen=True, slots=True)
class OsagoConfig:
    """Everything the aggregator needs to know about timing, resilience and caching."""

    deadline_s: float = 60.0
    """Overall time one insurer gets to answer a session (then the offer is TIMED_OUT)."""
    call_timeout_s: float = 10.0
    """Timeout of a single insurer API call (a timed-out call is retried)."""
    poll_interval_s: float = 0.25
    """Pause between ``get_offer`` polls while the insurer is still pricing."""
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    """Retry policy of every insurer call."""
    breaker_failure_threshold: int = 5
    """Consecutive failed calls that open an insurer's circuit."""
    breaker_cooldown_s: float = 30.0
    """How long an open circuit rejects calls before a trial."""
    offer_ttl: timedelta = timedelta(days=3)
    """How long an OFFERED premium stays valid after it arrived."""
    cache_ttl_s: int = 15 * 60
    """Lifetime of a cached insurer quote."""
    watch_poll_s: float = 1.0
    """How often a watcher re-reads the session when no in-process notification arrives."""
    stale_after_s: float = 120.0
    """A PENDING offer older than this (its worker is gone) is settled TIMED_OUT on read."""
    seed: int | None = None
    """Seed of the simulated insurers' randomness; ``None`` = not reproducible."""
    default_profile: InsurerProfile = field(default_factory=InsurerProfile)
    """Behaviour of every simulated insurer without its own profile."""
    profiles: Mapping[str, InsurerProfile] = field(default_factory=dict)
    """Per insurer code overrides of ``default_profile``."""
    redis_url: str | None = None
    """Redis for the quote cache; ``None`` disables caching."""
    cache_prefix: str = "core_app:osago:quote:"
    """Namespace of the cache keys in Redis (one per environment sharing a Redis)."""

    def profile_for(self, insurer_code: str) -> InsurerProfile:
        """The simulated behaviour of insurer ``insurer_code``."""
        return self.profiles.get(insurer_code, self.default_profile)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> OsagoConfig:
        """Build the config from ``OSAGO_*`` variables and ``REDIS_URL``.

        Recognised: ``OSAGO_DEADLINE_S``, ``OSAGO_CALL_TIMEOUT_S``, ``OSAGO_POLL_INTERVAL_S``,
        ``OSAGO_MAX_ATTEMPTS``, ``OSAGO_BREAKER_THRESHOLD``, ``OSAGO_BREAKER_COOLDOWN_S``,
        ``OSAGO_LATENCY_MIN_S``, ``OSAGO_LATENCY_MAX_S``, ``OSAGO_LATENCY_MODE_S``,
        ``OSAGO_FAILURE_RATE``, ``OSAGO_DECLINE_RATE``, ``OSAGO_SEED``, ``OSAGO_CACHE_PREFIX``,
        ``REDIS_URL``.

        Raises:
            ValueError: a variable is not a valid number; the message names it.
        """
        env = os.environ if environ is None else environ
        base = cls()

        def read(name: str, parse: Callable[[str], T], default: T) -> T:
            raw = env.get(name, "").strip()
            if not raw:
                return default
            try:
                return parse(raw)
            except ValueError:
                raise ValueError(f"Environment variable {name}={raw!r} is not a valid number.") from None

        profile = base.default_profile
        profile = replace(
            profile,
            latency_min_s=read("OSAGO_LATENCY_MIN_S", float, profile.latency_min_s),
            latency_max_s=read("OSAGO_LATENCY_MAX_S", float, profile.latency_max_s),
            latency_mode_s=read("OSAGO_LATENCY_MODE_S", float, profile.latency_mode_s),
            failure_rate=read("OSAGO_FAILURE_RATE", float, profile.failure_rate),
            decline_rate=read("OSAGO_DECLINE_RATE", float, profile.decline_rate),
        )
        return replace(
            base,
            deadline_s=read("OSAGO_DEADLINE_S", float, base.deadline_s),
            call_timeout_s=read("OSAGO_CALL_TIMEOUT_S", float, base.call_timeout_s),
            poll_interval_s=read("OSAGO_POLL_INTERVAL_S", float, base.poll_interval_s),
            retry=replace(base.retry, max_attempts=read("OSAGO_MAX_ATTEMPTS", int, base.retry.max_attempts)),
            breaker_failure_threshold=read("OSAGO_BREAKER_THRESHOLD", int, base.breaker_failure_threshold),
            breaker_cooldown_s=read("OSAGO_BREAKER_COOLDOWN_S", float, base.breaker_cooldown_s),
            seed=read("OSAGO_SEED", int, base.seed) if env.get("OSAGO_SEED") else None,
            default_profile=profile,
            redis_url=env.get("REDIS_URL") or None,
            cache_prefix=env.get("OSAGO_CACHE_PREFIX") or base.cache_prefix,
        )
