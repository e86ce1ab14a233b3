"""The benchmark subgraphs answer, the committed supergraph loads, and our gateway answers in full."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import orjson
from graphql import graphql_sync

from bench.gateway_subgraphs import OPERATION, SUBGRAPH_NAMES, build_stitched_schema, build_subgraph_schema
from bench.gateway_subgraphs.server import SubgraphServer
from gateway.config import Settings
from gateway.execution import MockTransport, SubgraphRequest
from gateway.http.app import create_app
from gateway.supergraph import load_supergraph

SUPERGRAPH = Path(__file__).resolve().parents[2] / "bench/gateway_subgraphs/supergraph.graphql"


def _expected() -> dict[str, Any]:
    data = graphql_sync(build_stitched_schema(), OPERATION).data
    assert data is not None
    return data


def test_operation_answer_is_about_90_kb() -> None:
    assert 80_000 < len(orjson.dumps({"data": _expected()})) < 100_000


def test_each_subgraph_reports_its_sdl() -> None:
    for name in SUBGRAPH_NAMES:
        result = graphql_sync(build_subgraph_schema(name), "{ _service { sdl } }")
        assert result.errors is None
        assert result.data is not None
        assert "@key" in result.data["_service"]["sdl"]


def test_inventory_computes_shipping_estimate_from_required_fields() -> None:
    query = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { inStock shippingEstimate } } }"
    representations = [
        {"__typename": "Product", "upc": "1", "price": 100, "weight": 50},
        {"__typename": "Nope"},
    ]
    result = graphql_sync(build_subgraph_schema("inventory"), query, variable_values={"r": representations})
    assert result.errors is None
    assert result.data is not None
    assert result.data["_entities"][0]["shippingEstimate"] == 15
    assert result.data["_entities"][1] is None


def test_server_memoises_identical_requests_and_counts_them() -> None:
    server = SubgraphServer()
    body = orjson.dumps({"query": "{ users { id } }"})
    first = server.execute("/accounts", body)
    assert first[0] == 200
    assert orjson.loads(first[1])["data"]["users"][0] == {"id": "1"}
    assert server.execute("/nowhere", body)[0] == 404
    assert server.execute("/accounts", b"not json")[0] == 400


async def test_server_routes_over_asgi() -> None:
    transport = httpx.ASGITransport(app=SubgraphServer())
    async with httpx.AsyncClient(transport=transport, base_url="http://subgraphs.test") as client:
        assert (await client.get("/health")).status_code == 200
        body = {"query": OPERATION}
        first = await client.post("/graphql", json=body)
        second = await client.post("/graphql", json=body)
        assert first.content == second.content
        assert first.json()["data"] == _expected()
        stats = (await client.get("/_bench/stats")).json()
        assert stats["requests"] == {"/graphql": 2}


def test_supergraph_loads_with_all_four_subgraphs() -> None:
    supergraph = load_supergraph(SUPERGRAPH.read_text())
    assert sorted(supergraph.subgraphs) == sorted(SUBGRAPH_NAMES)


async def test_our_gateway_answers_the_operation_in_full(tmp_path: Path) -> None:
    schemas = {name: build_subgraph_schema(name) for name in SUBGRAPH_NAMES}

    def answer(request: SubgraphRequest) -> dict[str, Any]:
        result = graphql_sync(
            schemas[str(request.service_name)], request.query, variable_values=request.variables
        )
        return dict(result.formatted)

    path = tmp_path / "supergraph.graphql"
    path.write_text(SUPERGRAPH.read_text())
    app = create_app(Settings(supergraph_path=str(path)), transport=MockTransport(answer))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
            response = await client.post("/graphql", json={"query": OPERATION})
    assert response.status_code == 200
    assert response.json() == {"data": _expected()}
