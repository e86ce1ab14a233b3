"""Shared helpers of the deploy tests: the real overlays, rendered once per session, and copies to break."""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

from deploy.kustomize import Manifest, render

REPO = Path(__file__).resolve().parents[2]
OVERLAYS = REPO / "deploy" / "k8s" / "overlays"
BASE = REPO / "deploy" / "k8s" / "base"


@functools.cache
def _rendered(overlay: str) -> tuple[Manifest, ...]:
    return tuple(render(OVERLAYS / overlay, load_restrictor="none"))


def rendered(overlay: str) -> list[Manifest]:
    """A fresh deep copy of an overlay's objects (tests may mutate it)."""
    return copy.deepcopy(list(_rendered(overlay)))


def find(objects: list[Manifest], kind: str, name: str) -> dict[str, Any]:
    """The object of that kind and name (a prefix for hashed generator names)."""
    for obj in objects:
        if obj["kind"] == kind and (
            obj["metadata"]["name"] == name or obj["metadata"]["name"].startswith(name + "-")
        ):
            return obj
    raise KeyError((kind, name))


def write_kustomization(directory: Path, text: str, **files: str) -> Path:
    """Write ``kustomization.yaml`` (and other files) into ``directory``; returns it."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "kustomization.yaml").write_text(text)
    for name, content in files.items():
        (directory / name.replace("__", ".")).write_text(content)
    return directory
