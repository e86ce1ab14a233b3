"""Query-plan caching: a small generic LRU, a shared Redis level, and the two-level plan cache.

Planning is pure and deterministic for a given supergraph snapshot and operation, so a plan
is cached under ``(supergraph id, document hash, operation name)``. A new supergraph snapshot
has a new id, so its plans never mix with the old ones. The first level is an LRU inside the
process (each uvicorn worker has its own); with ``REDIS_URL`` set, a second level in Redis is
shared by every replica, so an operation is planned once per fleet rather than once per process.

Redis only ever saves work: a slow, unreachable or corrupt Redis degrades to planning locally,
never to a failed request. Plans travel as ``orjson`` of ``QueryPlan.to_json()`` and come back
through ``QueryPlan.from_json()``; planning itself stays pure and knows nothing of either level.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, Generic, NamedTuple, Protocol, TypeVar

import orjson
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

import gateway.planner
from gateway.planner.plan import InvalidPlanJSONError, QueryPlan

__all__ = [
    "LRUCache",
    "PlanCache",
    "PlanCacheKey",
    "RedisPlanStore",
    "SharedPlanStore",
    "document_hash",
    "planner_fingerprint",
]

_log = logging.getLogger(__name__)

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


class SharedPlanStore(Protocol):
    """A plan cache shared by gateway replicas (``RedisPlanStore``); failures read as misses."""

    async def get(self, key: PlanCacheKey) -> QueryPlan | None: ...

    def put(self, key: PlanCacheKey, plan: QueryPlan) -> None: ...


class PlanCache:
    """Query plans by ``PlanCacheKey``: the in-process LRU, then an optional shared store.

    ``get`` answers from the LRU only (no I/O: the hot path). On a local miss,
    ``fetch_or_plan`` asks the shared store, then plans; one lookup runs per key at a time, so
    concurrent requests for a new operation plan it once. Without a shared store it plans at
    once, as ``get_or_plan`` (synchronous, for planning at load) always does.
    """

    __slots__ = ("_lru", "_on_hit", "_on_miss", "_on_shared", "_pending", "shared", "shared_hits")

    def __init__(
        self,
        maxsize: int,
        *,
        shared: SharedPlanStore | None = None,
        on_hit: Callable[[], None] | None = None,
        on_miss: Callable[[], None] | None = None,
        on_shared_lookup: Callable[[bool], None] | None = None,
    ) -> None:
        self._lru: LRUCache[PlanCacheKey, QueryPlan] = LRUCache(maxsize)
        self.shared = shared
        """The second level (Redis), or ``None``: plans then stay in this process."""
        self.shared_hits = 0
        self._on_hit = on_hit
        self._on_miss = on_miss
        self._on_shared = on_shared_lookup
        self._pending: dict[PlanCacheKey, asyncio.Future[QueryPlan]] = {}

    def get(self, key: PlanCacheKey) -> QueryPlan | None:
        """The plan in the local LRU, or ``None``; counts a local hit (a miss is counted by the fill)."""
        cached = self._lru.get(key)
        if cached is not None and self._on_hit is not None:
            self._on_hit()
        return cached

    def get_or_plan(self, key: PlanCacheKey, plan: Callable[[], QueryPlan]) -> QueryPlan:
        """Return the locally cached plan for ``key``, or call ``plan()`` and cache its result locally."""
        cached = self.get(key)
        if cached is not None:
            return cached
        return self._plan_locally(key, plan)

    async def fetch_or_plan(self, key: PlanCacheKey, plan: Callable[[], QueryPlan]) -> QueryPlan:
        """After a local miss: the shared store's plan, else ``plan()``; store it at both levels.

        Raises:
            GatewayError: ``plan()`` failed (nothing is cached then).
        """
        if self.shared is None:
            return self._plan_locally(key, plan)
        if self._on_miss is not None:
            self._on_miss()
        pending = self._pending.get(key)
        if pending is None:
            # Its own task: a client that disconnects does not cancel the lookup for the others.
            pending = asyncio.ensure_future(self._fill(self.shared, key, plan))
            self._pending[key] = pending
            pending.add_done_callback(lambda done: self._finish(key, done))
        return await asyncio.shield(pending)

    async def _fill(
        self, shared: SharedPlanStore, key: PlanCacheKey, plan: Callable[[], QueryPlan]
    ) -> QueryPlan:
        result = await shared.get(key)
        if self._on_shared is not None:
            self._on_shared(result is not None)
        if result is None:
            result = plan()
            shared.put(key, result)
        else:
            self.shared_hits += 1
        self._lru.put(key, result)
        return result

    def _finish(self, key: PlanCacheKey, task: asyncio.Future[QueryPlan]) -> None:
        self._pending.pop(key, None)
        if not task.cancelled():
            task.exception()  # retrieved here, so a failure nobody awaits any more is not logged

    def _plan_locally(self, key: PlanCacheKey, plan: Callable[[], QueryPlan]) -> QueryPlan:
        if self._on_miss is not None:
            self._on_miss()
        result = plan()
        self._lru.put(key, result)
        return result

    @property
    def hits(self) -> int:
        """Lookups answered from the local LRU."""
        return self._lru.hits

    @property
    def misses(self) -> int:
        """Lookups the local LRU could not answer (planned, or found in the shared store)."""
        return self._lru.misses

    def __len__(self) -> int:
        return len(self._lru)


@cache
def planner_fingerprint() -> str:
    """A hash of the planner's source: plans in Redis are only reused by an identical planner.

    Replicas of different versions share Redis during a rolling deploy; without this, a fixed
    planner would keep serving the old version's plans until they expire.
    """
    digest = hashlib.sha256()
    for path in sorted(Path(gateway.planner.__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class RedisPlanStore:
    """Query plans in Redis, shared by every gateway replica, with a TTL.

    Keys are ``<prefix><planner fingerprint>:<supergraph id>:<document hash>:<operation name>``
    (an anonymous operation has an empty name); values are ``orjson`` of ``QueryPlan.to_json()``.
    Reads take one short round trip; writes run in the background. When Redis fails, the store
    logs once, reports the failure to ``on_error`` and answers misses without touching Redis for
    ``retry_after`` seconds, then tries again (the client reconnects by itself). A value that does
    not decode is reported and treated as a miss; the caller's new plan overwrites it.

    Args:
        redis: The client; ``from_url`` builds one with short timeouts and no retries.
        prefix: Namespace of the keys, e.g. ``"insuretech:plan:"``.
        ttl_seconds: Lifetime of a stored plan.
        retry_after: Seconds to skip Redis after a failure.
        timeout: Seconds one read or write may take before it counts as a failure.
        on_error: Called with ``"get"``, ``"set"`` or ``"decode"`` for every failure (metrics).
        fingerprint: Identifies the planner version; ``planner_fingerprint()`` by default.
        max_pending_writes: Background writes in flight beyond which new writes are dropped.
    """

    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str = "insuretech:plan:",
        ttl_seconds: int = 24 * 3600,
        retry_after: float = 5.0,
        timeout: float = 0.25,
        on_error: Callable[[str], None] | None = None,
        fingerprint: str | None = None,
        max_pending_writes: int = 64,
    ) -> None:
        self._redis = redis
        self._prefix = f"{prefix}{fingerprint or planner_fingerprint()}:"
        self._ttl = ttl_seconds
        self._retry_after = retry_after
        self._timeout = timeout
        self._on_error = on_error
        self._max_pending = max_pending_writes
        self._writes: set[asyncio.Task[None]] = set()
        self._down_until: float | None = None
        """While Redis is failing: the monotonic time of the next attempt."""

    @classmethod
    def from_url(cls, url: str, *, timeout: float = 0.25, **options: Any) -> RedisPlanStore:
        """A store on a new client for ``url`` that fails fast instead of retrying.

        ``options`` are the other keyword arguments of the constructor.
        """
        redis = Redis.from_url(
            url, socket_connect_timeout=timeout, socket_timeout=timeout, retry=Retry(NoBackoff(), 0)
        )
        return cls(redis, timeout=timeout, **options)

    def key(self, key: PlanCacheKey) -> str:
        """The Redis key of ``key``."""
        return f"{self._prefix}{key.supergraph_id}:{key.document_hash}:{key.operation_name or ''}"

    async def get(self, key: PlanCacheKey) -> QueryPlan | None:
        """The stored plan, or ``None`` on a miss, a Redis failure or an undecodable value."""
        if not self._available():
            return None
        redis_key = self.key(key)
        try:
            async with asyncio.timeout(self._timeout):
                raw = await self._redis.get(redis_key)
        except (RedisError, OSError, TimeoutError) as exc:
            self._failed("get", exc)
            return None
        self._recovered()
        if raw is None:
            return None
        try:
            return QueryPlan.from_json(orjson.loads(raw))
        except (orjson.JSONDecodeError, InvalidPlanJSONError) as exc:
            _log.warning(
                "Ignoring the unreadable plan at Redis key %r and planning again: %s", redis_key, exc
            )
            self._report("decode")
            return None

    def put(self, key: PlanCacheKey, plan: QueryPlan) -> None:
        """Store ``plan`` in the background; dropped while Redis is failing or too many writes wait."""
        if not self._available() or len(self._writes) >= self._max_pending:
            return
        try:
            task = asyncio.get_running_loop().create_task(
                self._set(self.key(key), orjson.dumps(plan.to_json()))
            )
        except RuntimeError:  # no event loop: nothing to write with
            return
        self._writes.add(task)
        task.add_done_callback(self._writes.discard)

    async def _set(self, redis_key: str, value: bytes) -> None:
        try:
            async with asyncio.timeout(self._timeout):
                await self._redis.set(redis_key, value, ex=self._ttl)
        except (RedisError, OSError, TimeoutError) as exc:
            self._failed("set", exc)
            return
        self._recovered()

    async def drain(self) -> None:
        """Wait for the background writes in flight (tests, shutdown)."""
        while self._writes:
            await asyncio.gather(*self._writes, return_exceptions=True)

    async def aclose(self) -> None:
        """Finish the pending writes, then close the client."""
        await self.drain()
        await self._redis.aclose()

    @property
    def available(self) -> bool:
        """``False`` while the store is skipping Redis after a failure."""
        return self._down_until is None

    def _available(self) -> bool:
        return self._down_until is None or time.monotonic() >= self._down_until

    def _failed(self, operation: str, exc: BaseException) -> None:
        self._report(operation)
        if self._down_until is None:
            _log.warning(
                "The shared plan cache in Redis failed (%s: %s); planning locally and retrying every %.0f s.",
                operation,
                str(exc) or type(exc).__name__,
                self._retry_after,
            )
        self._down_until = time.monotonic() + self._retry_after

    def _recovered(self) -> None:
        if self._down_until is not None:
            self._down_until = None
            _log.info("The shared plan cache in Redis answers again.")

    def _report(self, operation: str) -> None:
        if self._on_error is not None:
            self._on_error(operation)
