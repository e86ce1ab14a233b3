from __future__ import annotations

from pathlib import Path

import pytest

from gateway.telemetry import Metrics, operation_label


def test_metrics_render_in_prometheus_format() -> None:
    metrics = Metrics()
    metrics.observe_request("GetClient", "success", 0.01)
    metrics.observe_request(None, "error", 0.02)
    metrics.observe_fetch("accounts", 0.005, None)
    metrics.observe_fetch("accounts", 0.5, "SUBGRAPH_UNAVAILABLE")
    metrics.plan_cache_hit()
    metrics.plan_cache_miss()
    text = metrics.render().decode()
    assert 'gateway_requests_total{operation="GetClient",outcome="success"} 1.0' in text
    assert 'gateway_requests_total{operation="anonymous",outcome="error"} 1.0' in text
    assert 'gateway_subgraph_fetch_duration_seconds_count{subgraph="accounts"} 2.0' in text
    assert 'gateway_subgraph_errors_total{code="SUBGRAPH_UNAVAILABLE",subgraph="accounts"} 1.0' in text
    assert 'gateway_plan_cache_lookups_total{level="local",result="hit"} 1.0' in text


def test_two_metrics_objects_do_not_collide() -> None:
    Metrics()
    Metrics()


def test_operation_label_is_bounded() -> None:
    assert operation_label("x" * 100) == "x" * 64
    assert operation_label("") == "anonymous"


def test_render_includes_the_default_registry() -> None:
    text = Metrics().render().decode()
    assert "gateway_plan_cache_lookups_total" in text
    assert "python_info" in text


def test_multiprocess_mode_aggregates_from_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    assert isinstance(Metrics().render(), bytes)
