from __future__ import annotations

import pytest

from gateway.caching import LRUCache, PlanCache, PlanCacheKey, document_hash
from gateway.planner.plan import QueryPlan


def test_lru_evicts_least_recently_used() -> None:
    cache: LRUCache[str, int] = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1
    cache.put("c", 3)
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c"), len(cache)) == (1, 3, 2)
    assert (cache.hits, cache.misses) == (3, 1)
    cache.clear()
    assert len(cache) == 0


def test_lru_needs_a_positive_size() -> None:
    with pytest.raises(ValueError, match="maxsize >= 1"):
        LRUCache(0)


def test_plan_cache_plans_once_per_key_and_counts() -> None:
    events: list[str] = []
    cache = PlanCache(8, on_hit=lambda: events.append("hit"), on_miss=lambda: events.append("miss"))
    calls: list[int] = []

    def plan() -> QueryPlan:
        calls.append(1)
        return QueryPlan(None)

    key = PlanCacheKey("sg1", document_hash("{ a }"), None)
    first = cache.get_or_plan(key, plan)
    assert cache.get_or_plan(key, plan) is first
    cache.get_or_plan(key._replace(supergraph_id="sg2"), plan)
    assert len(calls) == 2
    assert events == ["miss", "hit", "miss"]
    assert (cache.hits, cache.misses, len(cache)) == (1, 2, 2)


def test_document_hash_is_sha256_hex() -> None:
    assert document_hash("{ a }") == document_hash("{ a }")
    assert len(document_hash("x")) == 64
