"""Each subgraph's GraphiQL page, served offline from the web build instead of Strawberry's CDN page.

The page is the same self-contained ``web/dist/explorer.html`` the gateway serves (it talks to
the ``/graphql`` of whatever server sent it). Without a web build, a short page says how to build
it. The folder is ``INSURETECH_WEB_DIST`` (set by ``insuretech up``) or the checkout's ``web/dist``.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

__all__ = ["subgraph_explorer_html"]

_CHECKOUT_DIST = Path(__file__).resolve().parents[2] / "web" / "dist"

_NOT_BUILT = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>GraphiQL is not built</title></head>"
    "<body><h1>The GraphiQL explorer is not built</h1><p>No <code>{path}</code>: <code>./dev up</code> builds "
    "it, or run <code>npm ci &amp;&amp; npm run build</code> in <code>web/</code>.</p></body></html>"
)


@cache
def subgraph_explorer_html() -> str:
    """The explorer page (read once per process), or a page explaining how to build it."""
    path = Path(os.environ.get("INSURETECH_WEB_DIST") or _CHECKOUT_DIST) / "explorer.html"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return _NOT_BUILT.format(path=path)
