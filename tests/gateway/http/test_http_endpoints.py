from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from gateway.errors import SubgraphUnavailable
from gateway.execution import SubgraphRequest
from gateway.types import JSONObject
from tests.gateway.http.http_world import FakePlanner, make_app, serve

GQL_JSON = "application/graphql-response+json"
QUERY = "{ me { id name } }"


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app, _ = make_app(tmp_path, dev=True)
    async with serve(app) as test_client:
        yield test_client


async def post(client: httpx.AsyncClient, body: Any, accept: str | None = None, **headers: str) -> Any:
    all_headers = {"content-type": "application/json", **headers}
    if accept is not None:
        all_headers["accept"] = accept
    content = body if isinstance(body, bytes) else orjson.dumps(body)
    return await client.post("/graphql", content=content, headers=all_headers)


def code_of(response: Any) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


async def test_post_returns_shaped_data(client: httpx.AsyncClient) -> None:
    response = await post(client, {"query": QUERY})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"data": {"me": {"id": "1", "name": "Ada"}}}
    assert response.headers["x-request-id"]


async def test_graphql_response_json_is_used_when_accepted(client: httpx.AsyncClient) -> None:
    response = await post(client, {"query": QUERY}, accept=f"{GQL_JSON}, application/json;q=0.9")
    assert response.status_code == 200
    assert response.headers["content-type"] == GQL_JSON


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        ("{ me { ", None, "GRAPHQL_PARSE_FAILED"),
        ("{ nope }", None, "GRAPHQL_VALIDATION_FAILED"),
        ("query ($id: ID!) { user(id: $id) { id } }", {"id": {"x": 1}}, "BAD_USER_INPUT"),
    ],
)
async def test_graphql_request_errors_are_4xx_only_for_graphql_response_json(
    client: httpx.AsyncClient, query: str, variables: JSONObject | None, code: str
) -> None:
    body = {"query": query, "variables": variables}
    legacy = await post(client, body, accept="application/json")
    assert (legacy.status_code, code_of(legacy)) == (200, code)
    assert "data" not in legacy.json()
    modern = await post(client, body, accept=GQL_JSON)
    assert (modern.status_code, code_of(modern)) == (400, code)
    assert modern.headers["content-type"] == GQL_JSON


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"{not json", "not valid JSON"),
        (b"[]", "Batched requests"),
        (b'"query"', "JSON object"),
        (b"{}", "non-empty 'query'"),
        (b'{"query": 1}', "non-empty 'query'"),
        (b'{"query": "{ hello }", "variables": [1]}', "'variables' must be a JSON object"),
        (b'{"query": "{ hello }", "extensions": "x"}', "'extensions' must be a JSON object"),
        (b'{"query": "{ hello }", "operationName": 5}', "'operationName' must be a string"),
    ],
)
async def test_malformed_bodies_are_400_bad_request(
    client: httpx.AsyncClient, body: bytes, fragment: str
) -> None:
    for accept in ("application/json", GQL_JSON):
        response = await post(client, body, accept=accept)
        assert response.status_code == 400
        assert code_of(response) == "BAD_REQUEST"
        assert fragment in response.json()["errors"][0]["message"]


async def test_unknown_operation_name_is_400(client: httpx.AsyncClient) -> None:
    response = await post(client, {"query": "query A { hello }", "operationName": "B"})
    assert (response.status_code, code_of(response)) == (400, "OPERATION_NOT_FOUND")
    several = await post(client, {"query": "query A { hello } query B { hello }"})
    assert (several.status_code, code_of(several)) == (400, "OPERATION_NOT_FOUND")


async def test_empty_operation_name_means_none(client: httpx.AsyncClient) -> None:
    assert (await post(client, {"query": "{ hello }", "operationName": ""})).json() == {
        "data": {"hello": "world"}
    }


async def test_non_json_content_type_is_415(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", content=b'{"query": "{ hello }"}', headers={"content-type": "text/plain"}
    )
    assert (response.status_code, code_of(response)) == (415, "UNSUPPORTED_MEDIA_TYPE")


async def test_unacceptable_accept_is_406(client: httpx.AsyncClient) -> None:
    response = await post(client, {"query": QUERY}, accept="image/png")
    assert (response.status_code, code_of(response)) == (406, "NOT_ACCEPTABLE")


async def test_body_over_the_limit_is_413_from_content_length(tmp_path: Path) -> None:
    app, transport = make_app(tmp_path, max_body_bytes=100)
    async with serve(app) as client:
        response = await post(client, {"query": "{ hello }", "pad": "x" * 200})
    assert (response.status_code, code_of(response)) == (413, "PAYLOAD_TOO_LARGE")
    assert transport.requests == []


async def test_a_10_mb_body_is_413_with_the_default_limit(tmp_path: Path) -> None:
    app, transport = make_app(tmp_path)
    async with serve(app) as client:
        response = await post(client, {"query": "{ hello }", "pad": "x" * (10 * 1024 * 1024)})
    assert (response.status_code, code_of(response)) == (413, "PAYLOAD_TOO_LARGE")
    assert "limit of 2097152 bytes" in response.json()["errors"][0]["message"]
    assert transport.requests == []


async def test_streamed_body_over_the_limit_is_413(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, max_body_bytes=100)

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "{ hello }", "pad": "'
        for _ in range(50):
            yield b"x" * 10
        yield b'"}'

    async with serve(app) as client:
        response = await client.post(
            "/graphql", content=chunks(), headers={"content-type": "application/json"}
        )
    assert (response.status_code, code_of(response)) == (413, "PAYLOAD_TOO_LARGE")


async def test_bad_content_length_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", content=b"{}", headers={"content-type": "application/json", "content-length": "x"}
    )
    assert response.status_code == 400


async def test_deeply_nested_query_is_400_depth_limit(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, max_depth=3)
    async with serve(app) as client:
        response = await post(
            client, {"query": "{ me { friend { friend { friend { id } } } } }"}, accept=GQL_JSON
        )
        legacy = await post(client, {"query": "{ me { friend { friend { friend { id } } } } }"})
    assert (response.status_code, code_of(response)) == (400, "DEPTH_LIMIT_EXCEEDED")
    assert legacy.status_code == 400


async def test_get_runs_queries(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/graphql", params={"query": "query ($id: ID!) { user(id: $id) { id } }", "variables": '{"id": "1"}'}
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"user": None}}


async def test_get_with_bad_variables_json_is_400(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "{ hello }", "variables": "{oops"})
    assert (response.status_code, code_of(response)) == (400, "BAD_REQUEST")


async def test_get_without_query_is_400(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "application/json"})
    assert (response.status_code, code_of(response)) == (400, "BAD_REQUEST")


async def test_mutation_over_get_is_405(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": 'mutation { rename(name: "x") { id } }'})
    assert (response.status_code, code_of(response)) == (405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == "POST"


async def test_other_methods_are_405(client: httpx.AsyncClient) -> None:
    assert (await client.put("/graphql", content=b"{}")).status_code == 405


async def test_browsers_get_graphiql(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


async def test_graphiql_can_be_disabled(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, graphiql=False)
    async with serve(app) as client:
        response = await client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 406


async def test_subgraph_failure_is_partial_data_not_500(tmp_path: Path) -> None:
    def down(request: SubgraphRequest) -> JSONObject:
        raise SubgraphUnavailable("Subgraph 'accounts' could not be reached.", service_name="accounts")

    app, _ = make_app(tmp_path, handler=down)
    async with serve(app) as client:
        response = await post(client, {"query": "{ me { id } hello }"}, accept=GQL_JSON)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"me": None, "hello": None}
    assert body["errors"][0]["extensions"] == {"code": "SUBGRAPH_UNAVAILABLE", "serviceName": "accounts"}


async def test_internal_errors_are_500_and_masked(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, planner=FakePlanner(fail=True))
    async with serve(app) as client:
        response = await post(client, {"query": QUERY}, **{"x-request-id": "abc"})
    assert response.status_code == 500
    assert response.json() == {
        "errors": [
            {
                "message": "Internal server error.",
                "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": "abc"},
            }
        ]
    }
    assert response.headers["x-request-id"] == "abc"


async def test_query_plan_extension_in_dev_mode(client: httpx.AsyncClient) -> None:
    by_header = (await post(client, {"query": QUERY}, **{"x-query-plan": "true"})).json()
    assert by_header["extensions"]["queryPlan"]["node"]["kind"] == "Fetch"
    by_extension = (await post(client, {"query": QUERY, "extensions": {"queryPlan": True}})).json()
    assert by_extension["extensions"]["queryPlan"]["node"]["serviceName"] == "accounts"
    assert "extensions" not in (await post(client, {"query": QUERY})).json()


async def test_query_plan_is_not_exposed_outside_dev_mode(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with serve(app) as client:
        body = (await post(client, {"query": QUERY}, **{"x-query-plan": "true"})).json()
    assert "extensions" not in body


async def test_health_and_not_ready(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, load=False)
    async with serve(app) as client:
        assert (await client.get("/health")).status_code == 503
        assert (await client.get("/readyz")).status_code == 503
        assert (await client.get("/healthz")).status_code == 200
        response = await post(client, {"query": QUERY})
        assert (response.status_code, code_of(response)) == (503, "SERVICE_NOT_READY")
    ready, _ = make_app(tmp_path)
    async with serve(ready) as client:
        assert (await client.get("/health")).json() == {"status": "ok"}


async def test_metrics_endpoint(client: httpx.AsyncClient) -> None:
    await post(client, {"query": "query Me { me { id } }"})
    await post(client, {"query": "query Me { me { id } }"})
    await post(client, {"query": "{ nope }"})
    response = await client.get("/metrics")
    assert response.status_code == 200
    text = response.text
    assert 'gateway_requests_total{operation="Me",outcome="success"} 2.0' in text
    assert 'gateway_requests_total{operation="anonymous",outcome="error"} 1.0' in text
    assert 'gateway_plan_cache_lookups_total{level="local",result="miss"} 1.0' in text
    assert 'gateway_plan_cache_lookups_total{level="local",result="hit"} 1.0' in text
    assert 'gateway_subgraph_fetch_duration_seconds_count{subgraph="accounts"} 2.0' in text
    assert "gateway_request_duration_seconds_bucket" in text


async def test_request_id_and_configured_headers_reach_the_subgraphs(tmp_path: Path) -> None:
    app, transport = make_app(tmp_path, forward_headers=("authorization",))
    async with serve(app) as client:
        await client.post(
            "/graphql",
            json={"query": QUERY},
            headers={"authorization": "Bearer t", "cookie": "secret", "x-request-id": "rid-1"},
        )
    assert transport.requests[0].headers == (("authorization", "Bearer t"), ("x-request-id", "rid-1"))
