"""A tiny real run of the Locust scenarios: the locustfile still speaks the current schema.

``bench/locust/run.py`` starts ``insuretech up --partners`` on PostgreSQL + Redis (its own
database and key prefix), every scenario sends a few requests for a few seconds, and the run must
end with no failed request and print the figures and the capacity table. The full-size run is a
benchmark, never a test.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]


def test_locust_lists_every_scenario() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locust" / "locustfile.py"), "--list"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    for user in ("SearchUser", "CheckoutUser", "OsagoUser", "PartnerFloodUser", "PartnerSteadyUser"):
        assert user in result.stdout


async def _drop(database: str) -> None:
    import asyncpg  # type: ignore[import-untyped]

    connection = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres")
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        await connection.close()


@pytest.mark.slow
def test_a_small_run_against_the_real_system(tmp_path: Path) -> None:
    require_service("PostgreSQL", "127.0.0.1", 5432)
    require_service("Redis", "127.0.0.1", 6379)
    database = f"bench_smoke_{uuid.uuid4().hex[:10]}"
    offset = 10_000 + os.getpid() % 5_000
    command = [
        sys.executable, str(ROOT / "bench" / "locust" / "run.py"),
        "--duration", "6", "--spawn-rate", "20", "--clients", "30", "--port-offset", str(offset),
        "--search-rps", "2", "--checkout-rps", "1", "--osago-users", "3", "--osago-think", "2",
        "--flood-rps", "30", "--steady-rps", "2",
        "--postgres", f"postgresql://postgres@127.0.0.1:5432/{database}",
        "--redis-prefix", f"test-{database}", "--logs", str(tmp_path),
    ]  # fmt: skip
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT)
    finally:
        asyncio.run(_drop(database))
    output = result.stdout + result.stderr
    assert result.returncode in (0, 3), output[-4000:]  # 4 would mean failed requests
    assert "Seed figures:" in output
    assert "quotes complete" in output
    assert "| gateway | 1 |" in output, "the gateway's CPU was sampled"
    assert "Capacity at " in output
