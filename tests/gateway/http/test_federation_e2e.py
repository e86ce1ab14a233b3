"""End to end: real composition, supergraph loader and planner; subgraphs in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.config import Settings
from gateway.execution import MockTransport
from gateway.http import create_app
from tests.gateway.http.federation_world import make_transport, supergraph_sdl
from tests.gateway.http.http_world import serve


@pytest.fixture(scope="module")
def supergraph_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("supergraph") / "supergraph.graphql"
    path.write_text(supergraph_sdl())
    return path


async def _client(path: Path, transport: MockTransport, **settings: Any) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(supergraph_path=str(path), **settings), transport=transport)
    async with serve(app) as client:
        yield client


@pytest.fixture
def transport() -> MockTransport:
    return make_transport()


@pytest.fixture
async def client(supergraph_file: Path, transport: MockTransport) -> AsyncIterator[httpx.AsyncClient]:
    async for test_client in _client(supergraph_file, transport, dev=True):
        yield test_client


async def test_entities_across_three_subgraphs(client: httpx.AsyncClient, transport: MockTransport) -> None:
    query = "{ topProducts(first: 2) { name reviews { body author { name: username } } } }"
    response = await client.post("/graphql", json={"query": query})
    assert response.status_code == 200
    assert response.json() == {
        "data": {
            "topProducts": [
                {"name": "Table", "reviews": [{"body": "Love it!", "author": {"name": "ada"}}]},
                {
                    "name": "Couch",
                    "reviews": [
                        {"body": "Too expensive.", "author": {"name": "ada"}},
                        {"body": "Could be better.", "author": {"name": "bob"}},
                    ],
                },
            ]
        }
    }
    assert [r.service_name for r in transport.requests] == ["products", "reviews", "accounts"]
    assert len(transport.requests[2].variables["representations"]) == 2


async def test_variables_fragments_and_typename(client: httpx.AsyncClient) -> None:
    query = """
    query Top($n: Int, $withPrice: Boolean!) {
      topProducts(first: $n) { ...P __typename }
    }
    fragment P on Product { upc price @include(if: $withPrice) kind }
    """
    response = await client.post("/graphql", json={"query": query, "variables": {"n": 3, "withPrice": False}})
    assert response.json() == {
        "data": {
            "topProducts": [
                {"upc": "1", "kind": "NEW", "__typename": "Product"},
                {"upc": "2", "kind": "USED", "__typename": "Product"},
                {"upc": "3", "kind": None, "__typename": "Product"},
            ]
        }
    }


async def test_reverse_entity_jump(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ me { username reviews { body } } }"})
    assert response.json() == {
        "data": {"me": {"username": "ada", "reviews": [{"body": "Love it!"}, {"body": "Too expensive."}]}}
    }


async def test_mutation(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": 'mutation { rename(name: "Lovelace") { username } }'}
    )
    assert response.json() == {"data": {"rename": {"username": "Lovelace"}}}


async def test_partial_failure_of_one_subgraph(supergraph_file: Path) -> None:
    async for client in _client(supergraph_file, make_transport(down=frozenset({"accounts"}))):
        response = await client.post(
            "/graphql",
            json={"query": "{ topProducts(first: 1) { name reviews { author { username } } } }"},
            headers={"accept": "application/graphql-response+json"},
        )
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"topProducts": [{"name": "Table", "reviews": [{"author": {"username": None}}]}]}
    assert body["errors"][0]["extensions"] == {"code": "SUBGRAPH_UNAVAILABLE", "serviceName": "accounts"}


async def test_an_unreachable_root_subgraph_is_one_coded_error_per_field(supergraph_file: Path) -> None:
    async for client in _client(supergraph_file, make_transport(down=frozenset({"products"}))):
        response = await client.post("/graphql", json={"query": "{ topProducts { name } me { username } }"})
    body = response.json()
    # topProducts is non-null: data is null, and the one error says where and why (no second,
    # code-less "Cannot return null" error for the same field)
    assert body["data"] is None
    assert body["errors"] == [
        {
            "message": "Subgraph 'products' could not be reached.",
            "path": ["topProducts"],
            "extensions": {"code": "SUBGRAPH_UNAVAILABLE", "serviceName": "products"},
        }
    ]


async def test_introspection_is_answered_by_the_gateway(
    client: httpx.AsyncClient, transport: MockTransport
) -> None:
    query = '{ __schema { queryType { name } } t: __type(name: "Product") { fields { name } } me { id } }'
    response = await client.post("/graphql", json={"query": query})
    data = response.json()["data"]
    assert data["__schema"] == {"queryType": {"name": "Query"}}
    assert [f["name"] for f in data["t"]["fields"]] == ["upc", "name", "price", "kind", "reviews"]
    assert data["me"] == {"id": "u1"}
    assert [r.service_name for r in transport.requests] == ["accounts"]


async def test_federation_internals_are_not_exposed(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        json={"query": "{ _entities(representations: []) { __typename } }"},
        headers={"accept": "application/graphql-response+json"},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_query_plan_extension(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ me { username } }"}, headers={"x-query-plan": "true"}
    )
    plan = response.json()["extensions"]["queryPlan"]
    assert plan["node"]["kind"] == "Fetch"
    assert plan["node"]["serviceName"] == "accounts"
