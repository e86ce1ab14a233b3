"""``python -m bench.differential``: the differential run as a script that prints counts.

Sends ``--count`` generated operations per supergraph (default 20,000) through our gateway,
Hive Gateway and, where one exists, the oracle; prints, per supergraph, how many were sent,
identical, and differing by class (with the known Hive defects that explain them), and
examples of anything unexplained. Exits 1 when something is unexplained.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.differential.known import HIVE_CRASH_REASON, KNOWN_DIFFERENCES
from bench.differential.project import project_stack
from bench.differential.run import Endpoints, Tally, compare_world, gateways, subgraph_server
from bench.differential.server import WORLDS

__all__ = ["main"]


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.differential", description=__doc__)
    parser.add_argument("--count", type=int, default=20_000, help="operations per supergraph")
    parser.add_argument("--seed", type=int, default=0, help="first seed (operations use seed..seed+count)")
    parser.add_argument("--worlds", default="media,bench,project", help="comma-separated supergraphs")
    parser.add_argument("--concurrency", type=int, default=4, help="operations in flight")
    parser.add_argument("--port-offset", type=int, default=None, help="insuretech up's offset (project)")
    parser.add_argument("--examples", type=int, default=5, help="unexplained examples to print per world")
    parser.add_argument("--logs", default=None, help="keep the servers' logs in this folder")
    return parser.parse_args(argv)


def _progress(tally: Tally) -> None:
    print(
        f"  ... {tally.world}: {tally.sent} sent, {tally.identical} identical, {tally.failures} unexplained",
        flush=True,
    )


def _print(tally: Tally, started: float, examples: int) -> None:
    print("\n".join(tally.lines()) + f"  ({time.monotonic() - started:.0f} s)", flush=True)
    for example in tally.unexplained[:examples]:
        print(f"  -- {example.kind} (seed {example.operation.seed})\n  {example.operation.document}")
        print(f"     variables: {example.operation.variables}")
        for name, body in example.responses.items():
            print(f"     {name}: {str(body)[:600]}")


async def _run(args: argparse.Namespace, logs: Path) -> list[Tally]:
    names = [n for n in args.worlds.split(",") if n]
    seeds = range(args.seed, args.seed + args.count)
    tallies: list[Tally] = []
    local = [n for n in names if n in WORLDS]
    if local:
        async with subgraph_server(local, logs) as base:
            for name in local:
                world = WORLDS[name]()
                urls = {sub: f"{base}/{name}/{sub}" for sub in world.subgraphs}
                async with gateways(world, urls, logs) as pair:
                    started = time.monotonic()
                    endpoints = Endpoints(
                        pair.ours, pair.hive, f"{base}/{name}/oracle" if world.oracle else None
                    )
                    tally = await compare_world(
                        world,
                        endpoints,
                        seeds,
                        restart_hive=pair.restart_hive,
                        concurrency=args.concurrency,
                        progress=_progress,
                    )
                    _print(tally, started, args.examples)
                    tallies.append(tally)
    if "project" in names:
        async with project_stack(logs, args.port_offset) as (world, _, urls):  # noqa: SIM117
            async with gateways(world, urls, logs) as pair:
                started = time.monotonic()
                tally = await compare_world(
                    world,
                    Endpoints(pair.ours, pair.hive),
                    seeds,
                    restart_hive=pair.restart_hive,
                    concurrency=args.concurrency,
                    progress=_progress,
                )
                _print(tally, started, args.examples)
                tallies.append(tally)
    return tallies


def main(argv: Sequence[str] | None = None) -> int:
    """Run and print; 0 when every difference is explained."""
    args = _parse(argv)
    print("Known Hive Gateway differences (ours is right):")
    for known in KNOWN_DIFFERENCES:
        print(f"  {known.name}: {known.reason}")
    print(f"  Hive Gateway exits: {HIVE_CRASH_REASON}")
    with tempfile.TemporaryDirectory(prefix="differential-logs-") as folder:
        logs = Path(args.logs or folder)
        logs.mkdir(parents=True, exist_ok=True)
        tallies = asyncio.run(_run(args, logs))
    return 1 if any(t.failures for t in tallies) else 0


if __name__ == "__main__":
    sys.exit(main())
