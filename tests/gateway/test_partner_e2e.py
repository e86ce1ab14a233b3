"""End to end: two gateway processes share one Redis; a partner's combined limit holds."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import httpx
import pytest

from gateway.persisted_queries import sha256_hex
from tests.conftest import REDIS_URL, drop_redis_keys, require_service
from tests.gateway.partner_world import APP_1, gateway_cluster, write_partners

SHARED_KEY = "shared-e2e-key"
LIMIT = 30
GET = "query GetOne($id: ID!) { application(id: $id) { id number } }"


@dataclass
class Cluster:
    urls: list[str]
    get_hash: str


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    require_service("Redis", "127.0.0.1", 6379)
    tmp = tmp_path_factory.mktemp("e2e")
    manifest = tmp / "manifest.json"
    manifest.write_text(
        '{"format": "apollo-persisted-query-manifest", "version": 1, "operations": '
        f'[{{"id": "{sha256_hex(GET)}", "name": "GetOne", "type": "query", "body": "{GET}"}}]}}'
    )
    partners = write_partners(
        tmp,
        f"""
  - id: shared
    name: Shared
    api_keys: ["sha256:{sha256_hex(SHARED_KEY)}"]
    rate_limit: {LIMIT}/minute
    manifests: ["{manifest}"]
  - id: reader
    name: Reader
    api_keys: ["sha256:{sha256_hex("reader-e2e-key")}"]
    manifests: ["{manifest}"]
  - id: webapp
    name: Web app
    api_keys: ["sha256:{sha256_hex("webapp-e2e-key")}"]
    persisted_only: false
""",
    )
    prefix = f"test-e2e-{uuid.uuid4().hex[:8]}"
    env = {"REDIS_URL": REDIS_URL, "GATEWAY_REDIS_PREFIX": prefix}
    try:
        with gateway_cluster(tmp, partners, replicas=2, env=env) as urls:
            yield Cluster(urls, sha256_hex(GET))
    finally:
        asyncio.run(drop_redis_keys(f"*{prefix}*"))


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


def _persisted(ref: str) -> dict[str, object]:
    return {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": ref}}, "variables": {"id": APP_1}}


async def test_two_replicas_enforce_the_partners_combined_limit(
    cluster: Cluster, http: httpx.AsyncClient
) -> None:
    headers = {"x-api-key": SHARED_KEY}

    async def one(index: int) -> int:
        url = cluster.urls[index % 2] + "/graphql"
        return (await http.post(url, json=_persisted(cluster.get_hash), headers=headers)).status_code

    statuses = await asyncio.gather(*(one(i) for i in range(2 * LIMIT)))
    accepted = statuses.count(200)
    assert statuses.count(429) + accepted == 2 * LIMIT
    assert abs(accepted - LIMIT) <= 1, f"accepted {accepted} of a combined limit of {LIMIT}"
    for url in cluster.urls:  # both replicas see the full window
        refused = await http.post(url + "/graphql", json=_persisted(cluster.get_hash), headers=headers)
        assert refused.status_code == 429
        assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        assert refused.headers["ratelimit-remaining"] == "0"
        assert int(refused.headers["retry-after"]) >= 1


async def test_keys_safelist_and_apq_across_replicas(cluster: Cluster, http: httpx.AsyncClient) -> None:
    first, second = (url + "/graphql" for url in cluster.urls)
    missing = await http.post(first, json={"query": GET})
    assert missing.status_code == 401
    assert missing.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    reader = {"x-api-key": "reader-e2e-key"}
    allowed = await http.post(second, json={"query": GET, "variables": {"id": APP_1}}, headers=reader)
    assert allowed.json() == {"data": {"application": {"id": APP_1, "number": "APP-2025-000001"}}}
    other = f'{{ application(id: "{APP_1}") {{ number }} }}'
    refused = await http.post(second, json={"query": other}, headers=reader)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
    web = {"x-api-key": "webapp-e2e-key", "accept": "application/graphql-response+json"}
    query = f'{{ application(id: "{APP_1}") {{ number }} }}'
    ref = sha256_hex(query)
    apq = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": ref}}}
    unknown = await http.post(second, json=apq, headers=web)
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    stored = await http.post(first, json={"query": query, **apq}, headers=web)
    assert stored.json() == {"data": {"application": {"number": "APP-2025-000001"}}}
    shared = await http.post(second, json=apq, headers=web)  # stored by the other replica, in Redis
    assert shared.json() == stored.json()
    mismatch = await http.post(second, json={"query": query + " ", **apq}, headers=web)
    assert mismatch.status_code == 400
    assert mismatch.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
