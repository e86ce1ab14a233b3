"""``insuretech web-build``: build only when the inputs changed; without npm, start without the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from insuretech_cli.web_build import build_inputs_digest, ensure_web_build


def _web(tmp_path: Path) -> Path:
    web = tmp_path / "web"
    for name in ("src/main.tsx", "src/gql/graphql.ts", "explorer/main.tsx", "node_modules/x/index.js"):
        (web / name).parent.mkdir(parents=True, exist_ok=True)
        (web / name).write_text(name)
    for name in ("package.json", "package-lock.json", "index.html", "vite.config.ts"):
        (web / name).write_text(name)
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "api.graphql").write_text("type Query { a: Int }")
    return web


def test_the_digest_follows_sources_and_the_api_schema_but_not_generated_files(tmp_path: Path) -> None:
    web = _web(tmp_path)
    first = build_inputs_digest(web)
    (web / "src" / "gql" / "graphql.ts").write_text("regenerated")
    (web / "node_modules" / "x" / "index.js").write_text("reinstalled")
    assert build_inputs_digest(web) == first
    (web / "src" / "main.tsx").write_text("changed")
    second = build_inputs_digest(web)
    assert second != first
    (tmp_path / "schema" / "api.graphql").write_text("type Query { b: Int }")
    assert build_inputs_digest(web) != second


def test_a_fresh_build_is_used_as_it_is(tmp_path: Path) -> None:
    web = _web(tmp_path)
    (web / "dist").mkdir()
    (web / "dist" / "index.html").write_text("<div id=root>")
    (web / "dist" / ".build-stamp").write_text(build_inputs_digest(web))

    def no_npm_needed(name: str) -> str | None:
        raise AssertionError("a fresh build must not look for npm")

    assert ensure_web_build(web, which=no_npm_needed) == web / "dist"


def test_without_npm_the_system_starts_without_the_app(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    web = _web(tmp_path)
    assert ensure_web_build(web, which=lambda name: None) is None
    assert "Node.js (npm) is not installed" in capsys.readouterr().out
    (web / "dist").mkdir()
    (web / "dist" / "index.html").write_text("<div id=root>")  # a stale build is still served
    assert ensure_web_build(web, which=lambda name: None) == web / "dist"


def test_a_failing_build_is_reported_not_served(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    web = _web(tmp_path)
    false = "/bin/false"
    assert ensure_web_build(web, which=lambda name: false) is None
    assert "`npm ci` failed" in capsys.readouterr().out
