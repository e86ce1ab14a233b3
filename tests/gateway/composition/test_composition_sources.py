"""Fetching ``{ _service { sdl } }`` from a running subgraph, over ``httpx.MockTransport``."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from gateway.composition import CompositionError, SubgraphSource, fetch_subgraph_sdl
from gateway.composition.sources import SERVICE_SDL_QUERY

Handler = Callable[[httpx.Request], httpx.Response]


def _client(handler: Handler) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


def test_fetches_the_sdl() -> None:
    seen: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return httpx.Response(200, json={"data": {"_service": {"sdl": "type Query { a: Int }"}}})

    with _client(handler) as client:
        source = fetch_subgraph_sdl("a", "http://a/graphql", client)
    assert source == SubgraphSource("a", "http://a/graphql", "type Query { a: Int }")
    assert seen == [{"query": SERVICE_SDL_QUERY}]


def _raise(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


@pytest.mark.parametrize(
    ("handler", "fragment"),
    [
        (_raise, "ConnectError: connection refused"),
        (lambda r: httpx.Response(503), "HTTP status 503"),
        (lambda r: httpx.Response(200, text="<html>"), "not a GraphQL result"),
        (lambda r: httpx.Response(200, json={"errors": [{"message": "no"}]}), "not a GraphQL result"),
        (lambda r: httpx.Response(200, json={"data": {"_service": {"sdl": 1}}}), "is not a string"),
    ],
)
def test_failures_become_coded_errors(handler: Handler, fragment: str) -> None:
    with _client(handler) as client:
        error = fetch_subgraph_sdl("a", "http://a/graphql", client)
    assert isinstance(error, CompositionError)
    assert error.code == "SUBGRAPH_FETCH_FAILED"
    assert fragment in error.message
    assert error.message.startswith("Could not fetch the SDL of subgraph 'a' from 'http://a/graphql'")
