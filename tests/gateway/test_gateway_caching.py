from __future__ import annotations

import asyncio

import pytest

from gateway.caching import LRUCache, PlanCache, PlanCacheKey, document_hash, planner_fingerprint
from gateway.errors import QueryPlanningFailed
from gateway.planner.plan import FetchNode, QueryPlan
from gateway.types import SubgraphName


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


class MemoryPlanStore:
    """An in-memory ``SharedPlanStore`` whose reads wait a little, like a round trip."""

    def __init__(self) -> None:
        self.plans: dict[PlanCacheKey, QueryPlan] = {}
        self.gets = 0

    async def get(self, key: PlanCacheKey) -> QueryPlan | None:
        self.gets += 1
        await asyncio.sleep(0.01)
        return self.plans.get(key)

    def put(self, key: PlanCacheKey, plan: QueryPlan) -> None:
        self.plans[key] = plan


KEY = PlanCacheKey("sg1", document_hash("{ a }"), "A")


async def test_two_level_cache_asks_the_shared_store_only_after_a_local_miss() -> None:
    store = MemoryPlanStore()
    shared: list[bool] = []
    cache = PlanCache(8, shared=store, on_shared_lookup=shared.append)
    stored = QueryPlan(FetchNode(SubgraphName("a"), "{a}"))
    store.plans[KEY] = stored
    assert cache.get(KEY) is None
    assert await cache.fetch_or_plan(KEY, lambda: pytest.fail("planned despite a shared hit")) is stored
    assert cache.get(KEY) is stored
    assert (store.gets, shared, cache.shared_hits, cache.hits, cache.misses) == (1, [True], 1, 1, 1)


async def test_concurrent_local_misses_look_up_and_plan_once() -> None:
    store = MemoryPlanStore()
    cache = PlanCache(8, shared=store)
    calls: list[int] = []

    def plan() -> QueryPlan:
        calls.append(1)
        return QueryPlan(None)

    results = await asyncio.gather(*(cache.fetch_or_plan(KEY, plan) for _ in range(5)))
    assert all(result is results[0] for result in results)
    assert (len(calls), store.gets) == (1, 1)
    assert store.plans[KEY] is results[0]


async def test_a_planning_failure_reaches_every_waiter_and_caches_nothing() -> None:
    store = MemoryPlanStore()
    cache = PlanCache(8, shared=store)

    def plan() -> QueryPlan:
        raise QueryPlanningFailed("Planning operation 'A' failed: boom.")

    outcomes = await asyncio.gather(
        *(cache.fetch_or_plan(KEY, plan) for _ in range(2)), return_exceptions=True
    )
    assert all(isinstance(outcome, QueryPlanningFailed) for outcome in outcomes)
    assert (len(cache), store.plans) == (0, {})


async def test_without_a_shared_store_a_local_miss_plans_at_once() -> None:
    events: list[str] = []
    cache = PlanCache(8, on_hit=lambda: events.append("hit"), on_miss=lambda: events.append("miss"))
    plan = QueryPlan(None)
    assert await cache.fetch_or_plan(KEY, lambda: plan) is plan
    assert cache.get(KEY) is plan
    assert events == ["miss", "hit"]


def test_planner_fingerprint_is_stable_hex() -> None:
    assert planner_fingerprint() == planner_fingerprint()
    assert len(planner_fingerprint()) == 12
    int(planner_fingerprint(), 16)
