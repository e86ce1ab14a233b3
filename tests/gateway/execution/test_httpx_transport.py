from __future__ import annotations

import socket
from collections.abc import Callable

import httpx
import orjson
import pytest

from gateway.errors import DownstreamServiceError, SubgraphUnavailable, UpstreamError
from gateway.execution import HttpxTransport, MockTransport, SubgraphRequest
from gateway.types import JSONObject, SubgraphName

REQUEST = SubgraphRequest(SubgraphName("products"), "query Q($n:Int){top(n:$n){id}}", {"n": 2}, "Q")


def _transport(handler: Callable[[httpx.Request], httpx.Response]) -> HttpxTransport:
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return HttpxTransport({"products": "http://products.test/graphql"}, client, timeout=1.5)


async def test_posts_a_graphql_over_http_request() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"data": {"top": []}})

    transport = _transport(handler)
    assert await transport.fetch(REQUEST) == {"data": {"top": []}}
    await transport.aclose()
    assert str(seen[0].url) == "http://products.test/graphql"
    assert seen[0].headers["content-type"] == "application/json"
    assert orjson.loads(seen[0].content) == {
        "query": REQUEST.query,
        "variables": {"n": 2},
        "operationName": "Q",
    }


async def test_graphql_errors_with_an_http_error_status_are_still_returned() -> None:
    body = {"errors": [{"message": "Bad."}]}
    transport = _transport(lambda r: httpx.Response(400, json=body))
    assert await transport.fetch(REQUEST) == body


@pytest.mark.parametrize(
    ("response", "error", "fragment"),
    [
        (httpx.Response(503, text="upstream down"), SubgraphUnavailable, "HTTP status 503"),
        (httpx.Response(500, json={"detail": "x"}), SubgraphUnavailable, "HTTP status 500"),
        (httpx.Response(200, text="<html>"), DownstreamServiceError, "not JSON"),
        (httpx.Response(200, json=[1, 2]), DownstreamServiceError, "not a GraphQL response"),
    ],
)
async def test_bad_responses_map_to_upstream_errors(
    response: httpx.Response, error: type[UpstreamError], fragment: str
) -> None:
    transport = _transport(lambda r: response)
    with pytest.raises(error, match=fragment) as info:
        await transport.fetch(REQUEST)
    assert info.value.extensions["serviceName"] == "products"


async def test_a_timeout_is_subgraph_unavailable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(SubgraphUnavailable, match=r"within 1\.5 seconds") as info:
        await _transport(handler).fetch(REQUEST)
    assert info.value.extensions["reason"] == "timeout"


async def test_connection_refused_is_subgraph_unavailable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    transport = HttpxTransport.create({"products": f"http://127.0.0.1:{port}/graphql"}, timeout=2)
    try:
        with pytest.raises(SubgraphUnavailable, match="could not be reached") as info:
            await transport.fetch(REQUEST)
    finally:
        await transport.aclose()
    assert info.value.code.name == "SUBGRAPH_UNAVAILABLE"


async def test_an_unknown_subgraph_has_no_url() -> None:
    transport = _transport(lambda r: httpx.Response(200, json={"data": {}}))
    with pytest.raises(SubgraphUnavailable, match="GATEWAY_SUBGRAPH_URL_ACCOUNTS"):
        await transport.fetch(SubgraphRequest(SubgraphName("accounts"), "{x}"))


async def test_mock_transport_records_requests_and_copies_responses() -> None:
    shared: JSONObject = {"data": {"x": [1]}}

    async def handler(request: SubgraphRequest) -> JSONObject:
        return shared

    transport = MockTransport(handler)
    response = await transport.fetch(REQUEST)
    response["data"]["x"].append(2)
    assert shared == {"data": {"x": [1]}}
    assert transport.requests == [REQUEST]
    await transport.aclose()


def test_request_body_omits_empty_parts() -> None:
    assert SubgraphRequest(SubgraphName("a"), "{x}").to_json() == {"query": "{x}"}


async def test_extra_headers_are_sent() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"data": {}})

    await _transport(handler).fetch(
        SubgraphRequest(SubgraphName("products"), "{x}", headers=(("x-request-id", "r"),))
    )
    assert seen[0].headers["x-request-id"] == "r"
    assert seen[0].headers["content-type"] == "application/json"
