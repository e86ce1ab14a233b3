"""``python -m services.client_info [--host 127.0.0.1] [--port 50051] [--no-migrate]``: migrate, then serve."""

from __future__ import annotations

import argparse
import asyncio
import logging

from services.client_info.app import MIGRATIONS_DIR, build_spec
from services.common.db import Database, database_url_for
from services.common.migrations import NO_MIGRATE_HELP, upgrade
from services.common.server import serve

__all__ = ["main"]


async def _run(host: str, port: int, migrate: bool) -> None:
    database = Database(database_url_for("client_info"), "client_info")
    if migrate:
        await upgrade(database, MIGRATIONS_DIR)
    await serve(build_spec(database), f"{host}:{port}")


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and serve until SIGINT/SIGTERM."""
    parser = argparse.ArgumentParser(prog="python -m services.client_info", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=50051)
    parser.add_argument("--no-migrate", action="store_true", help=NO_MIGRATE_HELP)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    asyncio.run(_run(args.host, args.port, not args.no_migrate))


if __name__ == "__main__":
    main()
