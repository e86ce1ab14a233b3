"""The seeds' load figures and whether a Locust run met them (pure: no Locust, no I/O).

Seed 004 and the domain brief give the peaks: 50 req/s of search and 10 req/s of checkout,
2,500 concurrent users creating OSAGO applications (quotes held open over WebSocket until every
insurer answered, within 60 s), and one partner that agreed to 20 req/s sending 250 req/s.
The seeds name no latency target; we hold every peak to p99 < 300 ms and < 1 % errors (the
figures of issue 16), and the flood to its contract without hurting another partner.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

__all__ = [
    "PER_USER_RPS",
    "Endpoint",
    "FigureResult",
    "Snapshot",
    "Targets",
    "evaluate",
    "format_results",
    "scenario_sizes",
    "seed_gateway_rps",
]

PER_USER_RPS = {"search": 2.0, "checkout": 2.0, "flood": 5.0, "steady": 4.0}
"""Requests per second one Locust user of each constant-rate scenario sends."""


@dataclass(frozen=True, slots=True)
class Targets:
    """The figures a run is held to (Locust options can change the rates)."""

    search_rps: float = 50.0
    checkout_rps: float = 10.0
    osago_users: int = 2500
    flood_rps: float = 250.0
    flood_contract_per_second: int = 20
    flood_contract_per_minute: int = 600
    p99_ms: float = 300.0
    max_error_ratio: float = 0.01
    rate_tolerance: float = 0.95
    """A rate counts as met at 95 % of its target (Locust's ramp-up and rounding)."""
    quote_deadline_s: float = 60.0


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One Locust stats entry."""

    requests: int
    failures: int
    rps: float
    p50_ms: float
    p99_ms: float


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What a run measured, collected from Locust's stats and the scenario counters."""

    duration_s: float
    endpoints: dict[str, Endpoint]
    ws_peak: int = 0
    quotes_started: int = 0
    quotes_completed: int = 0
    quote_slowest_s: float = 0.0
    flood_accepted: int = 0
    flood_refused: int = 0
    steady_refused: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FigureResult:
    figure: str
    target: str
    measured: str
    met: bool


_EMPTY = Endpoint(0, 0, 0.0, 0.0, 0.0)


def scenario_sizes(
    search_rps: float, checkout_rps: float, osago_users: int, flood_rps: float, steady_rps: float
) -> dict[str, int]:
    """Users per scenario, so each constant-rate scenario sends its rate in total."""
    return {
        "search": math.ceil(search_rps / PER_USER_RPS["search"]),
        "checkout": math.ceil(checkout_rps / PER_USER_RPS["checkout"]),
        "osago": osago_users,
        "flood": math.ceil(flood_rps / PER_USER_RPS["flood"]),
        "steady": math.ceil(steady_rps / PER_USER_RPS["steady"]),
    }


def seed_gateway_rps(targets: Targets, osago_think_s: float, steady_rps: float) -> float:
    """GraphQL requests per second the gateway executes at the seeds' peak.

    Search and checkout; two HTTP operations per OSAGO quote (create the application, request
    quotes); the flooding partner's contract (the rest is refused before execution); the
    well-behaved partner.
    """
    quotes_per_s = targets.osago_users / osago_think_s if osago_think_s else 0.0
    flood = min(targets.flood_rps, targets.flood_contract_per_minute / 60)
    return targets.search_rps + targets.checkout_rps + 2 * quotes_per_s + flood + steady_rps


def _rate_figure(name: str, snapshot: Snapshot, target_rps: float, targets: Targets) -> FigureResult:
    entry = snapshot.endpoints.get(name, _EMPTY)
    errors = entry.failures / entry.requests if entry.requests else 1.0
    met = (
        entry.rps >= target_rps * targets.rate_tolerance
        and errors < targets.max_error_ratio
        and entry.p99_ms < targets.p99_ms
    )
    return FigureResult(
        f"{name}: {target_rps:g} req/s",
        f">= {target_rps * targets.rate_tolerance:g} req/s, p99 < {targets.p99_ms:g} ms, errors < "
        f"{targets.max_error_ratio:.0%}",
        f"{entry.rps:.1f} req/s, p50 {entry.p50_ms:.0f} ms, p99 {entry.p99_ms:.0f} ms, "
        f"errors {errors:.2%} of {entry.requests}",
        met,
    )


def _flood_allowance(duration_s: float, targets: Targets) -> int:
    """The most a partner may be granted in ``duration_s`` under ``N/second;M/minute`` windows."""
    per_second = targets.flood_contract_per_second * (int(duration_s) + 1)
    per_minute = targets.flood_contract_per_minute * (int(duration_s // 60) + 1)
    return min(per_second, per_minute)


def evaluate(snapshot: Snapshot, targets: Targets) -> list[FigureResult]:
    """One result per seed figure."""
    results = [
        _rate_figure("search", snapshot, targets.search_rps, targets),
        _rate_figure("checkout", snapshot, targets.checkout_rps, targets),
    ]
    completed = snapshot.quotes_completed / snapshot.quotes_started if snapshot.quotes_started else 0.0
    results.append(
        FigureResult(
            f"osago: {targets.osago_users:,} users with quotes held open",
            f">= {targets.osago_users:,} WebSockets at once, >= 99% of quotes complete within "
            f"{targets.quote_deadline_s:g} s",
            f"peak {snapshot.ws_peak:,} WebSockets, {snapshot.quotes_completed}/{snapshot.quotes_started} "
            f"quotes complete ({completed:.1%}), slowest {snapshot.quote_slowest_s:.1f} s",
            snapshot.ws_peak >= targets.osago_users
            and snapshot.quotes_started > 0
            and completed >= 0.99
            and snapshot.quote_slowest_s <= targets.quote_deadline_s,
        )
    )
    sent = snapshot.flood_accepted + snapshot.flood_refused
    allowance = _flood_allowance(snapshot.duration_s, targets)
    flood_rps = sent / snapshot.duration_s if snapshot.duration_s else 0.0
    results.append(
        FigureResult(
            f"partner flood: {targets.flood_rps:g} req/s against a "
            f"{targets.flood_contract_per_second}/s;{targets.flood_contract_per_minute}/min contract",
            f"sent >= {targets.flood_rps * targets.rate_tolerance:g} req/s, accepted <= {allowance}, rest 429",
            f"sent {flood_rps:.1f} req/s, accepted {snapshot.flood_accepted}, refused {snapshot.flood_refused}",
            flood_rps >= targets.flood_rps * targets.rate_tolerance
            and snapshot.flood_accepted <= allowance
            and snapshot.flood_refused > 0,
        )
    )
    steady = snapshot.endpoints.get("partner steady", _EMPTY)
    results.append(
        FigureResult(
            "partner beside the flood: unaffected",
            f"no 429, p99 < {targets.p99_ms:g} ms, errors < {targets.max_error_ratio:.0%}",
            f"{snapshot.steady_refused} refused, p99 {steady.p99_ms:.0f} ms, {steady.failures} failed of "
            f"{steady.requests}",
            steady.requests > 0
            and snapshot.steady_refused == 0
            and steady.p99_ms < targets.p99_ms
            and steady.failures / steady.requests < targets.max_error_ratio,
        )
    )
    return results


def format_results(results: list[FigureResult]) -> str:
    """The table the run prints, one line per figure, and a verdict."""
    lines = ["", "Seed figures:"]
    for result in results:
        lines.append(f"  [{'MET' if result.met else 'NOT MET'}] {result.figure}")
        lines.append(f"      target:   {result.target}")
        lines.append(f"      measured: {result.measured}")
    met = sum(r.met for r in results)
    lines.append(f"{met} of {len(results)} seed figures met.")
    return "\n".join(lines)
