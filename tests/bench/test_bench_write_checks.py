"""The write-checks benchmark runs end to end on PostgreSQL and prints its comparison table."""

from __future__ import annotations

import pytest

from bench.write_checks import main
from tests.conftest import require_service


async def test_the_benchmark_prints_checked_against_unchecked(capsys: pytest.CaptureFixture[str]) -> None:
    require_service("PostgreSQL", "127.0.0.1", 5432)
    await main(rounds=2, creates=2, batches=1, clients=5, batch_size=3)
    table = capsys.readouterr().out
    assert "2 interleaved rounds" in table
    for row in ("create, p50 ms", "batch of 3, p50 ms", "create, p90 ms"):
        line = next(line for line in table.splitlines() if line.startswith(row))
        checked, unchecked, ratio = (float(value) for value in line[len(row) :].split())
        assert checked > 0
        assert unchecked > 0
        assert ratio == pytest.approx(checked / unchecked, abs=0.01)
