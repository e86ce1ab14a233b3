"""One HTTP server for the subgraphs and oracles of the differential test's in-process worlds.

Routes ``POST /<world>/<subgraph>`` and ``POST /<world>/oracle`` (plus ``GET /health``), served by
the benchmark's memoising ``SubgraphServer`` (the data is deterministic, so a memoised answer is
what execution would return).

Run: ``python -m bench.differential.server --port 0 --worlds media,bench`` (prints the port).
"""

from __future__ import annotations

import argparse
import socket
from collections.abc import Iterable, Sequence

from graphql import GraphQLSchema

from bench.differential.worlds import World, bench_world, media_world
from bench.gateway_subgraphs.server import SubgraphServer

__all__ = ["WORLDS", "main", "routes"]

WORLDS = {"media": media_world, "bench": bench_world}
"""Worlds whose subgraphs run in this server, by name."""


def routes(worlds: Iterable[World]) -> dict[str, GraphQLSchema]:
    """Route path → schema for every subgraph and oracle of ``worlds``."""
    out: dict[str, GraphQLSchema] = {}
    for world in worlds:
        for name, schema in world.subgraphs.items():
            out[f"/{world.name}/{name}"] = schema
        if world.oracle is not None:
            out[f"/{world.name}/oracle"] = world.oracle
    return out


def main(argv: Sequence[str] | None = None) -> None:
    """Serve the worlds' subgraphs and oracles with uvicorn; print ``port=N`` once listening."""
    import uvicorn

    parser = argparse.ArgumentParser(prog="python -m bench.differential.server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--worlds", default=",".join(WORLDS), help=f"comma-separated, of {sorted(WORLDS)}")
    args = parser.parse_args(argv)
    app = SubgraphServer(routes(WORLDS[name]() for name in args.worlds.split(",") if name))
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    print(f"port={sock.getsockname()[1]}", flush=True)
    config = uvicorn.Config(
        app, lifespan="off", access_log=False, log_level="warning", timeout_keep_alive=300
    )
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
