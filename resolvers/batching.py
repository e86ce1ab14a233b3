"""Typed, per-request DataLoaders whose batch function makes exactly one batch RPC per tick.

``aiodataloader`` collects every ``load(key)`` issued in one event-loop tick and hands them to
the batch function together; ``BatchLoader`` adds typing, key de-duplication and the rule
that results come back in key order with ``None`` for keys the backend does not know. Loaders
are created per request (see ``resolvers.context``) so their caches never leak between
requests or users.

See https://github.com/graphql/dataloader#batch-function
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Iterable, Mapping, Sequence
from typing import Generic, TypeVar

from aiodataloader import DataLoader

__all__ = ["MAX_BATCH_SIZE", "BatchLoader", "order_by_keys", "unique"]

MAX_BATCH_SIZE = 1000
"""Keys per batch RPC; large enough that 1,000 entity representations make ONE call."""

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def unique(keys: Iterable[K]) -> list[K]:
    """The keys without repeats, in first-seen order."""
    return list(dict.fromkeys(keys))


def order_by_keys(keys: Sequence[K], found: Mapping[K, V]) -> list[V | None]:
    """The values of ``found`` in the order of ``keys``, ``None`` where a key is missing."""
    return [found.get(key) for key in keys]


class BatchLoader(Generic[K, V]):
    """A DataLoader over ``fetch(unique_keys) -> {key: value}`` (one RPC per call of ``fetch``)."""

    def __init__(
        self, fetch: Callable[[list[K]], Awaitable[Mapping[K, V]]], *, max_batch_size: int = MAX_BATCH_SIZE
    ) -> None:
        self._fetch = fetch
        self.batches: list[int] = []
        """The size of every batch dispatched so far (for tests and debugging)."""
        self._loader = DataLoader(
            self._batch_load, max_batch_size=max_batch_size, loop=asyncio.get_running_loop()
        )

    async def _batch_load(self, keys: list[K]) -> list[V | None]:
        distinct = unique(keys)
        self.batches.append(len(distinct))
        found = await self._fetch(distinct)
        return order_by_keys(keys, found)

    async def load(self, key: K) -> V | None:
        """The value for ``key``, or ``None`` when the backend does not know it."""
        result: V | None = await self._loader.load(key)
        return result

    async def load_many(self, keys: Sequence[K]) -> list[V | None]:
        """The values for ``keys`` in order, ``None`` for unknown keys."""
        results: list[V | None] = await self._loader.load_many(list(keys))
        return results
