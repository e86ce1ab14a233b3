"""An app factory for the HTTP tests: a fake supergraph, a fixed plan and a MockTransport.

Imported by the HTTP tests (``from tests.gateway.http.http_world import ...``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from graphql import DocumentNode, GraphQLSchema, build_schema
from starlette.applications import Starlette

from gateway.config import Settings
from gateway.execution import MockTransport, SubgraphRequest
from gateway.http import create_app
from gateway.planner.plan import FetchNode, QueryPlan
from gateway.types import JSONObject, SubgraphName

API_SDL = """
type Query { me: User  user(id: ID!): User  hello: String }
type User { id: ID! name: String  friend: User }
type Mutation { rename(name: String!): User }
"""

PLAN = QueryPlan(FetchNode(SubgraphName("accounts"), "{me{id name friend{id}} hello}"))


@dataclass
class SubgraphInfoStub:
    name: str
    url: str


@dataclass
class FakeSupergraph:
    api_schema: GraphQLSchema
    subgraphs: Mapping[str, SubgraphInfoStub] = field(default_factory=dict)


class FakePlanner:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.calls = 0

    def plan(self, document: DocumentNode, operation_name: str | None) -> QueryPlan:
        self.calls += 1
        if self.fail:
            raise RuntimeError("planner bug")
        return PLAN


def answer(request: SubgraphRequest) -> JSONObject:
    return {"data": {"me": {"id": "1", "name": "Ada", "friend": None}, "hello": "world"}}


def make_app(
    tmp_path: Path,
    *,
    handler: Any = answer,
    planner: FakePlanner | None = None,
    load: bool = True,
    **settings: Any,
) -> tuple[Starlette, MockTransport]:
    """Build the app with the supergraph file in ``tmp_path`` (unless ``load`` is false)."""
    path = tmp_path / "supergraph.graphql"
    path.write_text(API_SDL)
    transport = MockTransport(handler)
    app = create_app(
        Settings(supergraph_path=str(path) if load else None, **settings),
        transport=transport,
        load_supergraph=lambda sdl: FakeSupergraph(build_schema(sdl)),
        make_planner=lambda supergraph: planner or FakePlanner(),
    )
    return app, transport


@asynccontextmanager
async def serve(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """Run the app's lifespan and yield an in-process client (``httpx.ASGITransport``)."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
            yield client
