from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from redis.asyncio import Redis

from gateway.persisted_queries import (
    InMemoryPersistedQueryStore,
    ManifestError,
    RedisPersistedQueryStore,
    index_operations,
    load_manifest,
    parse_manifest,
    sha256_hex,
)
from tests.conftest import REDIS_URL, require_service

BODY = "query Client($id: ID!) { client(id: $id) { id fullName } }"


def _manifest(*operations: dict[str, object]) -> dict[str, object]:
    return {"format": "apollo-persisted-query-manifest", "version": 1, "operations": list(operations)}


def test_manifest_operations_are_indexed_by_id_and_body_hash(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(
        json.dumps(_manifest({"id": "client-by-id", "name": "Client", "type": "query", "body": BODY}))
    )
    operations = load_manifest(path)
    index = index_operations(operations)
    assert index["client-by-id"].name == "Client"
    assert index[sha256_hex(BODY)] is index["client-by-id"]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"format": "other"}, "not an Apollo persisted-query manifest"),
        (
            {"format": "apollo-persisted-query-manifest", "version": 2, "operations": []},
            "unsupported manifest version",
        ),
        (_manifest({"id": "a"}), "'body' must be"),
        (_manifest({"id": "0" * 64, "body": BODY}), "is not the SHA-256 of its body"),
        (_manifest({"id": "a", "body": BODY}, {"id": "a", "body": BODY}), "duplicate id 'a'"),
        (_manifest({"id": "a", "body": BODY, "type": "upsert"}), "'type' must be"),
    ],
)
def test_bad_manifests_are_refused_with_the_entry_named(document: object, message: str) -> None:
    with pytest.raises(ManifestError, match=message):
        parse_manifest(document, "m.json")


def test_unreadable_manifest_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text("{not json")
    with pytest.raises(ManifestError, match="is not valid JSON"):
        load_manifest(path)


async def test_memory_store_evicts_least_recently_used() -> None:
    store = InMemoryPersistedQueryStore(capacity=2)
    await store.put("a", "A")
    await store.put("b", "B")
    assert await store.get("a") == "A"
    await store.put("c", "C")
    assert await store.get("b") is None
    assert await store.get("a") == "A"


async def test_redis_store_is_shared_between_instances() -> None:
    require_service("Redis", "127.0.0.1", 6379)
    prefix = f"test-apq-{uuid.uuid4().hex[:8]}:"
    first, second = Redis.from_url(REDIS_URL), Redis.from_url(REDIS_URL)
    try:
        await RedisPersistedQueryStore(first, prefix=prefix).put(sha256_hex(BODY), BODY)
        assert await RedisPersistedQueryStore(second, prefix=prefix).get(sha256_hex(BODY)) == BODY
        assert await RedisPersistedQueryStore(second, prefix=prefix).get("0" * 64) is None
    finally:
        await first.delete(prefix + sha256_hex(BODY))
        await first.aclose()
        await second.aclose()


async def test_redis_failure_is_a_miss_not_an_error() -> None:
    broken = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    store = RedisPersistedQueryStore(broken)
    await store.put("a", "A")
    assert await store.get("a") is None
    await broken.aclose()
