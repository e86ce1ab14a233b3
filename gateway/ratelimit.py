"""Per-partner rate limits: a moving window per partner, shared by every gateway replica via Redis.

Built on the ``limits`` library (the engine slowapi wraps): ``MovingWindowRateLimiter`` over its
async Redis storage, whose check-and-record is one atomic Lua script, so two replicas enforce the
partner's combined limit. When Redis is unreachable the gateway keeps serving with a per-process
in-memory window (logged, and exported as ``gateway_ratelimit_degraded``), and retries Redis
every few seconds. See ``docs/decisions/0004-rate-limits-on-limits.md`` for why not slowapi's
middleware.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from functools import lru_cache

from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from prometheus_client import Counter, Gauge
from redis.asyncio import BlockingConnectionPool, ConnectionPool

__all__ = ["Decision", "PartnerRateLimiter", "rate_limit_headers"]

_log = logging.getLogger(__name__)

RATELIMIT_DEGRADED = Gauge(
    "gateway_ratelimit_degraded", "1 while rate limits fall back to per-process memory because Redis is down."
)
RATELIMIT_DECISIONS = Counter(
    "gateway_ratelimit_decisions_total",
    "Rate-limit decisions by partner and outcome.",
    ["partner", "outcome"],
)

_REDIS_RETRY_SECONDS = 5.0
_REDIS_TIMEOUT_SECONDS = 1.0
_POOL_SIZE = 16


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of counting one request against a partner's limits."""

    allowed: bool
    limit: int
    """Requests allowed in the tightest window."""
    remaining: int
    reset_after: float
    """Seconds until the tightest window has room again."""
    window_seconds: int

    @property
    def retry_after(self) -> int:
        """Whole seconds to wait before retrying (at least 1 when refused)."""
        return 0 if self.allowed else max(1, math.ceil(self.reset_after))


def rate_limit_headers(decision: Decision) -> dict[str, str]:
    """``RateLimit-*`` headers (IETF draft) plus ``Retry-After`` when refused."""
    headers = {
        "RateLimit-Limit": str(decision.limit),
        "RateLimit-Remaining": str(decision.remaining),
        "RateLimit-Reset": str(max(0, math.ceil(decision.reset_after))),
        "RateLimit-Policy": f"{decision.limit};w={decision.window_seconds}",
    }
    if not decision.allowed:
        headers["Retry-After"] = str(decision.retry_after)
    return headers


@lru_cache(maxsize=256)
def _items(rate_limit: str) -> tuple[RateLimitItem, ...]:
    # strictest (shortest) window first: it refuses first and names the Retry-After
    return tuple(sorted(parse_many(rate_limit), key=lambda item: item.get_expiry()))


class PartnerRateLimiter:
    """Counts requests per partner against moving windows.

    Args:
        redis_url: ``redis://host:port/db``; ``None`` keeps the windows in process memory only.
        key_prefix: namespace of the Redis keys (lets tests and deployments share a server).
    """

    def __init__(self, redis_url: str | None = None, *, key_prefix: str = "insuretech-rl") -> None:
        self._memory = MovingWindowRateLimiter(MemoryStorage())
        self._redis: MovingWindowRateLimiter | None = None
        self._redis_storage: Storage | None = None
        self._pool: ConnectionPool | None = None
        if redis_url:
            # our own pool, so the connections can be closed with the gateway
            # A bounded pool that makes bursts wait for a free connection rather than open dozens at
            # once: on a busy host a burst of connects can exceed the timeout and trip the fallback.
            self._pool = BlockingConnectionPool.from_url(
                redis_url,
                max_connections=_POOL_SIZE,
                timeout=_REDIS_TIMEOUT_SECONDS,
                socket_connect_timeout=_REDIS_TIMEOUT_SECONDS,
                socket_timeout=_REDIS_TIMEOUT_SECONDS,
            )
            self._redis_storage = RedisStorage(
                "async+" + redis_url,
                implementation="redispy",
                key_prefix=key_prefix,
                connection_pool=self._pool,  # type: ignore[arg-type]  # passed on to redis.asyncio.Redis
            )
            self._redis = MovingWindowRateLimiter(self._redis_storage)
        self._retry_redis_at = 0.0
        self.degraded = False
        self._blocked: dict[tuple[str, str], tuple[float, Decision]] = {}

    @property
    def shared(self) -> bool:
        """Whether windows are currently shared through Redis."""
        return self._redis is not None and not self.degraded

    def _limiter(self) -> MovingWindowRateLimiter:
        if self._redis is None:
            return self._memory
        if self.degraded and time.monotonic() < self._retry_redis_at:
            return self._memory
        return self._redis

    def _degrade(self, exc: Exception) -> None:
        if not self.degraded:
            _log.warning(
                "Redis unreachable for rate limits (%s); using per-process limits until it returns.", exc
            )
        self.degraded = True
        self._retry_redis_at = time.monotonic() + _REDIS_RETRY_SECONDS
        RATELIMIT_DEGRADED.set(1)

    async def hit(self, partner_id: str, rate_limit: str) -> Decision:
        """Count one request of ``partner_id`` against ``rate_limit`` (limits notation).

        An empty ``rate_limit`` means unlimited. The request is refused when any window is full.
        """
        items = _items(rate_limit) if rate_limit else ()
        if not items:
            return Decision(True, 0, 0, 0.0, 0)
        blocked = self._refused_until(partner_id, rate_limit)
        if blocked is not None:
            RATELIMIT_DECISIONS.labels(partner_id, "refused").inc()
            return blocked
        limiter = self._limiter()
        try:
            decision = await self._hit(limiter, partner_id, items)
        except Exception as exc:  # any storage failure: serve on, per process
            if limiter is self._memory:
                raise
            self._degrade(exc)
            decision = await self._hit(self._memory, partner_id, items)
        else:
            if limiter is self._redis and self.degraded:
                _log.warning("Redis is back; rate limits are shared across replicas again.")
                self.degraded = False
                RATELIMIT_DEGRADED.set(0)
        if not decision.allowed:
            self._blocked[(partner_id, rate_limit)] = (time.time() + decision.reset_after, decision)
        RATELIMIT_DECISIONS.labels(partner_id, "allowed" if decision.allowed else "refused").inc()
        return decision

    def _refused_until(self, partner_id: str, rate_limit: str) -> Decision | None:
        # A full moving window frees its first slot only when its oldest entry expires, and no
        # replica can free it earlier (refused hits add no entries). So after one refusal every
        # request until that moment is refused here, without a Redis round trip: a flood costs
        # the shared store one call per window, not one per request.
        blocked = self._blocked.get((partner_id, rate_limit))
        if blocked is None:
            return None
        until, decision = blocked
        now = time.time()
        if now >= until:
            del self._blocked[(partner_id, rate_limit)]
            return None
        return Decision(False, decision.limit, 0, until - now, decision.window_seconds)

    @staticmethod
    async def _hit(
        limiter: MovingWindowRateLimiter, partner_id: str, items: tuple[RateLimitItem, ...]
    ) -> Decision:
        now = time.time()
        tightest: Decision | None = None
        for item in items:
            allowed = await limiter.hit(item, partner_id)
            stats = await limiter.get_window_stats(item, partner_id)
            decision = Decision(
                allowed=allowed,
                limit=item.amount,
                remaining=max(0, stats.remaining),
                reset_after=max(0.0, stats.reset_time - now),
                window_seconds=item.get_expiry(),
            )
            if not allowed:
                return decision
            if tightest is None or decision.remaining < tightest.remaining:
                tightest = decision
        assert tightest is not None
        return tightest

    async def aclose(self) -> None:
        """Close the Redis connections."""
        if self._pool is not None:
            await self._pool.aclose()

    async def reset(self, partner_id: str, rate_limit: str) -> None:
        """Forget ``partner_id``'s windows (tests and operator tooling)."""
        self._blocked.pop((partner_id, rate_limit), None)
        for item in _items(rate_limit):
            await self._memory.clear(item, partner_id)
            if self._redis is not None:
                await self._redis.clear(item, partner_id)
