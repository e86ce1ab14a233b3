"""Every rendered object is valid for Kubernetes 1.32 and 1.37, operator resources against our schemas."""

from __future__ import annotations

import pytest

from deploy.schemas import KUBERNETES_VERSIONS, validate_objects
from tests.deploy.deploy_world import find, rendered


@pytest.mark.parametrize("overlay", ["local", "production"])
def test_every_object_of_every_overlay_is_valid(overlay: str) -> None:
    objects = rendered(overlay)
    assert len(objects) > 40
    assert validate_objects(objects) == []


def test_a_misspelt_field_of_a_builtin_kind_is_caught_in_every_version() -> None:
    gateway = find(rendered("production"), "Deployment", "gateway")
    gateway["spec"]["replica"] = 3
    violations = validate_objects([gateway])
    assert len(violations) == len(KUBERNETES_VERSIONS)
    assert all("'replica' was unexpected" in v.message for v in violations)
    assert str(violations[0]).startswith("Deployment 'gateway' at spec: ")


def test_a_wrong_type_deep_inside_a_pod_is_caught_with_its_path() -> None:
    gateway = find(rendered("production"), "Deployment", "gateway")
    gateway["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["periodSeconds"] = "often"
    (violation, *_) = validate_objects([gateway])
    assert violation.where == "spec.template.spec.containers.0.readinessProbe.periodSeconds"


@pytest.mark.parametrize(
    ("kind", "name", "mutate", "where"),
    [
        ("Cluster", "insuretech-pg", lambda s: s.update(instance=3), "spec"),
        (
            "Cluster",
            "insuretech-pg",
            lambda s: s["postgresql"]["synchronous"].update(method="all"),
            "spec.postgresql.synchronous.method",
        ),
        (
            "ScheduledBackup",
            "insuretech-pg-nightly",
            lambda s: s.update(schedule="0 1 * * *"),
            "spec.schedule",
        ),
        ("RabbitmqCluster", "insuretech-rabbitmq", lambda s: s.update(image="rabbitmq"), "spec.image"),
        (
            "Middleware",
            "partner-flood-guard",
            lambda s: s["rateLimit"].update(average="30"),
            "spec.rateLimit.average",
        ),
        (
            "PodMonitor",
            "insuretech-http",
            lambda s: s.update(podMetricsEndpoints=[]),
            "spec.podMetricsEndpoints",
        ),
        (
            "ObjectStore",
            "insuretech-pg-backups",
            lambda s: s["configuration"].update(destinationPath="/tmp"),
            "spec.configuration.destinationPath",
        ),
    ],
)
def test_operator_resources_are_checked_against_our_schemas(
    kind: str, name: str, mutate: object, where: str
) -> None:
    obj = find(rendered("production"), kind, name)
    assert validate_objects([obj]) == []
    mutate(obj["spec"])  # type: ignore[operator]
    assert [v.where for v in validate_objects([obj])] == [where]


def test_a_kind_no_schema_covers_is_a_violation() -> None:
    unknown = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}}
    (violation,) = validate_objects([unknown])
    assert "no schema for example.com/v1 Widget" in violation.message
