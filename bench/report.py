"""The gateway benchmark's result rows and table.

A row holds one target's measured rounds. The table shows the median round, the CPU time per
request, and ratios against the Hive and Apollo rows of the same run, each as
``req/s ratio (CPU-time ratio)``.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.loadgen import LoadResult

__all__ = ["MAX_ERROR_RATE", "Row", "cpu_text", "median_cpu", "render_table"]

MAX_ERROR_RATE = 0.01
"""A row with more wrong answers than this share is marked invalid and gets no ratio."""


@dataclass(slots=True)
class Row:
    """One line of the result table."""

    target: str
    results: list[LoadResult] = field(default_factory=list)
    fetches: int | None = None
    """Subgraph requests one operation caused (from the reference request)."""
    skipped: str | None = None

    @property
    def best(self) -> LoadResult | None:
        """The median round by req/s (the only round when ``--rounds 1``)."""
        if not self.results:
            return None
        ordered = sorted(self.results, key=lambda result: result.rps)
        return ordered[(len(ordered) - 1) // 2]

    @property
    def errors(self) -> int:
        """Wrong answers and failed requests over all rounds."""
        return sum(result.errors for result in self.results)

    @property
    def rps(self) -> float | None:
        """Median req/s (valid answers only) over rounds; None when not run or over 1% errors."""
        answered = sum(result.ok + result.errors for result in self.results)
        if not answered or self.errors > MAX_ERROR_RATE * answered:
            return None
        return statistics.median(result.rps for result in self.results)


def cpu_text(result: LoadResult) -> str:
    """CPU milliseconds per request of one round, or ``-``."""
    cpu = result.cpu_ms_per_request
    return "-" if cpu is None else f"{cpu:.2f}"


def _ratio(row: Row, base: Row | None) -> str:
    """``req/s ratio (CPU-time ratio)`` of ``row`` over ``base``; ``-`` when either is missing."""
    rps, base_rps = row.rps, base.rps if base else None
    if not rps or not base_rps or base is None:
        return "-"
    text = f"{rps / base_rps:.2f}x"
    mine, theirs = median_cpu(row), median_cpu(base)
    if mine and theirs:
        text += f" ({theirs / mine:.2f}x)"
    return text


def median_cpu(row: Row) -> float | None:
    """Median CPU milliseconds per request over the rounds that measured it."""
    values = [cpu for result in row.results if (cpu := result.cpu_ms_per_request) is not None]
    return statistics.median(values) if values else None


def render_table(rows: Sequence[Row]) -> str:
    """The result table (Markdown), with ratios against the Hive and Apollo rows of the same run.

    A ratio reads ``A (B)``: A compares req/s, B compares the CPU time each gateway spent per
    request (immune to other processes stealing the gateway's core).
    """
    by_name = {row.target: row for row in rows}
    hive, apollo = by_name.get("hive"), by_name.get("apollo")
    lines = [
        "| target | req/s | p50 ms | p99 ms | errors | fetches/op | CPU ms/req | vs Hive | vs Apollo |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        best = row.best
        if best is None:
            lines.append(f"| {row.target} | skipped: {row.skipped} | | | | | | | |")
            continue
        rps = row.rps
        shown = f"{rps:.1f}" if rps is not None else f"invalid ({best.rps:.1f})"
        fetches = "-" if row.fetches is None else str(row.fetches)
        cpu = median_cpu(row)
        lines.append(
            f"| {row.target} | {shown} | {best.p(0.5):.1f} | {best.p(0.99):.1f} | {row.errors} | "
            f"{fetches} | {'-' if cpu is None else f'{cpu:.2f}'} | {_ratio(row, hive)} | {_ratio(row, apollo)} |"
        )
    return "\n".join(lines)
