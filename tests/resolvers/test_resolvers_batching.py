"""BatchLoader: one fetch per tick, de-duplicated keys, results in key order, None for missing."""

from __future__ import annotations

import asyncio

from resolvers.batching import MAX_BATCH_SIZE, BatchLoader, order_by_keys, unique


def test_unique_keeps_first_seen_order() -> None:
    assert unique(["b", "a", "b", "c", "a"]) == ["b", "a", "c"]


def test_order_by_keys_fills_missing_with_none() -> None:
    assert order_by_keys(["x", "y", "x"], {"x": 1}) == [1, None, 1]


async def test_one_fetch_per_tick_with_unique_keys() -> None:
    fetched: list[list[str]] = []

    async def fetch(keys: list[str]) -> dict[str, str]:
        fetched.append(keys)
        return {key: key.upper() for key in keys if key != "missing"}

    loader: BatchLoader[str, str] = BatchLoader(fetch)
    results = await asyncio.gather(*(loader.load(key) for key in ["a", "b", "a", "missing", "c"]))
    assert results == ["A", "B", "A", None, "C"]
    assert fetched == [["a", "b", "missing", "c"]]
    assert loader.batches == [4]


async def test_load_many_keeps_order_and_caches() -> None:
    calls = 0

    async def fetch(keys: list[int]) -> dict[int, int]:
        nonlocal calls
        calls += 1
        return {key: key * 10 for key in keys}

    loader: BatchLoader[int, int] = BatchLoader(fetch)
    assert await loader.load_many([3, 1, 2]) == [30, 10, 20]
    assert await loader.load(1) == 10  # cached within the request
    assert calls == 1


async def test_a_thousand_keys_make_one_batch() -> None:
    batches: list[int] = []

    async def fetch(keys: list[int]) -> dict[int, int]:
        batches.append(len(keys))
        return {key: key for key in keys}

    loader: BatchLoader[int, int] = BatchLoader(fetch)
    assert MAX_BATCH_SIZE >= 1000
    assert await loader.load_many(list(range(1000))) == list(range(1000))
    assert batches == [1000]


async def test_max_batch_size_splits() -> None:
    batches: list[int] = []

    async def fetch(keys: list[int]) -> dict[int, int]:
        batches.append(len(keys))
        return {}

    loader: BatchLoader[int, int] = BatchLoader(fetch, max_batch_size=2)
    assert await loader.load_many([1, 2, 3]) == [None, None, None]
    assert batches == [2, 1]
