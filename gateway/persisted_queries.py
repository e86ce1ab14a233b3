"""Persisted operations: Apollo manifests (the partner safelist) and automatic persisted queries.

Two mechanisms share this module:

* **Manifests** (``{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [...]}``)
  list the operations a partner may run. They are read at start; the pipeline parses, validates and
  plans each body once at load, never per request.
* **APQ** (``extensions.persistedQuery.sha256Hash``): a client sends a hash; an unknown hash gets
  ``PERSISTED_QUERY_NOT_FOUND`` and the client retries with hash + body, which is verified and
  stored. The store is Redis when configured (shared by every replica), an in-memory LRU otherwise.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

__all__ = [
    "InMemoryPersistedQueryStore",
    "ManifestError",
    "PersistedOperation",
    "PersistedQueryStore",
    "RedisPersistedQueryStore",
    "index_operations",
    "load_manifest",
    "parse_manifest",
    "sha256_hex",
]

_log = logging.getLogger(__name__)
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
MANIFEST_FORMAT = "apollo-persisted-query-manifest"


class ManifestError(ValueError):
    """A manifest file is invalid; the message names the file and the operation."""


@dataclass(frozen=True, slots=True)
class PersistedOperation:
    """One operation of a manifest."""

    id: str
    """The manifest id; by convention the SHA-256 hex of ``body``."""
    body: str
    name: str | None = None
    type: str = "query"


def sha256_hex(text: str) -> str:
    """SHA-256 of ``text`` (UTF-8) as lowercase hex, the APQ and manifest hash."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_manifest(document: Any, source: str) -> tuple[PersistedOperation, ...]:
    """Validate a parsed manifest; ``source`` names it in errors.

    An id that is 64 hex digits must be the SHA-256 of its body (so it can double as an APQ hash).
    """
    if not isinstance(document, dict) or document.get("format") != MANIFEST_FORMAT:
        raise ManifestError(
            f"{source}: not an Apollo persisted-query manifest ('format': {MANIFEST_FORMAT!r})."
        )
    if document.get("version") != 1:
        raise ManifestError(
            f"{source}: unsupported manifest version {document.get('version')!r}; expected 1."
        )
    raw_operations = document.get("operations")
    if not isinstance(raw_operations, list):
        raise ManifestError(f"{source}: 'operations' must be a list.")
    operations: list[PersistedOperation] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_operations):
        where = f"{source}: operations[{index}]"
        if not isinstance(raw, dict):
            raise ManifestError(f"{where} must be an object with 'id' and 'body'.")
        op_id, body = raw.get("id"), raw.get("body")
        if not isinstance(op_id, str) or not op_id:
            raise ManifestError(f"{where}: 'id' must be a non-empty string.")
        if not isinstance(body, str) or not body.strip():
            raise ManifestError(f"{where} ({op_id!r}): 'body' must be the operation's GraphQL text.")
        if _HEX64.match(op_id) and sha256_hex(body) != op_id:
            raise ManifestError(f"{where}: id {op_id!r} is not the SHA-256 of its body.")
        if op_id in seen:
            raise ManifestError(f"{where}: duplicate id {op_id!r}.")
        seen.add(op_id)
        op_type = raw.get("type", "query")
        if op_type not in ("query", "mutation", "subscription"):
            raise ManifestError(f"{where} ({op_id!r}): 'type' must be query, mutation or subscription.")
        name = raw.get("name")
        operations.append(PersistedOperation(op_id, body, name if isinstance(name, str) else None, op_type))
    return tuple(operations)


def load_manifest(path: Path) -> tuple[PersistedOperation, ...]:
    """Read and validate the manifest at ``path``."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ManifestError(f"Cannot read manifest {str(path)!r}: {exc.strerror}.") from exc
    except json.JSONDecodeError as exc:
        raise ManifestError(
            f"Manifest {str(path)!r} is not valid JSON: {exc.msg} at line {exc.lineno}."
        ) from exc
    return parse_manifest(document, str(path))


def index_operations(operations: Iterable[PersistedOperation]) -> Mapping[str, PersistedOperation]:
    """Look-up by manifest id and by the body's SHA-256 (what APQ-style clients send)."""
    index: dict[str, PersistedOperation] = {}
    for operation in operations:
        index[operation.id] = operation
        index.setdefault(sha256_hex(operation.body), operation)
    return index


class PersistedQueryStore(Protocol):
    """Where APQ bodies live, keyed by SHA-256 hex."""

    async def get(self, sha256: str) -> str | None: ...

    async def put(self, sha256: str, body: str) -> None: ...


class InMemoryPersistedQueryStore:
    """A bounded LRU of APQ bodies, per process."""

    def __init__(self, capacity: int = 10_000) -> None:
        self._items: OrderedDict[str, str] = OrderedDict()
        self._capacity = capacity

    async def get(self, sha256: str) -> str | None:
        body = self._items.get(sha256)
        if body is not None:
            self._items.move_to_end(sha256)
        return body

    async def put(self, sha256: str, body: str) -> None:
        self._items[sha256] = body
        self._items.move_to_end(sha256)
        while len(self._items) > self._capacity:
            self._items.popitem(last=False)


class RedisPersistedQueryStore:
    """APQ bodies in Redis, shared by every gateway replica, with a TTL refreshed on write.

    A Redis failure degrades to a miss (the client resends the body), never to an error.
    """

    def __init__(
        self, redis: Redis, *, prefix: str = "insuretech:apq:", ttl_seconds: int = 7 * 24 * 3600
    ) -> None:
        self._redis = redis
        self._prefix = prefix
        self._ttl = ttl_seconds

    async def get(self, sha256: str) -> str | None:
        try:
            value = await self._redis.get(self._prefix + sha256)
        except RedisError as exc:
            _log.warning("APQ read from Redis failed (%s); treating as a miss.", exc)
            return None
        if value is None:
            return None
        return value.decode("utf-8") if isinstance(value, bytes) else str(value)

    async def put(self, sha256: str, body: str) -> None:
        try:
            await self._redis.set(self._prefix + sha256, body, ex=self._ttl)
        except RedisError as exc:
            _log.warning("APQ write to Redis failed (%s); the body is not shared.", exc)
