"""``python -m deploy render OVERLAY`` | ``python -m deploy check [OVERLAY ...]``.

``render`` prints the overlay's objects as YAML (what ``kustomize build --load-restrictor
LoadRestrictionsNone`` prints, in resource order). ``check`` renders each overlay (all of
``deploy/k8s/overlays`` by default), validates every object against the Kubernetes schemas and
ours, runs the policy rules, prints each finding and exits 1 if there is any.
An overlay named ``production`` is checked with the production rules.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

from deploy.kustomize import KustomizeError, render
from deploy.policy import check_policy
from deploy.schemas import validate_objects

__all__ = ["OVERLAYS_DIR", "check_overlay", "main"]

OVERLAYS_DIR = Path(__file__).parent / "k8s" / "overlays"


def check_overlay(overlay: Path) -> list[str]:
    """Every finding for one overlay, as printable lines; empty when it is clean."""
    production = overlay.name == "production"
    try:
        objects = render(overlay, load_restrictor="none")
    except KustomizeError as exc:
        return [f"render: {exc}"]
    findings = [f"schema: {v}" for v in validate_objects(objects)]
    findings += [f"policy: {v}" for v in check_policy(objects, production=production)]
    return findings


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m deploy", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("render").add_argument("overlay", type=Path)
    commands.add_parser("check").add_argument("overlays", type=Path, nargs="*")
    args = parser.parse_args(argv)
    if args.command == "render":
        try:
            objects = render(args.overlay, load_restrictor="none")
        except KustomizeError as exc:
            print(f"python -m deploy render: {exc}", file=sys.stderr)
            return 1
        sys.stdout.write(yaml.safe_dump_all(objects, sort_keys=False))
        return 0
    overlays = args.overlays or sorted(p for p in OVERLAYS_DIR.iterdir() if p.is_dir())
    failed = False
    for overlay in overlays:
        findings = check_overlay(overlay)
        failed = failed or bool(findings)
        print(f"{overlay}: {'ok' if not findings else f'{len(findings)} finding(s)'}")
        for finding in findings:
            print(f"  {finding}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
