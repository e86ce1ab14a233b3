"""Validate rendered objects against schemas: Kubernetes' own, and ours for operator resources.

Built-in kinds go through kubernetes-validate in strict mode (unknown fields are errors) for
every Kubernetes minor version we support; custom resources (CloudNativePG, RabbitMQ, the
Prometheus and Traefik CRDs) through the JSON Schemas in ``deploy/crd-schemas``. An object no
schema covers is itself a violation: nothing is waved through.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import yaml

__all__ = ["CRD_SCHEMA_DIR", "KUBERNETES_VERSIONS", "SchemaViolation", "validate_objects"]

KUBERNETES_VERSIONS = ("1.32", "1.37")
"""The oldest and newest Kubernetes minor versions the manifests must be valid for."""

CRD_SCHEMA_DIR = Path(__file__).parent / "crd-schemas"


@dataclass(frozen=True, slots=True)
class SchemaViolation:
    """One object that does not match its schema."""

    kind: str
    name: str
    where: str
    """The dotted path of the offending field (empty for the whole object)."""
    message: str

    def __str__(self) -> str:
        at = f" at {self.where}" if self.where else ""
        return f"{self.kind} {self.name!r}{at}: {self.message}"


@functools.cache
def _crd_validators() -> dict[tuple[str, str], jsonschema.Draft202012Validator]:
    validators = {}
    for path in sorted(CRD_SCHEMA_DIR.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        schema = document["schema"]
        jsonschema.Draft202012Validator.check_schema(schema)
        validators[(document["apiVersion"], document["kind"])] = jsonschema.Draft202012Validator(schema)
    return validators


def _validate_one(obj: dict[str, Any], versions: Iterable[str]) -> list[SchemaViolation]:
    kind, name = str(obj.get("kind")), str(obj.get("metadata", {}).get("name"))
    crd = _crd_validators().get((str(obj.get("apiVersion")), kind))
    if crd is not None:
        return [
            SchemaViolation(kind, name, ".".join(map(str, error.path)), error.message)
            for error in sorted(crd.iter_errors(obj), key=lambda e: list(map(str, e.path)))
        ]
    found: list[SchemaViolation] = []
    for version in versions:
        try:
            kubernetes_validate.validate(obj, version, strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            return [
                SchemaViolation(
                    kind,
                    name,
                    "",
                    f"no schema for {obj.get('apiVersion')} {kind}; add one to deploy/crd-schemas "
                    "if it is a custom resource",
                )
            ]
        except kubernetes_validate.ValidationError as error:
            where = ".".join(map(str, error.path))
            found.append(SchemaViolation(kind, name, where, f"{error.message} (Kubernetes {version})"))
    return found


def validate_objects(
    objects: Iterable[dict[str, Any]], versions: Iterable[str] = KUBERNETES_VERSIONS
) -> list[SchemaViolation]:
    """Every schema violation of ``objects``; an empty list when all are valid."""
    versions = tuple(versions)
    return [violation for obj in objects for violation in _validate_one(obj, versions)]
