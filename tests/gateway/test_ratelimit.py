from __future__ import annotations

import asyncio
import uuid

from gateway.ratelimit import Decision, PartnerRateLimiter, rate_limit_headers
from tests.conftest import REDIS_URL, require_service


async def test_memory_window_refuses_past_the_limit() -> None:
    limiter = PartnerRateLimiter()
    decisions = [await limiter.hit("acme", "5/second") for _ in range(8)]
    assert [d.allowed for d in decisions] == [True] * 5 + [False] * 3
    assert decisions[-1].retry_after == 1
    assert decisions[4].remaining == 0


async def test_tightest_of_several_windows_decides() -> None:
    limiter = PartnerRateLimiter()
    decisions = [await limiter.hit("acme", "100/second;3/minute") for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[-1].limit == 3
    assert decisions[-1].window_seconds == 60
    assert decisions[-1].retry_after > 1


async def test_partners_have_separate_windows() -> None:
    limiter = PartnerRateLimiter()
    assert not [d for d in [await limiter.hit("a", "2/minute") for _ in range(2)] if not d.allowed]
    assert (await limiter.hit("b", "2/minute")).allowed
    assert not (await limiter.hit("a", "2/minute")).allowed


async def test_empty_rate_limit_means_unlimited() -> None:
    assert (await PartnerRateLimiter().hit("acme", "")).allowed


def test_headers_carry_retry_after_only_when_refused() -> None:
    refused = rate_limit_headers(Decision(False, 20, 0, 0.4, 1))
    assert refused["Retry-After"] == "1"
    assert refused["RateLimit-Limit"] == "20"
    assert refused["RateLimit-Policy"] == "20;w=1"
    assert "Retry-After" not in rate_limit_headers(Decision(True, 20, 19, 0.9, 1))


async def test_two_limiters_share_one_redis_window() -> None:
    require_service("Redis", "127.0.0.1", 6379)
    prefix = f"test-rl-{uuid.uuid4().hex[:8]}"
    first = PartnerRateLimiter(REDIS_URL, key_prefix=prefix)
    second = PartnerRateLimiter(REDIS_URL, key_prefix=prefix)
    results = await asyncio.gather(
        *[(first if i % 2 else second).hit("acme", "20/minute") for i in range(50)]
    )
    assert sum(d.allowed for d in results) == 20
    assert first.shared
    assert second.shared
    await first.reset("acme", "20/minute")
    await first.aclose()
    await second.aclose()


async def test_unreachable_redis_falls_back_to_process_memory() -> None:
    limiter = PartnerRateLimiter("redis://127.0.0.1:1/0", key_prefix="unreachable")
    decisions = [await limiter.hit("acme", "3/minute") for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert limiter.degraded
    assert not limiter.shared
    await limiter.aclose()


async def test_a_full_window_refuses_locally_until_its_first_slot_frees() -> None:
    limiter = PartnerRateLimiter()
    assert [(await limiter.hit("acme", "2/second")).allowed for _ in range(3)] == [True, True, False]
    storage = limiter._memory.storage
    events = {key: list(entries) for key, entries in storage.events.items()}  # type: ignore[attr-defined]
    assert events
    refused = await limiter.hit("acme", "2/second")
    assert not refused.allowed
    assert 0 < refused.reset_after <= 1
    assert {key: list(entries) for key, entries in storage.events.items()} == events  # type: ignore[attr-defined]
    await asyncio.sleep(refused.reset_after + 0.05)
    assert (await limiter.hit("acme", "2/second")).allowed
