"""Benchmark: does one partner's flood starve another? (seed 004: agreed 20 RPS, sent 250 RPS).

Starts the in-memory ``applications`` subgraph and one gateway process with the partner API
(rate limits in Redis when reachable), then runs two phases of ``--duration`` seconds each:

1. partner B alone sends ``--b-rate`` req/s of its persisted operation (open loop);
2. the same, while partner A floods ``--flood-rate`` req/s from a separate process.

It prints B's p50/p99 latency in both phases, the p99 change, and A's accepted/rejected counts
against A's limit. Target: B's p99 rises by less than 20 %, and A is held to its limit.

    .venv/bin/python bench/partners.py [--duration 15] [--flood-rate 250] [--b-rate 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, this file's folder heads sys.path, and bench/gateway.py would shadow the package.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from gateway.persisted_queries import sha256_hex  # noqa: E402
from tests.gateway.partner_world import APP_1, gateway_cluster, write_partners  # noqa: E402

A_KEY = "bench-partner-a-key"
B_KEY = "bench-partner-b-key"
GET = "query GetOne($id: ID!) { application(id: $id) { id number status sumInsured { kopecks } } }"
BODY = {
    "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(GET)}},
    "variables": {"id": APP_1},
}


async def send_at_rate(
    url: str, key: str, rate: float, duration: float
) -> tuple[list[float], dict[int, int]]:
    """Open-loop load: one request every ``1/rate`` s, whatever the responses; latencies in ms."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    limits = httpx.Limits(max_connections=400, max_keepalive_connections=400)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:

        async def one() -> None:
            started = time.perf_counter()
            try:
                response = await client.post(url, json=BODY, headers={"x-api-key": key})
                status = response.status_code
            except httpx.HTTPError:
                status = 0
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[status] = statuses.get(status, 0) + 1

        loop = asyncio.get_running_loop()
        start = loop.time()
        tasks = []
        for index in range(int(rate * duration)):
            delay = start + index / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one()))
        await asyncio.gather(*tasks)
    return latencies, statuses


def _percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 10) - 1]


async def _flood_process(url: str, rate: float, duration: float) -> dict[str, int]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "flood",
        "--url",
        url,
        "--rate",
        str(rate),
        "--duration",
        str(duration),
        stdout=asyncio.subprocess.PIPE,
    )
    stdout, _ = await process.communicate()
    result: dict[str, int] = json.loads(stdout)
    return result


def _summary(name: str, latencies: list[float], statuses: dict[int, int]) -> tuple[float, float]:
    p50, p99 = _percentile(latencies, 50), _percentile(latencies, 99)
    shown = f" statuses={dict(sorted(statuses.items()))}" if statuses else ""
    print(f"  {name}: n={len(latencies)}{shown} p50={p50:.2f} ms p99={p99:.2f} ms")
    return p50, p99


async def run(args: argparse.Namespace) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="bench-partners-"))
    manifest = tmp / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "format": "apollo-persisted-query-manifest",
                "version": 1,
                "operations": [{"id": sha256_hex(GET), "name": "GetOne", "type": "query", "body": GET}],
            }
        )
    )
    partners = write_partners(
        tmp,
        f"""
  - id: partner-a
    name: Partner A (agreed 20 RPS)
    api_keys: ["sha256:{sha256_hex(A_KEY)}"]
    rate_limit: {args.a_limit}
    max_in_flight: {args.a_in_flight}
    manifests: ["{manifest}"]
  - id: partner-b
    name: Partner B
    api_keys: ["sha256:{sha256_hex(B_KEY)}"]
    rate_limit: 50/second
    manifests: ["{manifest}"]
""",
    )
    env = {"GATEWAY_REDIS_PREFIX": f"bench-{uuid.uuid4().hex[:8]}"}
    if args.redis_url != "none":
        env["REDIS_URL"] = args.redis_url
    amount, per = args.a_limit.split(";")[0].split("/", 1)
    allowed = int(amount) * args.duration / {"second": 1, "minute": 60}[per]
    phases = ["alone", "flood"] + (["control"] if args.control else [])
    latencies: dict[str, list[float]] = {phase: [] for phase in phases}
    a_accepted: list[int] = []
    a_rejected = 0
    with gateway_cluster(tmp, partners, env=env) as (base,):
        url = base + "/graphql"
        await send_at_rate(url, B_KEY, args.b_rate, 2)  # warm up connections and caches
        print(f"gateway {base}; rate limits {'in Redis' if 'REDIS_URL' in env else 'in process memory'}")
        print(
            f"B sends {args.b_rate:g} req/s of its persisted operation; A floods {args.flood_rate:g} req/s "
            f"(A's limit {args.a_limit}, max_in_flight {args.a_in_flight}); {args.rounds} rounds of "
            f"{args.duration:g} s per phase"
        )
        for round_no in range(1, args.rounds + 1):
            for phase in phases:
                await asyncio.sleep(1.5)  # let A's window drain between phases
                flood_path = {"alone": None, "flood": "/graphql", "control": "/health"}[phase]
                if flood_path is None:
                    sample, statuses = await send_at_rate(url, B_KEY, args.b_rate, args.duration)
                else:
                    (sample, statuses), counts = await asyncio.gather(
                        send_at_rate(url, B_KEY, args.b_rate, args.duration),
                        _flood_process(base + flood_path, args.flood_rate, args.duration),
                    )
                    if phase == "flood":
                        a_accepted.append(counts.get("200", 0))
                        a_rejected += counts.get("429", 0)
                latencies[phase].extend(sample)
                _summary(f"round {round_no} {phase:7}", sample, statuses)
        print("B over all rounds:")
        p99 = {phase: _summary(f"{phase:7}", latencies[phase], {})[1] for phase in phases}
        change = (p99["flood"] - p99["alone"]) / p99["alone"] * 100
        verdict = "OK" if change < 20 else "MISSED"
        print(f"B p99 change under A's flood: {change:+.1f} % (target < +20 %): {verdict}")
        if args.control:
            control = (p99["control"] - p99["alone"]) / p99["alone"] * 100
            print(
                f"B p99 change under an equal flood of non-partner requests (GET-only /health, 405): {control:+.1f} %"
            )
        held = all(count <= allowed + int(amount) for count in a_accepted)
        print(
            f"A: accepted {a_accepted} per {args.duration:g} s phase (limit {allowed:.0f} + a first window of "
            f"{amount}), rejected with 429: {a_rejected}; held to its limit: {'OK' if held else 'MISSED'}"
        )
    return 0


async def flood(url: str, rate: float, duration: float, connections: int = 32) -> dict[int, int]:
    """Partner A's flood over raw keep-alive HTTP/1.1 connections (cheap enough not to steal the CPU)."""
    parsed = httpx.URL(url)
    payload = json.dumps(BODY).encode()
    request = (
        f"POST {parsed.raw_path.decode()} HTTP/1.1\r\nHost: {parsed.host}\r\nX-API-Key: {A_KEY}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
    ).encode() + payload
    statuses: dict[int, int] = {}
    queue: asyncio.Queue[None] = asyncio.Queue()

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(parsed.host, parsed.port)
        try:
            while True:
                await queue.get()
                writer.write(request)
                status_line = await reader.readline()
                length = 0
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                await reader.readexactly(length)
                status = int(status_line.split()[1])
                statuses[status] = statuses.get(status, 0) + 1
                queue.task_done()
        finally:
            writer.close()

    workers = [asyncio.create_task(worker()) for _ in range(connections)]
    loop = asyncio.get_running_loop()
    start = loop.time()
    for index in range(int(rate * duration)):
        delay = start + index / rate - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        queue.put_nowait(None)
    await queue.join()
    for task in workers:
        task.cancel()
    await asyncio.gather(*workers, return_exceptions=True)
    return statuses


def _flood(args: argparse.Namespace) -> None:
    statuses = asyncio.run(flood(args.url, args.rate, args.duration))
    print(json.dumps({str(k): v for k, v in statuses.items()}))


def main() -> int:
    """Parse the arguments and run the benchmark (or, as a child process, the flood)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("mode", nargs="?", default="bench", choices=["bench", "flood"])
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per phase")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of the phases")
    parser.add_argument("--control", action="store_true", help="add a phase flooding a non-partner route")
    parser.add_argument("--flood-rate", type=float, default=250.0)
    parser.add_argument("--b-rate", type=float, default=20.0)
    parser.add_argument("--a-in-flight", type=int, default=2, help="partner A's max_in_flight (bulkhead)")
    parser.add_argument("--a-limit", default="20/second", help="partner A's rate limit (limits notation)")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--rate", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode == "flood":
        _flood(args)
        return 0
    return asyncio.run(run(args))


if __name__ == "__main__":
    raise SystemExit(main())
