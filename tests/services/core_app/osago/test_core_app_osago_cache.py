"""The Redis quote cache against the real Redis; failures must never fail a quote."""

from __future__ import annotations

import socket
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as redis_asyncio

from services.core_app.osago.cache import NullQuoteCache, RedisQuoteCache, quote_cache_key
from services.core_app.osago.gateway import Declined, InsurerQuoteRequest, Offered

REQUEST = InsurerQuoteRequest(
    base_premium_kopecks=5_000_00, engine_power_hp=140, region="77", driver_age=35, driver_experience_years=10
)


@pytest.fixture
async def cache(redis_client: redis_asyncio.Redis) -> AsyncIterator[RedisQuoteCache]:
    """A cache under a unique prefix; its keys are deleted afterwards."""
    prefix = f"test:core_app:{uuid.uuid4().hex}:"
    yield RedisQuoteCache(redis_client, ttl_s=900, prefix=prefix)
    keys = [key async for key in redis_client.scan_iter(match=prefix + "*")]
    if keys:
        await redis_client.delete(*keys)


def test_key_is_insurer_plus_stable_input_hash() -> None:
    key = quote_cache_key("ins-1", REQUEST)
    assert key.startswith("ins-1:")
    assert key == quote_cache_key("ins-1", InsurerQuoteRequest(5_000_00, 140, "77", 35, 10))
    assert key != quote_cache_key("ins-2", REQUEST)
    changed = InsurerQuoteRequest(5_000_00, 140, "77", 35, 11)
    assert key != quote_cache_key("ins-1", changed)


async def test_round_trip_with_fifteen_minute_ttl(
    cache: RedisQuoteCache, redis_client: redis_asyncio.Redis
) -> None:
    key = quote_cache_key("ins-1", REQUEST)
    assert await cache.get(key) is None
    await cache.put(key, Offered(12_222_00))
    assert await cache.get(key) == Offered(12_222_00)
    ttl = await redis_client.ttl(cache.prefix + key)
    assert 890 <= ttl <= 900


async def test_declines_are_cached_too(cache: RedisQuoteCache) -> None:
    await cache.put("k", Declined("too risky"))
    assert await cache.get("k") == Declined("too risky")


async def test_garbage_in_redis_is_a_miss(cache: RedisQuoteCache, redis_client: redis_asyncio.Redis) -> None:
    await redis_client.set(cache.prefix + "bad", b"not json")
    await redis_client.set(cache.prefix + "odd", b'{"offered": "many"}')
    assert await cache.get("bad") is None
    assert await cache.get("odd") is None


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_unreachable_redis_is_logged_and_ignored(caplog: pytest.LogCaptureFixture) -> None:
    cache = RedisQuoteCache.from_url(f"redis://127.0.0.1:{_closed_port()}/0")
    try:
        assert await cache.get("k") is None
        await cache.put("k", Offered(1_00))
    finally:
        await cache.close()
    assert "quote cache read failed" in caplog.text
    assert "quote cache write failed" in caplog.text


async def test_null_cache_never_hits() -> None:
    cache = NullQuoteCache()
    await cache.put("k", Offered(1_00))
    assert await cache.get("k") is None
    await cache.close()
