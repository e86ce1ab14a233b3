"""One fast HTTP server for all four benchmark subgraphs (and the pre-stitched ceiling endpoint).

Routes: ``POST /accounts``, ``/inventory``, ``/products``, ``/reviews`` (the subgraphs),
``POST /graphql`` (the whole API as one schema), ``GET /health``, ``GET /_bench/stats``
(request counts per route and the heaviest answer seen) and ``POST /_bench/reset``.

Why memoise: the benchmark measures gateways, so the subgraphs must never be the bottleneck.
Every distinct request body (query + variables) is executed once with graphql-core and its
serialized answer kept; after the first request of each kind a subgraph answer costs one dict
lookup plus uvicorn's HTTP handling (httptools parser, uvloop), a few tens of microseconds.
The data is deterministic, so a memoised answer is exactly what execution would return.

Run: ``python -m bench.gateway_subgraphs.server --port 4200``.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Awaitable, Callable, Mapping, MutableMapping, Sequence
from typing import Any

import orjson
from graphql import GraphQLSchema, graphql_sync

from bench.gateway_subgraphs.schemas import build_stitched_schema, build_subgraph_schemas

__all__ = ["MEMO_LIMIT", "SubgraphServer", "main"]

MEMO_LIMIT = 20_000
"""Distinct answers kept before the memo is cleared (a bound, never reached by the benchmark)."""

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
_Answer = tuple[int, bytes, list[tuple[bytes, bytes]]]


def _answer(status: int, body: bytes) -> _Answer:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    return status, body, headers


def _error(message: str, status: int = 400) -> _Answer:
    return _answer(status, orjson.dumps({"errors": [{"message": message}]}))


class SubgraphServer:
    """The ASGI application: routes a POST body to a schema and memoises the serialized answer.

    Args:
        schemas: Route path → schema; by default the four benchmark subgraphs and ``/graphql``.
    """

    def __init__(self, schemas: Mapping[str, GraphQLSchema] | None = None) -> None:
        if schemas is None:
            schemas = {f"/{name}": schema for name, schema in build_subgraph_schemas().items()}
            schemas["/graphql"] = build_stitched_schema()
        self.schemas: dict[str, GraphQLSchema] = dict(schemas)
        self.memo: dict[tuple[str, bytes], _Answer] = {}
        self.requests: dict[str, int] = {}
        self.heaviest: tuple[int, str, bytes] = (0, "", b"")

    def execute(self, path: str, body: bytes) -> _Answer:
        """Execute one GraphQL-over-HTTP request body against the schema at ``path``."""
        schema = self.schemas.get(path)
        if schema is None:
            return _error(f"No GraphQL endpoint at {path!r}; use one of {sorted(self.schemas)}.", 404)
        try:
            request = orjson.loads(body)
        except orjson.JSONDecodeError:
            return _error("The request body is not JSON; send {'query': ..., 'variables': ...}.")
        if not isinstance(request, dict) or not isinstance(request.get("query"), str):
            return _error("The request body must be a JSON object with a string 'query'.")
        result = graphql_sync(
            schema,
            request["query"],
            variable_values=request.get("variables"),
            operation_name=request.get("operationName"),
        )
        payload = orjson.dumps(result.formatted)
        if len(payload) > self.heaviest[0] and path != "/graphql":
            self.heaviest = (len(payload), path, body)
        return _answer(200, payload)

    def stats(self) -> _Answer:
        """Request counts per route and the heaviest subgraph answer seen (for the bench driver)."""
        size, path, body = self.heaviest
        return _answer(
            200,
            orjson.dumps(
                {"requests": self.requests, "heaviest": {"path": path, "bytes": size, "body": body.decode()}}
            ),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        if scope["method"] == "GET":
            if path == "/health":
                answer = _answer(200, b'{"status":"ok"}')
            elif path == "/_bench/stats":
                answer = self.stats()
            else:
                answer = _error(f"No GET route {path!r}.", 404)
        else:
            body = b""
            more = True
            while more:
                message = await receive()
                body += message.get("body", b"")
                more = message.get("more_body", False)
            if path == "/_bench/reset":
                self.requests.clear()
                answer = _answer(200, b"{}")
            else:
                self.requests[path] = self.requests.get(path, 0) + 1
                key = (path, body)
                cached = self.memo.get(key)
                if cached is None:
                    if len(self.memo) >= MEMO_LIMIT:
                        self.memo.clear()
                    cached = self.memo[key] = self.execute(path, body)
                answer = cached
        status, payload, headers = answer
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


def main(argv: Sequence[str] | None = None) -> None:
    """Serve the subgraphs with uvicorn (uvloop + httptools), optionally pinned to some cores."""
    import uvicorn

    parser = argparse.ArgumentParser(prog="python -m bench.gateway_subgraphs.server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4200)
    parser.add_argument("--cpus", default=None, help="comma-separated cores to pin to, e.g. '1'")
    args = parser.parse_args(argv)
    if args.cpus:
        os.sched_setaffinity(0, {int(cpu) for cpu in args.cpus.split(",")})
    uvicorn.run(
        SubgraphServer(),
        host=args.host,
        port=args.port,
        loop="uvloop",
        http="httptools",
        lifespan="off",
        access_log=False,
        log_level="warning",
        backlog=4096,
        # Keep idle keep-alive connections well past any gateway's pool expiry, so no gateway
        # races a server-side close (uvicorn's default is 5 s).
        timeout_keep_alive=300,
    )


if __name__ == "__main__":
    main()
