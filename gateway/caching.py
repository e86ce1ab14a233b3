"""In-process caches: a small generic LRU and the query-plan cache built on it.

Planning is pure and deterministic for a given supergraph snapshot and operation, so a plan
is cached under ``(supergraph id, document hash, operation name)``. A new supergraph snapshot
has a new id, so its plans never mix with the old ones. The cache lives inside one process;
each uvicorn worker has its own.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, NamedTuple, TypeVar

from gateway.planner.plan import QueryPlan

__all__ = ["LRUCache", "PlanCache", "PlanCacheKey", "document_hash"]

K = TypeVar("K")
V = TypeVar("V")


def document_hash(source: str) -> str:
    """A stable hash of a query document's text (SHA-256, hex), as APQ uses."""
    return hashlib.sha256(source.encode()).hexdigest()


class LRUCache(Generic[K, V]):
    """A bounded mapping that evicts the least recently used entry.

    Not thread-safe; the gateway runs one event loop per process.
    """

    __slots__ = ("_data", "hits", "maxsize", "misses")

    def __init__(self, maxsize: int) -> None:
        if maxsize < 1:
            raise ValueError(f"An LRU cache needs maxsize >= 1, got {maxsize}.")
        self.maxsize = maxsize
        self._data: OrderedDict[K, V] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: K) -> V | None:
        """Return the cached value (marking it recently used), or ``None``."""
        try:
            value = self._data[key]
        except KeyError:
            self.misses += 1
            return None
        self._data.move_to_end(key)
        self.hits += 1
        return value

    def put(self, key: K, value: V) -> None:
        """Store ``value``, evicting the oldest entry when full."""
        self._data[key] = value
        self._data.move_to_end(key)
        if len(self._data) > self.maxsize:
            self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)

    def clear(self) -> None:
        """Drop every entry (counters are kept)."""
        self._data.clear()


class PlanCacheKey(NamedTuple):
    """What a query plan depends on."""

    supergraph_id: str
    document_hash: str
    operation_name: str | None


class PlanCache:
    """Query plans by ``PlanCacheKey``, with hit/miss callbacks for metrics."""

    __slots__ = ("_lru", "_on_hit", "_on_miss")

    def __init__(
        self,
        maxsize: int,
        *,
        on_hit: Callable[[], None] | None = None,
        on_miss: Callable[[], None] | None = None,
    ) -> None:
        self._lru: LRUCache[PlanCacheKey, QueryPlan] = LRUCache(maxsize)
        self._on_hit = on_hit
        self._on_miss = on_miss

    def get_or_plan(self, key: PlanCacheKey, plan: Callable[[], QueryPlan]) -> QueryPlan:
        """Return the cached plan for ``key``, or call ``plan()`` and cache its result."""
        cached = self._lru.get(key)
        if cached is not None:
            if self._on_hit is not None:
                self._on_hit()
            return cached
        if self._on_miss is not None:
            self._on_miss()
        result = plan()
        self._lru.put(key, result)
        return result

    @property
    def hits(self) -> int:
        """Lookups answered from the cache."""
        return self._lru.hits

    @property
    def misses(self) -> int:
        """Lookups that had to plan."""
        return self._lru.misses

    def __len__(self) -> int:
        return len(self._lru)
