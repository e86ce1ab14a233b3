"""The command line of a subgraph: ``python -m subgraphs.<name> [--host H] [--port P]``."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable, Sequence

import uvicorn
from starlette.applications import Starlette

__all__ = ["run_subgraph"]


def run_subgraph(
    name: str, default_port: int, create_app: Callable[[], Starlette], argv: Sequence[str] | None = None
) -> None:
    """Serve the subgraph with uvicorn until interrupted."""
    parser = argparse.ArgumentParser(
        prog=f"python -m subgraphs.{name}", description=f"Serve the {name} subgraph."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=default_port)
    parser.add_argument("--log-level", default="info")
    parser.add_argument(
        "--shutdown-timeout", type=float, default=25.0, help="seconds in-flight requests get after SIGTERM"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # SIGTERM: stop accepting, finish in-flight requests (bounded), close WebSockets with 1012.
    uvicorn.run(
        create_app(),
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        lifespan="on",
        timeout_graceful_shutdown=args.shutdown_timeout,
    )
