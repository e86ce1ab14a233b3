"""Entry point of the ``insuretech`` command."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

__all__ = ["main"]

_REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SUPERGRAPH = _REPO_ROOT / "schema" / "supergraph.graphql"
DEFAULT_API_SCHEMA = _REPO_ROOT / "schema" / "api.graphql"


def _default_compose_args() -> list[str]:
    """Compose the project's own subgraphs (``schema/subgraphs/*.graphql``) at their local URLs."""
    from insuretech_cli.topology import SUBGRAPHS

    args = []
    for subgraph in SUBGRAPHS:
        sdl = _REPO_ROOT / "schema" / "subgraphs" / f"{subgraph.name}.graphql"
        args += ["--subgraph", f"{subgraph.name}={subgraph.url}={sdl}"]
    return [*args, "--out", str(DEFAULT_SUPERGRAPH)]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="insuretech", description="InsureTech Supergraph command line.")
    commands = parser.add_subparsers(dest="command", required=True)

    up = commands.add_parser("up", help="seed (if empty) and run every backend, subgraph and the gateway")
    up.add_argument("--clients", type=int, default=200, help="clients to seed into an empty database")
    up.add_argument("--supergraph", type=Path, default=DEFAULT_SUPERGRAPH)
    up.add_argument("--no-gateway", action="store_true", help="run backends and subgraphs only")
    up.add_argument("--port-offset", type=int, default=0, help="shift every port by this much")
    up.add_argument(
        "--partners",
        action="store_true",
        help="serve the partner API (deploy/partners.yaml) and REST routes (deploy/rest.yaml); every client needs a key",
    )

    up.add_argument("--no-web", action="store_true", help="do not build or serve the web app")
    up.add_argument(
        "--dev",
        action="store_true",
        help="gateway in dev mode: query plans on request, free-form GraphQL for the web app",
    )

    seed = commands.add_parser("seed", help="migrate and seed the databases deterministically")
    seed.add_argument("--clients", type=int, default=200)

    commands.add_parser("migrate", help="apply every service's migrations")

    compose = commands.add_parser(
        "compose", help="compose subgraph SDL into a supergraph; no arguments: the project's own subgraphs"
    )
    compose.add_argument("args", nargs=argparse.REMAINDER)

    plan = commands.add_parser("plan", help="print the query plan of an operation")
    plan.add_argument("query", type=Path, help="file holding the GraphQL operation ('-' for stdin)")
    plan.add_argument("--supergraph", type=Path, default=DEFAULT_SUPERGRAPH)
    plan.add_argument("--operation-name")
    plan.add_argument("--json", action="store_true", help="print Apollo's query-plan JSON instead of text")

    commands.add_parser("export-sdl", help="write each subgraph's SDL to schema/subgraphs/")
    commands.add_parser(
        "web-build",
        help="build the web app and GraphiQL (web/dist) if their sources changed (npm ci when needed)",
    )

    api = commands.add_parser(
        "api-schema", help="write the supergraph's API schema (what clients compile against)"
    )
    api.add_argument("--supergraph", type=Path, default=DEFAULT_SUPERGRAPH)
    api.add_argument("--out", type=Path, default=DEFAULT_API_SCHEMA)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    ns = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if ns.command == "up":
        from insuretech_cli.up import run_up

        return asyncio.run(
            run_up(
                clients=ns.clients,
                supergraph=ns.supergraph,
                gateway=not ns.no_gateway,
                port_offset=ns.port_offset,
                partner_files=(_REPO_ROOT / "deploy" / "partners.yaml", _REPO_ROOT / "deploy" / "rest.yaml")
                if ns.partners
                else None,
                web=not ns.no_web,
                dev=ns.dev,
            )
        )
    if ns.command == "seed":
        from insuretech_cli.seeding import seed_all

        for report in asyncio.run(seed_all(ns.clients)):
            print(f"{report.service}: {report.rows} rows in {report.seconds:.2f} s")
        return 0
    if ns.command == "migrate":
        from insuretech_cli.seeding import migrate_all

        asyncio.run(migrate_all())
        return 0
    if ns.command == "compose":
        from gateway.composition.cli import main as compose_main

        return int(compose_main(list(ns.args) or _default_compose_args()))
    if ns.command == "plan":
        from insuretech_cli.plan import print_plan

        return print_plan(ns.query, ns.supergraph, ns.operation_name, as_json=ns.json)
    if ns.command == "export-sdl":
        from subgraphs.export_sdl import main as export_main

        return int(export_main([]))
    if ns.command == "web-build":
        from insuretech_cli.web_build import ensure_web_build

        return 0 if ensure_web_build() is not None else 1
    if ns.command == "api-schema":
        from insuretech_cli.api_schema import write_api_schema

        return write_api_schema(ns.supergraph, ns.out)
    raise AssertionError(ns.command)


if __name__ == "__main__":
    sys.exit(main())
