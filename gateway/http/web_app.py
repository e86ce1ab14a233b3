"""Serve the web app's build (``web/dist``) from the gateway: same origin as ``/graphql``.

Routes: ``/`` and ``/back-office/…`` answer ``index.html`` (the app routes on the client; the
page is never cached, so a new deploy is picked up on reload); ``/assets/…`` are the hashed
bundles, cached for a year as immutable and gzip-compressed for clients that accept it. Nothing else is shadowed: ``/graphql``, ``/health``,
``/metrics`` and ``/api/v1`` keep their handlers. Serving from the gateway keeps the app and its
API on one origin — no CORS, and the WebSocket goes to the same host.
"""

from __future__ import annotations

from pathlib import Path

from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

__all__ = ["APP_PATHS", "web_app_routes"]

APP_PATHS = ("/", "/back-office", "/back-office/{rest:path}")
"""Client-side routes of the app; each answers ``index.html``."""

_IMMUTABLE = "public, max-age=31536000, immutable"


class _ImmutableFiles(StaticFiles):
    """Content-hashed files: a name never changes content, so browsers keep them for a year."""

    async def get_response(self, path: str, scope: object) -> Response:
        response = await super().get_response(path, scope)  # type: ignore[arg-type]
        if response.status_code == 200:
            response.headers["cache-control"] = _IMMUTABLE
        return response


def web_app_routes(dist: Path) -> list[BaseRoute]:
    """Routes serving the app built into ``dist``; none when ``dist`` holds no build."""
    index = dist / "index.html"
    if not index.is_file():
        return []

    async def page(_request: Request) -> Response:
        return FileResponse(index, headers={"cache-control": "no-cache"}, media_type="text/html")

    routes: list[BaseRoute] = [Route(path, page, methods=["GET", "HEAD"]) for path in APP_PATHS]
    if (dist / "assets").is_dir():
        files = _ImmutableFiles(directory=dist / "assets")
        routes.append(Mount("/assets", GZipMiddleware(files, minimum_size=1024), name="web-assets"))
    return routes
