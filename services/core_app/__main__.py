"""Run the core_app gRPC service: ``python -m services.core_app [--host 127.0.0.1] [--port 50053]``."""

from __future__ import annotations

import argparse
import asyncio
import logging

from grpc_clients.applications import ApplicationsClient
from services.common.db import Database, database_url_for
from services.common.migrations import NO_MIGRATE_HELP, upgrade
from services.common.peers import open_peer
from services.common.server import serve
from services.core_app.app import MIGRATIONS_DIR, build_spec
from services.core_app.applications_peer import BackendApplications
from services.core_app.outbox_relay import ApplicationsRelay

__all__ = ["main"]


async def _main(host: str, port: int, migrate: bool) -> None:
    database = Database(database_url_for("core_app"), "core_app")
    peer = open_peer(ApplicationsClient)
    try:
        if migrate:
            await upgrade(database, MIGRATIONS_DIR)
        applications = BackendApplications(peer)
        relay = ApplicationsRelay(database, applications)
        relay.start()
        await serve(build_spec(database, applications=applications, relay=relay), f"{host}:{port}")
    finally:
        await peer.channel.close()
        await database.dispose()


def main() -> None:
    """Parse the command line and serve until SIGINT/SIGTERM."""
    parser = argparse.ArgumentParser(prog="python -m services.core_app", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=50053, help="port to bind (default 50053)")
    parser.add_argument("--no-migrate", action="store_true", help=NO_MIGRATE_HELP)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    asyncio.run(_main(args.host, args.port, not args.no_migrate))


if __name__ == "__main__":
    main()
