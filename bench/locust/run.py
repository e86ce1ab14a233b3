"""Run the seeds' peak with Locust against ``insuretech up`` on PostgreSQL + Redis, and size it.

Starts the whole system (``insuretech up --partners``) on shifted ports with its own PostgreSQL
database and Redis key prefix, runs ``bench/locust/locustfile.py`` headless, prints Locust's
summary and the seed figures met or not, then the CPU and memory each role used during the run
(from ``/proc``; PostgreSQL by the server processes of our database) and the capacity model's
replica counts (``bench/capacity.py``). The machine's load average is printed before and after:
the figures are only as quiet as the machine.

    .venv/bin/python bench/locust/run.py                          # the seeds' figures, 3 minutes
    .venv/bin/python bench/locust/run.py --duration 60 --osago-users 500
    .venv/bin/python bench/locust/run.py --host http://127.0.0.1:4000   # a system already up

Exit status: 0 when every seed figure was met, 3 when one was not, 4 when requests failed,
1 when the run itself failed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Run as a script, this file's folder heads sys.path and would shadow the real locust package.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench" / "locust"]

import httpx  # noqa: E402

from bench.capacity import RoleMeasurement, format_plan, plan_all  # noqa: E402
from bench.locust.figures import Targets, scenario_sizes, seed_gateway_rps  # noqa: E402
from bench.locust.roles import RoleUsage, Sampler  # noqa: E402
from bench.locust.wal import WalPosition, database_wal_bytes  # noqa: E402

GATEWAY_PORT = 4000
BANNER_END = "Health at /health"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=180, help="seconds measured after the ramp-up")
    parser.add_argument("--spawn-rate", type=float, default=100.0, help="users started per second")
    parser.add_argument("--search-rps", type=float, default=50.0)
    parser.add_argument("--checkout-rps", type=float, default=10.0)
    parser.add_argument("--osago-users", type=int, default=2500)
    parser.add_argument("--osago-think", type=float, default=240.0)
    parser.add_argument("--flood-rps", type=float, default=250.0)
    parser.add_argument("--steady-rps", type=float, default=8.0)
    parser.add_argument("--host", default=None, help="an already running gateway; nothing is started")
    parser.add_argument("--port-offset", type=int, default=500)
    parser.add_argument("--clients", type=int, default=2000, help="clients seeded into an empty database")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/insuretech_bench_locust")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--redis-prefix", default="bench-locust")
    parser.add_argument("--logs", type=Path, default=ROOT / "var" / "bench-locust")
    return parser


async def _ensure_database(url: str) -> None:
    """Create the run's own database if it does not exist (never touches any other)."""
    import asyncpg  # type: ignore[import-untyped]

    name = url.rsplit("/", 1)[1]
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise SystemExit(f"--postgres must end in a plain database name, got {name!r}.")
    connection = await asyncpg.connect(url.rsplit("/", 1)[0] + "/postgres")
    try:
        if not await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await connection.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}", flush=True)
    finally:
        await connection.close()


_SLOT = f"bench_locust_{os.getpid()}"


async def _wal_start(url: str) -> WalPosition:
    """The current WAL position; a temporary replication slot keeps the WAL from here on."""
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        await connection.execute("SELECT pg_create_physical_replication_slot($1, true)", _SLOT)
        row = await connection.fetchrow(
            "SELECT pg_current_wal_lsn()::text AS lsn, (SELECT timeline_id FROM pg_control_checkpoint()) AS tli, "
            "current_setting('data_directory') AS data, (SELECT oid FROM pg_database "
            "WHERE datname = current_database()) AS oid"
        )
    finally:
        await connection.close()
    return WalPosition(row["lsn"], int(row["tli"]), Path(row["data"]) / "pg_wal", int(row["oid"]))


async def _wal_end(url: str) -> str:
    """The current WAL position; drops the slot ``_wal_start`` made."""
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        lsn = str(await connection.fetchval("SELECT pg_current_wal_lsn()::text"))
        await connection.execute("SELECT pg_drop_replication_slot($1)", _SLOT)
    finally:
        await connection.close()
    return lsn


def _postgres_pids(database: str) -> list[int]:
    """PostgreSQL server processes serving ``database`` (their title names it)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres: ") and f" {database} " in title:
            pids.append(int(entry.name))
    return pids


@contextmanager
def _system(args: argparse.Namespace) -> Iterator[tuple[str, subprocess.Popen[str] | None]]:
    """Start ``insuretech up --partners`` on PostgreSQL + Redis (or use ``--host``)."""
    if args.host:
        yield args.host.rstrip("/"), None
        return
    asyncio.run(_ensure_database(args.postgres))
    args.logs.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": args.postgres,
        "REDIS_URL": args.redis,
        "GATEWAY_REDIS_PREFIX": args.redis_prefix,
        "OSAGO_CACHE_PREFIX": f"{args.redis_prefix}:osago:",
        "PYTHONPATH": str(ROOT),
    }
    log_path = args.logs / "insuretech-up.log"
    log = log_path.open("w")
    command = [sys.executable, "-m", "insuretech_cli.main", "up", "--partners", "--no-web"]
    command += ["--port-offset", str(args.port_offset), "--clients", str(args.clients)]
    # Output goes to a file, never a pipe nobody reads once the banner is out.
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 600  # seeding thousands of clients takes a while
        while BANNER_END not in log_path.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"insuretech up did not come up (exit {process.poll()}); see {log_path}.")
            time.sleep(0.5)
        for line in log_path.read_text(errors="replace").splitlines():
            if line.startswith("  ") or line.startswith("InsureTech"):
                print(f"  | {line}", flush=True)
        yield f"http://127.0.0.1:{GATEWAY_PORT + args.port_offset}", process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


def _forget_redis_keys(url: str, prefix: str) -> int:
    """Delete the run's own Redis keys (plans, rate-limit windows, quotes): nothing else."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        # The gateway's keys live under "PREFIX:" and its rate-limit windows under "PREFIX-rl".
        keys = [
            k
            for pattern in (f"{prefix}:*", f"{prefix}-rl*")
            for k in client.scan_iter(match=pattern, count=1000)
        ]
        for start in range(0, len(keys), 500):
            client.delete(*keys[start : start + 500])
        return len(keys)
    finally:
        client.close()


def _gateway_requests(host: str) -> int:
    """The gateway's own count of executed GraphQL requests (``gateway_requests_total``)."""
    text = httpx.get(f"{host}/metrics", timeout=10).text
    return int(
        sum(
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith("gateway_requests_total{")
        )
    )


def _locust(args: argparse.Namespace, host: str) -> int:
    sizes = scenario_sizes(
        args.search_rps, args.checkout_rps, args.osago_users, args.flood_rps, args.steady_rps
    )
    users = sum(sizes.values())
    ramp = users / args.spawn_rate
    command = [
        sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locust" / "locustfile.py"),
        "--headless", "--only-summary", "--reset-stats", "--stop-timeout", "75",
        "-u", str(users), "-r", str(args.spawn_rate), "-t", f"{int(ramp + args.duration)}s",
        "--host", host,
        "--search-rps", str(args.search_rps), "--checkout-rps", str(args.checkout_rps),
        "--osago-users", str(args.osago_users), "--osago-think", str(args.osago_think),
        "--flood-rps", str(args.flood_rps), "--steady-rps", str(args.steady_rps),
    ]  # fmt: skip
    print(f"locust: {users} users {sizes}, ramp {ramp:.0f} s, then {args.duration} s measured", flush=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


def _print_usage(
    usage: dict[str, RoleUsage], window_s: float, requests: int, args: argparse.Namespace
) -> None:
    rps = requests / window_s if window_s else 0.0
    print(f"\nThe gateway executed {requests} GraphQL requests in {window_s:.0f} s ({rps:.1f} req/s).")
    print("| role | processes | CPU s | cores used | CPU ms/req | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|")
    for role in sorted(usage):
        entry = usage[role]
        per_request = entry.cpu_s * 1000 / requests if requests else 0.0
        print(
            f"| {role} | {entry.processes} | {entry.cpu_s:.1f} | {entry.cpu_s / window_s:.2f} | "
            f"{per_request:.2f} | {entry.peak_rss / 2**20:.0f} |"
        )
    if not requests:
        return
    peak = seed_gateway_rps(
        Targets(args.search_rps, args.checkout_rps, args.osago_users, args.flood_rps),
        args.osago_think,
        args.steady_rps,
    )
    measurements = {
        role: RoleMeasurement(entry.cpu_s, requests, entry.peak_rss / 2**20)
        for role, entry in sorted(usage.items())
        if not role.startswith("load generator")
    }
    print()
    print(format_plan(plan_all(measurements, peak), peak))
    print("(postgresql: one primary; its row is the cores that primary needs, not replicas.)")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # thousands of WebSockets on both ends
    print(
        f"machine: {os.cpu_count()} cores; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    with _system(args) as (host, process):
        # The system's processes, and Locust's (a child of this one), so its cost is seen too.
        roots = [os.getpid(), process.pid] if process is not None else [os.getpid()]
        database = args.postgres.rsplit("/", 1)[1]
        sampler = Sampler(roots, (lambda: _postgres_pids(database)) if process is not None else None)
        before = _gateway_requests(host)
        wal_start = asyncio.run(_wal_start(args.postgres)) if process is not None else None
        sampler.start()
        try:
            code = _locust(args, host)
        finally:
            usage = sampler.stop()
            wal_end = asyncio.run(_wal_end(args.postgres)) if wal_start is not None else None
        window = sampler.stopped_at - sampler.started_at
        requests = _gateway_requests(host) - before
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if process is not None:
        _forget_redis_keys(args.redis, args.redis_prefix)
    if process is not None:
        _print_usage(usage, window, requests, args)
    if wal_start is not None and wal_end is not None:
        wal = database_wal_bytes(wal_start, wal_end)
        if wal is None:
            print("\nWAL of our database: not measured (pg_waldump or pg_wal not readable here).")
        else:
            rate = wal / window
            print(
                f"\nWAL of our database: {wal / 2**20:.1f} MiB in {window:.0f} s = {rate / 1024:.0f} KiB/s, "
                f"{rate * 86400 / 2**30:.1f} GiB per day at this load ({wal / max(requests, 1) / 1024:.1f} KiB "
                "per gateway request)."
            )
    return code if code in (0, 3, 4) else 1


if __name__ == "__main__":
    sys.exit(main())
