"""One insurer's resilient client: cache, circuit breaker, per-call timeout, retries, deadline.

``InsurerClient.quote`` turns one OSAGO request into a ``Settlement`` and never raises for an
insurer's misbehaviour: every outcome (offer, decline, timeout, failure) is a value the
aggregator writes to the offer. The pipeline, top to bottom:
``cached → breaker open? → within deadline: create_application → poll get_offer → cache``.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from services.core_app.osago.breaker import BreakerState, CircuitBreaker, CircuitOpenError
from services.core_app.osago.cache import NullQuoteCache, QuoteCache, quote_cache_key
from services.core_app.osago.config import OsagoConfig
from services.core_app.osago.gateway import (
    InsurerDecision,
    InsurerGateway,
    InsurerQuoteRequest,
    Offered,
)
from services.core_app.osago.retry import is_transient, retry_call

__all__ = ["InsurerClient", "Settlement"]

_log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Settlement:
    """How an offer settles: its final status, premium (when OFFERED) or reason."""

    status: str
    """``OFFERED``, ``DECLINED``, ``TIMED_OUT`` or ``FAILED``."""
    premium_kopecks: int | None = None
    """The premium of an OFFERED offer."""
    failure_reason: str = ""
    """Why the offer is not OFFERED."""

    @classmethod
    def from_decision(cls, decision: InsurerDecision) -> Settlement:
        """The settlement for an insurer's final decision."""
        if isinstance(decision, Offered):
            return cls("OFFERED", premium_kopecks=decision.premium_kopecks)
        return cls("DECLINED", failure_reason=decision.reason)


class InsurerClient:
    """Ask one insurer for OSAGO offers through timeouts, retries, a breaker and the cache.

    Args:
        insurer_id: the insurer's id (part of the cache key).
        gateway: the insurer's API.
        config: deadlines, retry policy and poll interval.
        breaker: this insurer's circuit breaker (shared by all sessions).
        cache: the quote cache (``NullQuoteCache`` when caching is off).
        rng: randomness of the retry jitter.
        sleep: the pause between polls and retries (injectable for tests).
    """

    def __init__(
        self,
        insurer_id: str,
        gateway: InsurerGateway,
        config: OsagoConfig,
        breaker: CircuitBreaker,
        *,
        cache: QuoteCache | None = None,
        rng: random.Random | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.insurer_id = insurer_id
        self.gateway = gateway
        self.config = config
        self.breaker = breaker
        self.cache: QuoteCache = cache or NullQuoteCache()
        self._rng = rng or random.Random()
        self._sleep = sleep

    async def quote(self, request: InsurerQuoteRequest) -> Settlement:
        """The insurer's answer to ``request`` as a settlement (never raises for insurer faults)."""
        key = quote_cache_key(self.insurer_id, request)
        cached = await self.cache.get(key)
        if cached is not None:
            return Settlement.from_decision(cached)
        if self.breaker.state is BreakerState.OPEN:
            return Settlement("FAILED", failure_reason="circuit open")
        deadline = asyncio.timeout(self.config.deadline_s)
        try:
            async with deadline:
                decision = await self._converse(request)
        except TimeoutError:
            if deadline.expired():
                return Settlement(
                    "TIMED_OUT",
                    failure_reason=f"The insurer did not answer within {self.config.deadline_s:g} s.",
                )
            return Settlement(
                "TIMED_OUT",
                failure_reason=f"Every call to the insurer timed out after {self.config.call_timeout_s:g} s.",
            )
        except CircuitOpenError:
            return Settlement("FAILED", failure_reason="circuit open")
        except Exception as exc:
            if not is_transient(exc):
                _log.exception("insurer %s failed unexpectedly", self.insurer_id)
            return Settlement(
                "FAILED",
                failure_reason=f"The insurer failed {self.config.retry.max_attempts} times: {exc}",
            )
        await self.cache.put(key, decision)
        return Settlement.from_decision(decision)

    async def _converse(self, request: InsurerQuoteRequest) -> InsurerDecision:
        reference = await self._call(lambda: self.gateway.create_application(request))
        while True:
            decision = await self._call(lambda: self.gateway.get_offer(reference))
            if decision is not None:
                return decision
            await self._sleep(self.config.poll_interval_s)

    async def _call(self, operation: Callable[[], Awaitable[T]]) -> T:
        return await retry_call(
            lambda: self._guarded(operation), self.config.retry, rng=self._rng, sleep=self._sleep
        )

    async def _guarded(self, operation: Callable[[], Awaitable[T]]) -> T:
        if not self.breaker.allow():
            raise CircuitOpenError()
        try:
            result = await asyncio.wait_for(operation(), self.config.call_timeout_s)
        except Exception:
            self.breaker.record_failure()
            raise
        except BaseException:
            self.breaker.abandon_trial()
            raise
        self.breaker.record_success()
        return result
