"""The capacity model's arithmetic: CPU per request → cores at the peak → replicas with a zone lost."""

from __future__ import annotations

import math

import pytest

from bench.capacity import RoleMeasurement, format_plan, plan_all, plan_role


def test_one_core_of_work_at_the_peak() -> None:
    plan = plan_role("gateway", RoleMeasurement(cpu_s=10.0, requests=1000, peak_rss_mib=70), peak_rps=100)
    assert plan.cpu_ms_per_request == pytest.approx(10.0)
    assert plan.requests_per_core == pytest.approx(100.0)
    assert plan.peak_cores == pytest.approx(1.0)
    assert plan.pods_at_peak == pytest.approx(1 / 0.65)
    # 1.54 pods must survive in two zones: one per zone, three in all.
    assert (plan.per_zone, plan.replicas) == (1, 3)


def test_three_cores_at_the_peak_need_three_pods_per_zone() -> None:
    plan = plan_role("subgraph", RoleMeasurement(30.0, 1000, 70), peak_rps=100)
    assert plan.pods_at_peak == pytest.approx(3 / 0.65)
    assert plan.per_zone == math.ceil(3 / 0.65 / 2) == 3
    assert plan.replicas == 9


def test_more_zones_need_less_spare() -> None:
    plan = plan_role("subgraph", RoleMeasurement(30.0, 1000, 70), peak_rps=100, zones=4)
    assert (plan.per_zone, plan.replicas) == (2, 8)


def test_a_role_that_costs_nothing_still_runs_one_pod_per_zone() -> None:
    plan = plan_role("backend", RoleMeasurement(0.0, 1000, 70), peak_rps=100)
    assert plan.requests_per_core == math.inf
    assert plan.replicas == 3


def test_no_requests_is_an_error() -> None:
    with pytest.raises(ValueError, match="requests > 0"):
        plan_role("gateway", RoleMeasurement(1.0, 0, 70), peak_rps=100)


def test_the_table() -> None:
    plans = plan_all({"gateway": RoleMeasurement(10.0, 1000, 70.4)}, 100)
    text = format_plan(plans, 100)
    assert text.splitlines()[0].startswith("Capacity at 100.0 gateway req/s, 3 zones, one lost")
    assert "| gateway | 10.00 | 100 | 1.00 | 1.54 | 1 | 3 | 70 |" in text
