"""Offline tooling for the Kubernetes manifests under ``deploy/k8s``: render, validate, check policy.

``python -m deploy check`` renders every overlay with kustomize semantics (``deploy.kustomize``),
validates each object against the Kubernetes OpenAPI schemas (kubernetes-validate) and the
project's schemas for the operator resources it uses (``deploy.schemas``), and runs the project's
own policy rules (``deploy.policy``). CI runs the same through ``tests/deploy``.
"""

from __future__ import annotations

from deploy.kustomize import KustomizeError, render
from deploy.policy import Violation, check_policy
from deploy.schemas import SchemaViolation, validate_objects

__all__ = ["KustomizeError", "SchemaViolation", "Violation", "check_policy", "render", "validate_objects"]
