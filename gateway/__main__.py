"""``python -m gateway --supergraph PATH --port N [--host H] [--workers N] [--dev]``: serve with uvicorn.

One worker runs the app object directly. Several workers need an import string, so the
settings are passed to them through ``GATEWAY_*`` environment variables and each worker builds
its app with ``gateway.http.app:app_from_env``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from collections.abc import Sequence

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(prog="python -m gateway", description="Serve the federation gateway.")
    parser.add_argument("--supergraph", required=True, help="path of the supergraph SDL file")
    parser.add_argument("--host", default=None, help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=None, help="port to bind (default 4000)")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default 1)")
    parser.add_argument("--dev", action="store_true", default=None, help="dev mode (query plans on request)")
    parser.add_argument("--partners", default=None, help="partner file: API keys, rate limits, manifests")
    parser.add_argument("--rest", default=None, help="REST routes from persisted operations (rest.yaml)")
    parser.add_argument("--web", default=None, help="the web app's build (web/dist), served at /")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the arguments and run uvicorn (uvloop event loop, httptools HTTP parser)."""
    import uvicorn

    from gateway.config import Settings
    from gateway.http.app import create_app, tune_gc

    args = build_parser().parse_args(argv)
    overrides = {
        "supergraph_path": args.supergraph,
        "host": args.host,
        "port": args.port,
        "workers": args.workers,
        "partners_path": args.partners,
        "rest_path": args.rest,
        "web_dist": args.web,
    }
    if args.dev:
        overrides["dev"] = True
    settings = Settings.from_env(**overrides)
    # SIGTERM: stop accepting, let in-flight requests finish (at most shutdown_timeout seconds),
    # close WebSockets with 1012 "service restart" so clients reconnect to another replica.
    common = {
        "host": settings.host,
        "port": settings.port,
        "loop": "uvloop",
        "http": "httptools",
        "timeout_graceful_shutdown": settings.shutdown_timeout,
    }
    if settings.workers > 1:
        # Workers are separate processes: aggregate their metrics through files.
        metrics_dir = None
        if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            metrics_dir = os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="gateway-metrics-")
        for name, value in overrides.items():
            if value is not None:
                os.environ[f"GATEWAY_{name.upper()}"] = (
                    str(value).lower() if isinstance(value, bool) else str(value)
                )
        try:
            uvicorn.run(
                "gateway.http.app:app_from_env",
                factory=True,
                workers=settings.workers,
                access_log=False,
                **common,  # type: ignore[arg-type]
            )
        finally:
            if metrics_dir is not None:
                shutil.rmtree(metrics_dir, ignore_errors=True)
    else:
        tune_gc()
        uvicorn.run(create_app(settings), access_log=False, **common)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
