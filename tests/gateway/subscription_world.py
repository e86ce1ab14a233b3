"""Two Strawberry federation subgraphs served by real uvicorn servers, for the subscription tests.

``quotes`` owns ``Offer`` and ``Insurer.name`` and serves ``subscription { offers(sessionId) }``
(a few events with a short sleep), ``ticks`` (endless, to test stopping) and ``broken`` (fails
after one event). ``ratings`` contributes ``Insurer.rating``, so selecting it needs an entity
fetch per event. Each server runs in its own thread and loop; ``ACTIVE`` counts the ``ticks``
generators still running in the subgraph, so tests can see an upstream subscription stop.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import AsyncGenerator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import strawberry
import uvicorn
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from gateway.composition import SubgraphSource, Success, compose

ACTIVE = {"ticks": 0}
"""``ticks`` subscriptions running in the ``quotes`` subgraph right now."""

INSURERS = {"1": "Alfa", "2": "Ingos", "3": "Reso"}
RATINGS = {"1": 5, "2": 4, "3": 3}


@strawberry.federation.type(keys=["id"])
class Insurer:
    id: strawberry.ID
    name: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Insurer:
        return Insurer(id=id, name=INSURERS[str(id)])


@strawberry.federation.type(keys=["id"])
class Offer:
    id: strawberry.ID
    premium: int
    insurer: Insurer


@strawberry.type(name="Query")
class QuotesQuery:
    @strawberry.field
    def offer(self, id: strawberry.ID) -> Offer | None:
        return None


def _offer(session_id: str, number: int) -> Offer:
    insurer = str(number % 3 + 1)
    return Offer(
        id=strawberry.ID(f"{session_id}-{number}"),
        premium=1000 + number,
        insurer=Insurer(id=strawberry.ID(insurer), name=INSURERS[insurer]),
    )


@strawberry.type(name="Subscription")
class QuotesSubscription:
    @strawberry.subscription
    async def offers(self, session_id: strawberry.ID, count: int = 3) -> AsyncGenerator[Offer, None]:
        for number in range(count):
            await asyncio.sleep(0.02)
            yield _offer(str(session_id), number)

    @strawberry.subscription
    async def ticks(self) -> AsyncGenerator[int, None]:
        ACTIVE["ticks"] += 1
        try:
            number = 0
            while True:
                yield number
                number += 1
                await asyncio.sleep(0.02)
        finally:
            ACTIVE["ticks"] -= 1

    @strawberry.subscription
    async def broken(self) -> AsyncGenerator[int, None]:
        yield 1
        await asyncio.sleep(0.01)
        raise ValueError("insurer gateway down")


@strawberry.federation.type(keys=["id"], name="Insurer")
class RatedInsurer:
    id: strawberry.ID
    rating: int

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> RatedInsurer:
        return RatedInsurer(id=id, rating=RATINGS[str(id)])


@strawberry.type(name="Query")
class RatingsQuery:
    @strawberry.field
    def top_rating(self) -> int:
        return 5


quotes_schema = strawberry.federation.Schema(
    query=QuotesQuery, subscription=QuotesSubscription, types=[Insurer, Offer]
)
ratings_schema = strawberry.federation.Schema(
    query=RatingsQuery,
    types=[RatedInsurer],
)


def _sdl(schema: strawberry.federation.Schema) -> str:
    result = schema.execute_sync("{ _service { sdl } }")
    assert result.errors is None, result.errors
    assert result.data is not None
    return str(result.data["_service"]["sdl"])


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def serving(app: Any, *, lifespan: bool = False) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a thread; yield its GraphQL URL; stop it afterwards."""
    sock = _free_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        ws="websockets-sansio",
        lifespan="on" if lifespan else "off",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the subgraph server did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}/graphql"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def subscription_world(tmp_path: Path) -> Iterator[Path]:
    """Start both subgraphs, compose them; yield the supergraph file's path."""
    with (
        serving(
            GraphQL(quotes_schema, subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,))
        ) as quotes_url,
        serving(GraphQL(ratings_schema)) as ratings_url,
    ):
        result = compose(
            [
                SubgraphSource("quotes", quotes_url, _sdl(quotes_schema)),
                SubgraphSource("ratings", ratings_url, _sdl(ratings_schema)),
            ]
        )
        assert isinstance(result, Success), result
        path = tmp_path / "supergraph.graphql"
        path.write_text(result.supergraph_sdl)
        yield path
