"""Dataloader benchmark: RPCs per request and p50 latency for lists of 10, 100 and 1,000 items.

Starts the whole system (``insuretech up`` on shifted ports, SQLite, seeded), then sends one
federated query per size through the gateway — clients with their applications, each
application's product, and the clients' policies — and reads every subgraph's
``grpc_client_handled_total`` before and after, so the RPC count is what really went over gRPC.
Without batching the count grows with N (N+1); with per-request dataloaders it is one RPC per
level whatever N is.

    python bench/dataloader.py [--requests 20] [--sizes 10,100,1000]
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter

import httpx

from services.common.catalog import client_seed_id

OFFSET = 12_000
GATEWAY = f"http://127.0.0.1:{4000 + OFFSET}/graphql"
METRICS = [f"http://127.0.0.1:{port + OFFSET}/metrics" for port in (4001, 4002, 4003)]
QUERY = """
query Clients($ids: [ID!]!) {
  clients(ids: $ids) {
    id fullName
    applications(first: 5) { number status product { name kind } }
    policies { number premium { formatted } }
  }
}
"""
_SAMPLE = re.compile(r"^grpc_client_handled_total\{(?P<labels>[^}]*)\} (?P<value>[0-9.e+]+)$", re.M)


def rpc_counts(client: httpx.Client) -> Counter[str]:
    """Completed RPCs by method, summed over every subgraph."""
    counts: Counter[str] = Counter()
    for url in METRICS:
        for match in _SAMPLE.finditer(client.get(url).text):
            labels = dict(part.split("=", 1) for part in match["labels"].split(","))
            counts[labels["grpc_method"].strip('"')] += int(float(match["value"]))
    return counts


def start_system(clients: int) -> subprocess.Popen[str]:
    data_dir = tempfile.mkdtemp(prefix="bench-dataloader-")
    env = {k: v for k, v in os.environ.items() if not k.endswith("DATABASE_URL")} | {
        "INSURETECH_DATA_DIR": data_dir
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "insuretech_cli.main",
            "up",
            "--clients",
            str(clients),
            "--port-offset",
            str(OFFSET),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        start_new_session=True,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith("Health at /health"):
            return process
        if not line and process.poll() is not None:
            break
    process.kill()
    raise SystemExit("the system did not start; run `insuretech up` by hand to see why")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20, help="timed requests per size")
    parser.add_argument("--sizes", default="10,100,1000")
    ns = parser.parse_args()
    sizes = [int(s) for s in ns.sizes.split(",")]
    process = start_system(max(sizes))
    try:
        with httpx.Client(timeout=60) as client:
            print(f"{'items':>6} {'RPCs/request':>13} {'per level':<70} {'p50 ms':>8} {'p90 ms':>8}")
            totals: list[int] = []
            for size in sizes:
                variables = {"ids": [client_seed_id(i) for i in range(size)]}
                body = {"query": QUERY, "variables": variables}
                client.post(GATEWAY, json=body)  # warm-up: connections, plan cache
                before = rpc_counts(client)
                reply = client.post(GATEWAY, json=body).json()
                after = rpc_counts(client)
                if reply.get("errors") or len(reply["data"]["clients"]) != size:
                    raise SystemExit(f"bad reply for {size} items: {str(reply)[:500]}")
                delta = after - before
                timings = []
                for _ in range(ns.requests):
                    started = time.perf_counter()
                    client.post(GATEWAY, json=body).raise_for_status()
                    timings.append((time.perf_counter() - started) * 1000)
                levels = ", ".join(f"{method} {count}" for method, count in sorted(delta.items()))
                p50 = statistics.median(timings)
                p90 = statistics.quantiles(timings, n=10)[-1]
                print(f"{size:>6} {sum(delta.values()):>13} {levels:<70} {p50:>8.1f} {p90:>8.1f}")
                totals.append(sum(delta.values()))
            growth = max(totals) - min(totals)
            print(
                f"N+1: {growth} extra RPCs from {sizes[0]} to {sizes[-1]} items ({'none' if growth == 0 else 'BATCHING BROKEN'})"
            )
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
