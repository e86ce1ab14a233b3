"""Answer operations of a world in-process: through our gateway app, and through the oracle.

Our gateway runs as the real Starlette app (pipeline, planner, executor, shaping); only the
network to the subgraphs is replaced by a ``MockTransport`` that executes each subgraph request
against the world's executable subgraph schema. Tests use this to check a plan's execution
without servers; the differential run (``run``) uses real servers instead.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from graphql import graphql_sync

from bench.differential.worlds import World
from gateway.config import Settings
from gateway.errors import SubgraphUnavailable
from gateway.execution import MockTransport, SubgraphRequest
from gateway.http.app import create_app

__all__ = ["Answer", "local_gateway", "oracle_answer"]

Answer = Callable[[str, "dict[str, Any] | None"], Awaitable[dict[str, Any]]]
"""``answer(query, variables)`` → the GraphQL response body, decoded."""


def _execute(world: World, request: SubgraphRequest, down: frozenset[str]) -> dict[str, Any]:
    if request.service_name in down:
        raise SubgraphUnavailable(
            f"Subgraph {request.service_name!r} could not be reached.", service_name=request.service_name
        )
    schema = world.subgraphs[str(request.service_name)]
    result = graphql_sync(
        schema, request.query, variable_values=request.variables, operation_name=request.operation_name
    )
    return dict(result.formatted)


@asynccontextmanager
async def local_gateway(world: World, down: frozenset[str] = frozenset()) -> AsyncIterator[Answer]:
    """Our gateway app over ``world``'s in-process subgraphs; yields an ``Answer`` function.

    Subgraphs named in ``down`` are unreachable (``SUBGRAPH_UNAVAILABLE``).
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "supergraph.graphql"
        path.write_text(world.supergraph_sdl)
        app = create_app(
            Settings(supergraph_path=str(path)), transport=MockTransport(lambda r: _execute(world, r, down))
        )
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:

                async def answer(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
                    response = await client.post(
                        "/graphql", json={"query": query, "variables": variables or {}}
                    )
                    body: dict[str, Any] = response.json()
                    return body

                yield answer


def oracle_answer(world: World, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """The oracle's response to ``query`` (the world must have an oracle)."""
    assert world.oracle is not None, f"The {world.name!r} world has no oracle."
    return dict(graphql_sync(world.oracle, query, variable_values=variables or {}).formatted)
