"""Gateway benchmark: our Python gateway against Hive Gateway and Apollo Gateway on one core.

Shaped like The Guild's gateways benchmark (graphql-hive/graphql-gateways-benchmark): four
subgraphs, one nested query with fragments answered in about seven subgraph fetches with a
≈ 90 KB response, 50 concurrent keep-alive connections, the gateway pinned to one core. The
subgraphs (one memoising uvicorn process) and this load generator share the other core(s).

Rows (``--only`` picks a subset; ``--dedupe`` adds the ``+dedupe`` rows):

* ``ceiling``  - the whole answer served by one pre-stitched endpoint (the same uvicorn +
  memo stack as the subgraphs) pinned to the gateway's core: what a gateway whose planning,
  fetching and merging cost nothing would reach with this harness.
* ``python``   - ``python -m gateway`` (``python+dedupe``: ``GATEWAY_DEDUPE_INFLIGHT=true``).
* ``hive``     - ``@graphql-hive/gateway`` from npm (``hive+dedupe``: inbound in-flight dedup).
* ``apollo``   - ``@apollo/gateway`` behind ``@apollo/server`` from npm.
* ``subgraph`` - the heaviest single subgraph request seen, sent straight to the subgraph
  server: shows the subgraphs are far from being the bottleneck.

Run: ``.venv/bin/python bench/gateway.py --duration 20 --connections 50 [--only python,hive]``.
See docs/benchmarks.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__" and not __package__:  # run as a script: import from the repo root
    _ROOT = str(Path(__file__).resolve().parents[1])
    sys.path[:1] = [_ROOT]

import argparse
import asyncio
import contextlib
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field

import orjson

from bench import node_tools, pyspy
from bench.gateway_subgraphs.operation import OPERATION, OPERATION_NAME
from bench.loadgen import expect_data, post_once, run_load
from bench.processes import HOST, free_port, running, sample_cpu, start, wait_ready
from bench.report import Row, cpu_text, median_cpu, render_table

__all__ = ["TARGETS", "main"]

REPO = Path(__file__).resolve().parents[1]
SUPERGRAPH = REPO / "bench/gateway_subgraphs/supergraph.graphql"
SUPERGRAPH_URL_BASE = "http://127.0.0.1:4200/"
"""The subgraph URL prefix in the committed supergraph; rewritten to the live port at run time."""
TARGETS = ("ceiling", "python", "hive", "apollo", "subgraph")


# --- the benchmark --------------------------------------------------------------------------


@dataclass(slots=True)
class _Bench:
    args: argparse.Namespace
    logs: Path
    subgraph_port: int
    supergraph: Path
    operation_body: bytes
    expected: object
    subgraph_session: int
    rows: dict[str, Row] = field(default_factory=dict)

    async def _fetch_stats(self) -> dict[str, object]:
        reader, writer = await asyncio.open_connection(HOST, self.subgraph_port)
        try:
            writer.write(f"GET /_bench/stats HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            stats: dict[str, object] = orjson.loads(await reader.readexactly(length))
            return stats
        finally:
            writer.close()

    async def measure(self, name: str, port: int, path: str, body: bytes, session: int) -> None:
        """Validate one reference answer, then load the target; append the result to its row."""
        row = self.rows.setdefault(name, Row(name))
        await post_once(HOST, self.subgraph_port, "/_bench/reset", b"{}")
        reference = await post_once(HOST, port, path, body, wait=30)
        if body is self.operation_body:
            stats = await self._fetch_stats()
            requests = stats.get("requests")
            row.fetches = sum(requests.values()) if isinstance(requests, dict) else None
            check = expect_data(reference.body, self.expected)
            valid = reference.status == 200 and _answers_expected(reference.body, self.expected)
        else:
            expected_subgraph = reference.body

            def check(candidate: bytes) -> bool:
                return candidate == expected_subgraph

            valid = reference.status == 200 and b'"errors"' not in reference.body
        if not valid:
            row.skipped = f"wrong answer (HTTP {reference.status}): {reference.body[:300]!r}"
            print(f"  {name}: {row.skipped}", flush=True)
            return
        print(
            f"  {name}: reference OK ({len(reference.body)} bytes, {row.fetches} fetches); loading ...",
            flush=True,
        )
        cpu = asyncio.create_task(sample_cpu(session, self.args.warmup, self.args.duration))
        profile = None
        if self.args.py_spy and name.startswith("python"):
            output = Path(f"{self.args.py_spy}-{name.replace('+', '-')}.txt")
            profile = asyncio.create_task(pyspy.record(session, self.args.warmup, self.args.duration, output))
        result = await run_load(
            HOST,
            port,
            path,
            body,
            check=check,
            connections=self.args.connections,
            duration=self.args.duration,
            warmup=self.args.warmup,
        )
        result.cpu_seconds = await cpu
        if profile is not None:
            reason = await profile
            print(f"  profile of {name}: {reason or ''}", flush=True)
            if reason is None:
                print(pyspy.summarize(output, focus="gateway/"), flush=True)
        row.results.append(result)
        note = f", first error: {result.first_error}" if result.first_error else ""
        print(
            f"  {name}: {result.rps:.1f} req/s, p50 {result.p(0.5):.1f} ms, p99 {result.p(0.99):.1f} ms, "
            f"{result.errors} errors, {cpu_text(result)} CPU ms/req{note}",
            flush=True,
        )

    async def run_server(
        self, name: str, command: list[str], env: dict[str, str], cwd: Path, port: int
    ) -> None:
        """Start a gateway-like server on the gateway core, measure it, stop it."""
        print(f"{name}: starting", flush=True)
        process = start(name, command, self.args.gateway_cpus, env=env, cwd=cwd, logs=self.logs)
        with running(process):
            reason = await wait_ready(process, port, "/graphql")
            if reason:
                self.rows.setdefault(name, Row(name)).skipped = reason
                print(f"  {name}: skipped: {reason}", flush=True)
                return
            await self.measure(name, port, "/graphql", self.operation_body, process.popen.pid)

    async def run_target(self, target: str, *, dedupe: bool) -> None:
        port = free_port()
        suffix = "+dedupe" if dedupe else ""
        if target == "ceiling":
            command = [sys.executable, "-m", "bench.gateway_subgraphs.server", "--port", str(port)]
            await self.run_server("ceiling", command, {}, REPO, port)
        elif target == "python":
            command = [
                sys.executable,
                "-m",
                "gateway",
                "--supergraph",
                str(self.supergraph),
                "--port",
                str(port),
            ]
            env = {"GATEWAY_DEDUPE_INFLIGHT": "true" if dedupe else "false"}
            await self.run_server(f"python{suffix}", command, env, REPO, port)
        elif target in ("hive", "apollo"):
            reason = node_tools.ensure_packages(target)
            if reason:
                self.rows.setdefault(target + suffix, Row(target + suffix)).skipped = reason
                print(f"{target}{suffix}: skipped: {reason}", flush=True)
                return
            launch = node_tools.node_gateway(
                target, self.supergraph, port, dedupe=dedupe, jit=not self.args.hive_no_jit
            )
            await self.run_server(target + suffix, launch.command, launch.env, launch.cwd, port)
        elif target == "subgraph":
            stats = await self._fetch_stats()
            heaviest = stats.get("heaviest")
            if not isinstance(heaviest, dict) or not heaviest.get("path"):
                self.rows["subgraph"] = Row(
                    "subgraph", skipped="no subgraph request seen yet (run a gateway first)"
                )
                return
            name = f"subgraph {heaviest['path']}"
            print(f"{name}: direct hit of the heaviest fetch ({heaviest['bytes']} bytes)", flush=True)
            body = str(heaviest["body"]).encode()
            await self.measure(name, self.subgraph_port, str(heaviest["path"]), body, self.subgraph_session)


def _answers_expected(body: bytes, expected: object) -> bool:
    """Whether ``body`` is a GraphQL response with exactly the expected data and no errors."""
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        return False
    return isinstance(document, dict) and "errors" not in document and document.get("data") == expected


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python bench/gateway.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20.0, help="measured seconds per target (20)")
    parser.add_argument("--warmup", type=float, default=10.0, help="warm-up seconds per target (10)")
    parser.add_argument("--connections", type=int, default=50, help="concurrent connections (50)")
    parser.add_argument(
        "--only", default=",".join(TARGETS), help=f"comma-separated subset of {','.join(TARGETS)}"
    )
    parser.add_argument("--dedupe", action="store_true", help="add python+dedupe and hive+dedupe rows")
    parser.add_argument("--rounds", type=int, default=1, help="repeat all targets, report the median (1)")
    parser.add_argument("--gateway-cpus", default="0", help="cores for the gateway under test (0)")
    parser.add_argument("--load-cpus", default="1", help="cores for the subgraphs and load generator (1)")
    parser.add_argument("--hive-no-jit", action="store_true", help="run Hive Gateway without --jit")
    parser.add_argument("--py-spy", default=None, help="profile Python rows into PREFIX-<row>.txt")
    parser.add_argument("--json", type=Path, default=None, help="also write the results as JSON here")
    parser.add_argument("--compose", action="store_true", help="recompose the supergraph with npm, then exit")
    args = parser.parse_args(argv)
    unknown = set(args.only.split(",")) - set(TARGETS)
    if unknown:
        parser.error(f"unknown target(s) {sorted(unknown)}; choose from {', '.join(TARGETS)}")
    return args


def compose() -> None:
    """Rewrite the committed supergraph from the subgraph SDL (needs Node and npm)."""
    from bench.gateway_subgraphs.sdl import SUBGRAPH_SDL

    services = [(name, f"{SUPERGRAPH_URL_BASE}{name}", sdl) for name, sdl in SUBGRAPH_SDL.items()]
    sdl = node_tools.compose_supergraph(services)
    header = (
        "# Generated by `python bench/gateway.py --compose` with @theguild/federation-composition\n"
        "# from bench/gateway_subgraphs/sdl.py. Do not edit by hand.\n"
    )
    SUPERGRAPH.write_text(header + sdl.rstrip() + "\n")
    print(f"wrote {SUPERGRAPH.relative_to(REPO)}")


async def _run(args: argparse.Namespace, logs: Path) -> list[Row]:
    from graphql import graphql_sync

    from bench.gateway_subgraphs.schemas import build_stitched_schema

    expected = graphql_sync(build_stitched_schema(), OPERATION).data
    subgraph_port = free_port()
    supergraph = logs / "supergraph.graphql"
    supergraph.write_text(
        SUPERGRAPH.read_text().replace(SUPERGRAPH_URL_BASE, f"http://{HOST}:{subgraph_port}/")
    )
    body = orjson.dumps({"query": OPERATION, "operationName": OPERATION_NAME})
    command = [sys.executable, "-m", "bench.gateway_subgraphs.server", "--port", str(subgraph_port)]
    subgraphs = start("subgraphs", command, args.load_cpus, env={}, cwd=REPO, logs=logs)
    bench = _Bench(args, logs, subgraph_port, supergraph, body, expected, subgraphs.popen.pid)
    with running(subgraphs):
        reason = await wait_ready(subgraphs, subgraph_port, "/graphql")
        if reason:
            raise SystemExit(f"The subgraph server did not start: {reason}")
        only = args.only.split(",")
        for _ in range(args.rounds):
            for target in TARGETS:
                if target not in only:
                    continue
                await bench.run_target(target, dedupe=False)
                if args.dedupe and target in ("python", "hive"):
                    await bench.run_target(target, dedupe=True)
    return list(bench.rows.values())


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark and print the table."""
    args = _parse_args(argv)
    if args.compose:
        compose()
        return
    with contextlib.suppress(OSError):  # the load generator shares the subgraphs' core(s)
        os.sched_setaffinity(0, {int(cpu) for cpu in args.load_cpus.split(",")})
    try:
        import uvloop

        uvloop.install()
    except ImportError:  # pragma: no cover - uvloop ships with uvicorn[standard]
        pass
    with tempfile.TemporaryDirectory(prefix="gateway-bench-") as tmp:
        logs = Path(tmp)
        print(
            f"gateway bench: {args.connections} connections, {args.warmup:g} s warm-up + {args.duration:g} s "
            f"per target, gateway on cpu {args.gateway_cpus}, subgraphs + load on cpu {args.load_cpus}",
            flush=True,
        )
        rows = asyncio.run(_run(args, logs))
    print()
    print(render_table(rows))
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {
                        "target": row.target,
                        "rps": row.rps,
                        "p50_ms": row.best.p(0.5) if row.best else None,
                        "p99_ms": row.best.p(0.99) if row.best else None,
                        "errors": row.errors,
                        "fetches": row.fetches,
                        "cpu_ms_per_request": median_cpu(row),
                        "skipped": row.skipped,
                    }
                    for row in rows
                ],
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
