"""Run an operation through our gateway app against the real ``core_app`` subgraph and backend.

The backend is migrated and seeded (three clients) on the test's database; the subgraph app is
called in-process over ASGI; the gateway is the real app on the project's supergraph.
"""

from __future__ import annotations

from typing import Any

import httpx

from bench.differential.worlds import ROOT
from gateway.config import Settings
from gateway.execution import MockTransport, SubgraphRequest
from gateway.http.app import create_app
from tests.subgraphs.subgraph_harness import running_subgraph

__all__ = ["run_through_real_core_app"]


async def run_through_real_core_app(
    database_factory: Any, query: str, variables: dict[str, Any]
) -> dict[str, Any]:
    """The gateway's response body to ``query`` (only ``core_app`` answers; the rest is down)."""
    async with running_subgraph(database_factory, "core_app", clients=3) as core_app:

        async def forward(request: SubgraphRequest) -> dict[str, Any]:
            assert request.service_name == "core_app", request
            body = {"query": request.query, "variables": request.variables}
            reply: dict[str, Any] = (await core_app.http.post("/graphql", json=body)).json()
            return reply

        app = create_app(
            Settings(supergraph_path=str(ROOT / "schema/supergraph.graphql")),
            transport=MockTransport(forward),
        )
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
                response = await client.post("/graphql", json={"query": query, "variables": variables})
    body: dict[str, Any] = response.json()
    return body
