"""``python -m services.applications [--host 127.0.0.1] [--port 50052] [--seed N] [--no-relay] [--no-migrate]``."""

from __future__ import annotations

import argparse
import asyncio
import logging

from services.applications.app import MIGRATIONS_DIR, build_spec
from services.applications.relay import OutboxRelay
from services.applications.seed import seed
from services.common.broker import publisher_from_env
from services.common.db import Database, database_url_for
from services.common.migrations import NO_MIGRATE_HELP, upgrade
from services.common.server import serve

__all__ = ["main"]


async def _run(host: str, port: int, seed_clients: int, with_relay: bool, migrate: bool) -> None:
    database = Database(database_url_for("applications"), "applications")
    if migrate:
        await upgrade(database, MIGRATIONS_DIR)
    if seed_clients:
        created = await seed(database, clients=seed_clients)
        logging.getLogger(__name__).info("seeded %d applications", created)
    relay = OutboxRelay(database, publisher_from_env()) if with_relay else None
    if relay is not None:
        relay.start()
    await serve(build_spec(database, relay), f"{host}:{port}")


def main(argv: list[str] | None = None) -> None:
    """Apply migrations and serve the applications backend until SIGINT/SIGTERM."""
    parser = argparse.ArgumentParser(prog="python -m services.applications", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=50052)
    parser.add_argument("--seed", type=int, default=0, metavar="N", help="seed N clients' applications first")
    parser.add_argument(
        "--no-relay",
        action="store_true",
        help="do not relay the outbox in-process (run python -m services.applications.relay instead)",
    )
    parser.add_argument("--no-migrate", action="store_true", help=NO_MIGRATE_HELP)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    asyncio.run(_run(args.host, args.port, args.seed, not args.no_relay, not args.no_migrate))


if __name__ == "__main__":
    main()
