"""The capacity model: measured CPU per request of each role → replicas for a peak, one zone lost.

Inputs are what ``bench/locust/run.py`` measures while the seeds' peak runs: for each role
(gateway, each subgraph, each backend, PostgreSQL) the CPU seconds it used and its peak memory,
and the requests the gateway answered in the same window. From them:

* CPU ms per request = CPU seconds × 1000 / requests; requests per core = 1000 / that;
* cores at the peak = peak req/s × CPU ms per request / 1000;
* pods to carry the peak = cores at the peak / (CPU per pod × target utilisation), the HPA's
  target, so a pod at the peak still has headroom;
* with one of ``zones`` zones lost the others carry everything: pods per zone =
  ceil(pods / (zones − 1)), and replicas = zones × pods per zone (at least one per zone).

Pure arithmetic, no I/O: ``docs/capacity.md`` is written from its output.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["RoleMeasurement", "RolePlan", "format_plan", "plan_all", "plan_role"]


@dataclass(frozen=True, slots=True)
class RoleMeasurement:
    """What one role used while the gateway answered ``requests`` requests."""

    cpu_s: float
    requests: int
    peak_rss_mib: float


@dataclass(frozen=True, slots=True)
class RolePlan:
    role: str
    cpu_ms_per_request: float
    requests_per_core: float
    peak_cores: float
    pods_at_peak: float
    per_zone: int
    replicas: int
    peak_rss_mib: float


def plan_role(
    role: str,
    measured: RoleMeasurement,
    peak_rps: float,
    *,
    zones: int = 3,
    pod_cpu: float = 1.0,
    utilisation: float = 0.65,
) -> RolePlan:
    """Replicas of one role for ``peak_rps`` gateway requests per second with one zone lost."""
    if measured.requests <= 0 or zones < 2:
        raise ValueError("A plan needs requests > 0 and at least two zones.")
    cpu_ms = measured.cpu_s * 1000 / measured.requests
    per_core = 1000 / cpu_ms if cpu_ms > 0 else math.inf
    peak_cores = peak_rps * cpu_ms / 1000
    pods = peak_cores / (pod_cpu * utilisation)
    per_zone = max(1, math.ceil(pods / (zones - 1)))
    return RolePlan(
        role, cpu_ms, per_core, peak_cores, pods, per_zone, zones * per_zone, measured.peak_rss_mib
    )


def format_plan(plans: list[RolePlan], peak_rps: float, *, zones: int = 3, utilisation: float = 0.65) -> str:
    """The table printed by the benchmark and copied into docs/capacity.md."""
    lines = [
        f"Capacity at {peak_rps:.1f} gateway req/s, {zones} zones, one lost; 1 CPU per pod at "
        f"{utilisation:.0%} (the HPA target):",
        "| role | CPU ms/req | req/s per core | cores at peak | pods at peak | per zone | replicas | peak RSS MiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for p in plans:
        lines.append(
            f"| {p.role} | {p.cpu_ms_per_request:.2f} | {p.requests_per_core:.0f} | {p.peak_cores:.2f} | "
            f"{p.pods_at_peak:.2f} | {p.per_zone} | {p.replicas} | {p.peak_rss_mib:.0f} |"
        )
    return "\n".join(lines)


def plan_all(
    measurements: Mapping[str, RoleMeasurement], peak_rps: float, *, zones: int = 3
) -> list[RolePlan]:
    """A plan per role, in the order given."""
    return [plan_role(role, m, peak_rps, zones=zones) for role, m in measurements.items()]
