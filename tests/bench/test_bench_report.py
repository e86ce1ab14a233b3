"""The gateway benchmark's rows and result table."""

from __future__ import annotations

from bench.loadgen import LoadResult
from bench.report import Row, render_table


def _result(ok: int, errors: int = 0, cpu: float | None = None) -> LoadResult:
    return LoadResult(duration=10.0, ok=ok, errors=errors, latencies=[0.01] * max(ok, 1), cpu_seconds=cpu)


def test_table_shows_ratios_against_hive_and_apollo() -> None:
    rows = [
        Row("python", [_result(3000, cpu=6.0)], fetches=7),
        Row("hive", [_result(1000, cpu=8.0)], fetches=7),
        Row("apollo", [_result(500)]),
        Row("broken", [_result(900, errors=30)]),
        Row("flaky", [_result(900, errors=3)]),
        Row("gone", skipped="npm install failed."),
    ]
    table = render_table(rows)
    assert "| python | 300.0 | 10.0 | 10.0 | 0 | 7 | 2.00 | 3.00x (4.00x) | 6.00x |" in table
    assert "| broken | invalid (90.0) |" in table
    assert "| flaky | 90.0 | 10.0 | 10.0 | 3 |" in table
    assert "| gone | skipped: npm install failed. |" in table


def test_rounds_report_the_median() -> None:
    row = Row("python", [_result(100), _result(300), _result(200)])
    assert row.rps == 20.0
    assert row.best is not None
    assert row.best.ok == 200
