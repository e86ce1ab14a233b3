"""A cache of insurer quotes, so identical requests within 15 minutes don't ask the insurer again.

The key is the insurer plus a hash of the normalised request (tariff base, power, region, age,
experience), so every instance of the service shares the cache through Redis. The cache is an
optimisation, never a dependency: any Redis failure is logged and treated as a miss.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict
from typing import Protocol

import redis.asyncio as redis_asyncio
from redis.exceptions import RedisError

from services.core_app.osago.gateway import Declined, InsurerDecision, InsurerQuoteRequest, Offered

__all__ = ["NullQuoteCache", "QuoteCache", "RedisQuoteCache", "quote_cache_key"]

_log = logging.getLogger(__name__)

DEFAULT_PREFIX = "core_app:osago:quote:"


def quote_cache_key(insurer_id: str, request: InsurerQuoteRequest) -> str:
    """``<insurer>:<sha256 of the normalised request>`` (without the store's prefix)."""
    normalized = json.dumps(asdict(request), sort_keys=True, separators=(",", ":"))
    return f"{insurer_id}:{hashlib.sha256(normalized.encode()).hexdigest()}"


class QuoteCache(Protocol):
    """Where insurer decisions are remembered."""

    async def get(self, key: str) -> InsurerDecision | None:
        """The cached decision for ``key``, or ``None``."""
        ...

    async def put(self, key: str, decision: InsurerDecision) -> None:
        """Remember ``decision`` under ``key`` for the cache's lifetime."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...


class NullQuoteCache:
    """No caching (used when ``REDIS_URL`` is not set)."""

    async def get(self, key: str) -> InsurerDecision | None:
        """Always a miss."""
        return None

    async def put(self, key: str, decision: InsurerDecision) -> None:
        """Forget at once."""

    async def close(self) -> None:
        """Nothing to release."""


def _encode(decision: InsurerDecision) -> str:
    if isinstance(decision, Offered):
        return json.dumps({"offered": decision.premium_kopecks})
    return json.dumps({"declined": decision.reason})


def _decode(raw: str | bytes) -> InsurerDecision | None:
    try:
        value = json.loads(raw)
        if isinstance(value.get("offered"), int):
            return Offered(value["offered"])
        if isinstance(value.get("declined"), str):
            return Declined(value["declined"])
    except (ValueError, AttributeError):
        pass
    return None


class RedisQuoteCache:
    """Quote cache in Redis with a TTL; failures are logged and ignored.

    Args:
        client: a ``redis.asyncio.Redis`` client.
        ttl_s: lifetime of an entry in seconds (15 minutes by default).
        prefix: namespace of the keys.
    """

    def __init__(
        self, client: redis_asyncio.Redis, *, ttl_s: int = 900, prefix: str = DEFAULT_PREFIX
    ) -> None:
        self._client = client
        self.ttl_s = ttl_s
        self.prefix = prefix

    @classmethod
    def from_url(cls, url: str, *, ttl_s: int = 900, prefix: str = DEFAULT_PREFIX) -> RedisQuoteCache:
        """A cache on the Redis at ``url`` with short socket timeouts (a slow cache is a miss)."""
        client = redis_asyncio.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        return cls(client, ttl_s=ttl_s, prefix=prefix)

    async def get(self, key: str) -> InsurerDecision | None:
        """The cached decision, or ``None`` on a miss or a Redis failure."""
        try:
            raw = await self._client.get(self.prefix + key)
        except (RedisError, OSError) as exc:
            _log.warning("quote cache read failed for %s; asking the insurer: %s", key, exc)
            return None
        return None if raw is None else _decode(raw)

    async def put(self, key: str, decision: InsurerDecision) -> None:
        """Store ``decision``; a Redis failure is logged and ignored."""
        try:
            await self._client.set(self.prefix + key, _encode(decision), ex=self.ttl_s)
        except (RedisError, OSError) as exc:
            _log.warning("quote cache write failed for %s: %s", key, exc)

    async def close(self) -> None:
        """Close the Redis connection pool."""
        await self._client.aclose()
