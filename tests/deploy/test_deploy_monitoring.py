"""The autoscaling chain holds together: gateway metric → prometheus-adapter rule → HPA → PodMonitor."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from deploy.policy import selects
from tests.deploy.deploy_world import REPO, find, rendered
from tests.gateway.http.http_world import make_app, serve

RULES = REPO / "deploy" / "k8s" / "monitoring" / "prometheus-adapter-rules.yaml"


def _rule() -> dict[str, object]:
    (rule,) = yaml.safe_load(RULES.read_text())["rules"]["custom"]
    return dict(rule)


async def test_the_adapter_rule_selects_a_series_the_gateway_really_exports(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with serve(app) as client:
        assert (await client.post("/graphql", json={"query": "{ hello }"})).status_code == 200
        exposition = (await client.get("/metrics")).text
    rule = _rule()
    series = re.match(r"(\w+)\{", str(rule["seriesQuery"]))
    assert series is not None
    sample = next(line for line in exposition.splitlines() if line.startswith(series.group(1) + "{"))
    assert 'outcome="success"' in sample
    name = rule["name"]
    assert isinstance(name, dict)
    assert re.fullmatch(name["matches"], series.group(1))
    assert "rate(<<.Series>>{<<.LabelMatchers>>}" in str(rule["metricsQuery"])


def test_the_gateway_hpa_scales_on_the_adapters_metric_and_the_pods_are_scraped() -> None:
    objects = rendered("production")
    hpa = find(objects, "HorizontalPodAutoscaler", "gateway")["spec"]
    pods_metrics = [m["pods"]["metric"]["name"] for m in hpa["metrics"] if m["type"] == "Pods"]
    name = _rule()["name"]
    assert isinstance(name, dict)
    assert pods_metrics == [name["as"]]
    assert {m["resource"]["name"] for m in hpa["metrics"] if m["type"] == "Resource"} == {"cpu", "memory"}
    assert hpa["behavior"]["scaleDown"]["stabilizationWindowSeconds"] >= 300
    monitor = find(objects, "PodMonitor", "insuretech-http")["spec"]
    gateway = find(objects, "Deployment", "gateway")["spec"]["template"]
    assert selects(monitor["selector"], gateway["metadata"]["labels"])
    endpoint = monitor["podMetricsEndpoints"][0]
    assert endpoint["port"] in {p["name"] for p in gateway["spec"]["containers"][0]["ports"]}
    assert endpoint["path"] == "/metrics"
