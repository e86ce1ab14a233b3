"""The project's policy rules: both overlays follow them, and each rule catches the breakage it exists for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from deploy.kustomize import Manifest
from deploy.policy import RULES, check_policy
from tests.deploy.deploy_world import find, rendered


def _pod(objects: list[Manifest], name: str, kind: str = "Deployment") -> dict[str, Any]:
    spec: dict[str, Any] = find(objects, kind, name)["spec"]["template"]["spec"]
    return spec


def _container(objects: list[Manifest], name: str, kind: str = "Deployment") -> dict[str, Any]:
    container: dict[str, Any] = _pod(objects, name, kind)["containers"][0]
    return container


def _drop(objects: list[Manifest], kind: str, name: str) -> None:
    objects.remove(find(objects, kind, name))


@pytest.mark.parametrize("overlay", ["local", "production"])
def test_the_overlays_follow_every_rule(overlay: str) -> None:
    assert check_policy(rendered(overlay), production=overlay == "production") == []


Breakage = Callable[[list[Manifest]], None]

BREAKAGES: list[tuple[str, Breakage, str, str]] = [
    (
        "PROBES",
        lambda o: _container(o, "subgraph-core-app").pop("readinessProbe"),
        "subgraph-core-app",
        "readinessProbe",
    ),
    ("PROBES", lambda o: _container(o, "outbox-relay").pop("livenessProbe"), "outbox-relay", "livenessProbe"),
    (
        "PROBE_TARGETS",
        lambda o: _container(o, "gateway")["readinessProbe"]["httpGet"].update(path="/readiness"),
        "gateway",
        "'/readiness', which the gateway does not serve",
    ),
    (
        "PROBE_TARGETS",
        lambda o: _container(o, "backend-core-app")["livenessProbe"]["grpc"].update(port=50051),
        "backend-core-app",
        "port 50051, which the container does not declare",
    ),
    (
        "RESOURCES",
        lambda o: _container(o, "gateway")["resources"]["limits"].pop("memory"),
        "gateway",
        "limits.memory",
    ),
    (
        "IMAGE_PINNED",
        lambda o: _container(o, "gateway").update(image="insuretech/supergraph:latest"),
        "gateway",
        "latest",
    ),
    (
        "IMAGE_PINNED",
        lambda o: _container(o, "valkey", "StatefulSet").update(image="valkey/valkey"),
        "valkey",
        "pin",
    ),
    (
        "NON_ROOT",
        lambda o: _pod(o, "backend-client-info")["securityContext"].pop("runAsNonRoot"),
        "backend-client-info",
        "runAsNonRoot",
    ),
    (
        "NON_ROOT",
        lambda o: _container(o, "gateway")["securityContext"].update(readOnlyRootFilesystem=False),
        "gateway",
        "writable",
    ),
    (
        "DISRUPTION_BUDGET",
        lambda o: _drop(o, "PodDisruptionBudget", "subgraph-applications"),
        "subgraph-applications",
        "PodDisruptionBudget",
    ),
    (
        "ZONE_SPREAD",
        lambda o: _pod(o, "backend-applications").pop("topologySpreadConstraints"),
        "backend-applications",
        "zone",
    ),
    (
        "ZONE_SPREAD",
        lambda o: _pod(o, "gateway")["topologySpreadConstraints"][0].update(
            whenUnsatisfiable="ScheduleAnyway"
        ),
        "gateway",
        "DoNotSchedule",
    ),
    (
        "REPLICAS_PER_ZONE",
        lambda o: find(o, "HorizontalPodAutoscaler", "subgraph-client-info")["spec"].update(minReplicas=2),
        "subgraph-client-info",
        "at least 3",
    ),
    (
        "SERVICE_SELECTOR",
        lambda o: find(o, "Service", "gateway")["spec"]["ports"][0].update(targetPort="web"),
        "gateway",
        "'web'",
    ),
    (
        "SERVICE_SELECTOR",
        lambda o: _drop(o, "Deployment", "backend-core-app"),
        "backend-core-app",
        "matches no workload",
    ),
    (
        "AUTOSCALER_TARGET",
        lambda o: _drop(o, "Deployment", "subgraph-core-app"),
        "subgraph-core-app",
        "not rendered",
    ),
    ("REFERENCES", lambda o: _drop(o, "ConfigMap", "partner-api"), "gateway", "ConfigMap 'partner-api'"),
    (
        "REFERENCES",
        lambda o: find(o, "Namespace", "insuretech")["metadata"]["annotations"].clear(),
        "gateway",
        "Secret 'insuretech-partners'",
    ),
    (
        "CREDENTIALS_IN_ENV",
        lambda o: _container(o, "gateway")["env"].append(
            {"name": "REDIS_URL", "value": "redis://u:secret@valkey:6379/0"}
        ),
        "gateway",
        "REDIS_URL",
    ),
    ("INGRESS_TLS", lambda o: find(o, "Ingress", "gateway-web")["spec"].pop("tls"), "gateway-web", "no TLS"),
    (
        "NETWORK",
        lambda o: find(o, "NetworkPolicy", "backend-client-info-from-subgraph")["spec"]["ingress"][0]["from"][
            0
        ]["podSelector"]["matchLabels"].update({"app.kubernetes.io/name": "gateway"}),
        "backend-client-info",
        "only 'subgraph-client-info'",
    ),
    (
        "NETWORK",
        lambda o: find(o, "NetworkPolicy", "subgraph-core-app-from-gateway")["spec"]["ingress"][0][
            "from"
        ].append({"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "edge"}}}),
        "subgraph-core-app",
        "namespace 'edge'",
    ),
    (
        "NETWORK",
        lambda o: find(o, "NetworkPolicy", "gateway-from-edge")["spec"]["ingress"][0].pop("from"),
        "gateway",
        "admits every source",
    ),
    (  # a backend takes calls only from the backends that need it (core_app never calls client_info)
        "NETWORK",
        lambda o: find(o, "NetworkPolicy", "backend-client-info-from-subgraph")["spec"]["ingress"][0]["from"][
            1
        ]["podSelector"]["matchLabels"].update({"app.kubernetes.io/name": "backend-core-app"}),
        "backend-client-info",
        "only 'subgraph-client-info' or 'backend-applications'",
    ),
    ("NETWORK", lambda o: _drop(o, "NetworkPolicy", "default-deny-ingress"), "*", "default-deny"),
    (
        "DRAIN_TIME",
        lambda o: _pod(o, "gateway").update(terminationGracePeriodSeconds=60),
        "gateway",
        "preStop 65 s",
    ),
]


@pytest.mark.parametrize(
    ("code", "breakage", "name", "message"),
    BREAKAGES,
    ids=[f"{b[0]}-{b[2]}-{n}" for n, b in enumerate(BREAKAGES)],
)
def test_each_rule_catches_its_breakage(code: str, breakage: Breakage, name: str, message: str) -> None:
    objects = rendered("production")
    breakage(objects)
    violations = check_policy(objects, production=True)
    assert any(v.code == code and v.name == name and message in v.message for v in violations), violations


def test_every_rule_is_exercised_by_a_breakage() -> None:
    codes = {b[0] for b in BREAKAGES}
    assert len(codes) == len(RULES), "each rule has its own code and at least one breakage test"


def test_production_only_rules_do_not_apply_to_local() -> None:
    objects = rendered("local")
    assert [v.code for v in check_policy(objects, production=True)].count("REPLICAS_PER_ZONE") > 0
    assert check_policy(objects, production=False) == []
