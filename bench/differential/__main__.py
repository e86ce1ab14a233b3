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
from bench.differential.run import Tally, run_worlds

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
    parser.add_argument(
        "--stop-after",
        type=float,
        default=None,
        help="seconds per supergraph after which no new operation is sent",
    )
    return parser.parse_args(argv)


def _progress(tally: Tally) -> None:
    print("  ... " + "\n  ... ".join(tally.lines()), flush=True)


def _print(tally: Tally, started: float, examples: int) -> None:
    print("\n".join(tally.lines()) + f"  ({time.monotonic() - started:.0f} s)", flush=True)
    for example in tally.unexplained[:examples]:
        print(f"  -- {example.kind} (seed {example.operation.seed})\n  {example.operation.document}")
        print(f"     variables: {example.operation.variables}")
        for name, body in example.responses.items():
            print(f"     {name}: {str(body)[:600]}")


async def _run(args: argparse.Namespace, logs: Path) -> list[Tally]:
    started = [time.monotonic()]

    def done(tally: Tally) -> None:
        _print(tally, started[0], args.examples)
        started[0] = time.monotonic()

    return await run_worlds(
        [n for n in args.worlds.split(",") if n],
        range(args.seed, args.seed + args.count),
        logs,
        concurrency=args.concurrency,
        stop_after=args.stop_after,
        port_offset=args.port_offset,
        progress=_progress,
        done=done,
    )


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
