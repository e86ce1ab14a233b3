"""The gateway serves the web app's build and the offline GraphiQL page; APQ-only requests get NOT_FOUND."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.http.explorer import explorer_html, web_dist
from gateway.http.web_app import web_app_routes
from tests.gateway.http.http_world import make_app, serve


def _dist(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>app</title><div id=root></div>")
    (dist / "assets" / "index-abc123.js").write_text("console.log('app');\n" * 200)
    (dist / "explorer.html").write_text("<!doctype html><title>GraphiQL offline</title>")
    (tmp_path / "secret.txt").write_text("not for browsers")
    return dist


async def test_the_app_is_served_at_its_routes_and_assets_are_immutable(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, web_dist=str(_dist(tmp_path)))
    async with serve(app) as client:
        for path in ("/", "/back-office", "/back-office/applications/42", "/back-office/clients/x?tab=1"):
            page = await client.get(path)
            assert page.status_code == 200, path
            assert "<div id=root>" in page.text
            assert page.headers["cache-control"] == "no-cache"
        asset = await client.get("/assets/index-abc123.js", headers={"accept-encoding": "gzip"})
        assert asset.status_code == 200
        assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert asset.headers["content-encoding"] == "gzip"
        assert asset.text.startswith("console.log('app');")
        missing = await client.get("/assets/index-nope.js")
        assert missing.status_code == 404
        assert "immutable" not in missing.headers.get("cache-control", "")
        assert (await client.get("/elsewhere")).status_code == 404
        for hostile in ("/assets/../secret.txt", "/assets/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt"):
            response = await client.get(hostile)
            assert "not for browsers" not in response.text, hostile
        # The API keeps its routes.
        graphql = await client.post("/graphql", json={"query": "{ me { id } }"})
        assert graphql.json()["data"] == {"me": {"id": "1"}}
        assert (await client.get("/health")).status_code == 200


async def test_browsers_get_the_offline_explorer_from_the_build(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, web_dist=str(_dist(tmp_path)))
    async with serve(app) as client:
        page = await client.get("/graphql", headers={"accept": "text/html"})
    assert page.text == "<!doctype html><title>GraphiQL offline</title>"


def test_without_a_build_nothing_is_routed_and_the_explorer_says_how_to_build(tmp_path: Path) -> None:
    assert web_app_routes(tmp_path / "nothing") == []
    page = explorer_html(tmp_path / "nothing")
    assert "The GraphiQL explorer is not built" in page
    assert "npm ci" in page
    assert "http" not in page.replace("https", "http").split("<body", 1)[1]  # nothing fetched from outside


def test_the_web_build_folder_is_configurable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert web_dist(str(tmp_path)) == tmp_path
    monkeypatch.setenv("INSURETECH_WEB_DIST", str(tmp_path / "env"))
    assert web_dist(None) == tmp_path / "env"
    monkeypatch.delenv("INSURETECH_WEB_DIST")
    assert web_dist(None).parts[-2:] == ("web", "dist")


async def test_a_hash_without_a_query_gets_the_apq_answer(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    persisted = {"persistedQuery": {"version": 1, "sha256Hash": "a" * 64}}
    async with serve(app) as client:
        post = await client.post("/graphql", json={"extensions": persisted})
        get = await client.get("/graphql", params={"extensions": '{"persistedQuery":{"version":1}}'})
        empty = await client.post("/graphql", json={"query": "", "extensions": persisted})
        plain = await client.post("/graphql", json={"variables": {}})
    assert post.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert "send the request again with the full 'query'" in post.json()["errors"][0]["message"]
    assert get.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    # A query that is present but empty, or no hash at all, is a malformed request.
    assert empty.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert plain.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
