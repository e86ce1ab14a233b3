"""``python -m deploy check``: clean overlays pass; a broken manifest fails the run with its finding."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from deploy.__main__ import check_overlay, main
from tests.deploy.deploy_world import OVERLAYS, REPO, write_kustomization


def test_check_passes_on_the_committed_overlays(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert f"{OVERLAYS / 'local'}: ok" in out
    assert f"{OVERLAYS / 'production'}: ok" in out


def test_a_broken_overlay_fails_the_check_with_each_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An overlay on top of production that drops the gateway's readiness probe, pins nothing and
    # misspells a field: three findings from three checkers.
    broken = write_kustomization(
        tmp_path / "production",
        f"resources: [{OVERLAYS / 'production'}]\n"
        "patches:\n"
        "  - target: {kind: Deployment, name: gateway}\n"
        "    patch: |-\n"
        "      - {op: remove, path: /spec/template/spec/containers/0/readinessProbe}\n"
        "      - {op: replace, path: /spec/template/spec/containers/0/image, value: 'insuretech/supergraph:latest'}\n"
        "      - {op: add, path: /spec/template/spec/containers/0/livenessprobe, value: {}}\n",
    )
    assert main(["check", str(broken)]) == 1
    out = capsys.readouterr().out
    assert f"{broken}: 4 finding(s)" in out
    assert "policy: [PROBES] Deployment 'gateway': container 'gateway' has no readinessProbe." in out
    assert "policy: [IMAGE_PINNED] Deployment 'gateway'" in out
    assert "('livenessprobe' was unexpected) (Kubernetes 1.32)" in out
    assert "('livenessprobe' was unexpected) (Kubernetes 1.37)" in out


def test_a_render_error_is_a_finding(tmp_path: Path) -> None:
    broken = write_kustomization(tmp_path / "o", "resources: [nowhere.yaml]\n")
    (finding,) = check_overlay(broken)
    assert finding.startswith("render: 'nowhere.yaml'")


def test_render_prints_the_objects(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(OVERLAYS / "local")]) == 0
    objects = list(yaml.safe_load_all(capsys.readouterr().out))
    assert {o["kind"] for o in objects} >= {
        "Deployment",
        "Service",
        "NetworkPolicy",
        "Cluster",
        "RabbitmqCluster",
    }


def test_the_module_runs_as_a_program(tmp_path: Path) -> None:
    broken = write_kustomization(tmp_path / "o", "resources: [nowhere.yaml]\n")
    result = subprocess.run(
        [sys.executable, "-m", "deploy", "check", str(broken)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "1 finding(s)" in result.stdout
