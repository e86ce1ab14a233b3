"""The GraphiQL explorer page, served offline from the web build (``web/dist/explorer.html``).

The page is one self-contained HTML file (GraphiQL, its editor and React inlined by
``web/vite.explorer.config.ts``), so browsers load nothing from a CDN. Without a web build the
gateway serves a short page saying how to build it instead.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DEFAULT_WEB_DIST", "EXPLORER_FILE", "explorer_html", "web_dist"]

DEFAULT_WEB_DIST = Path(__file__).resolve().parents[2] / "web" / "dist"
"""Where ``npm run build`` in ``web/`` writes, in a source checkout."""
EXPLORER_FILE = "explorer.html"

_NOT_BUILT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>GraphiQL is not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>The GraphiQL explorer is not built</h1>
<p>This server has no web build at <code>{path}</code>. <code>./dev up</code> builds it (Node.js 20.19+
is needed), or run <code>npm ci &amp;&amp; npm run build</code> in <code>web/</code>.</p>
<p>GraphQL itself works: <code>POST /graphql</code> with a JSON body.</p>
</body></html>
"""


def web_dist(configured: str | None = None) -> Path:
    """The web build folder: ``configured``, else ``INSURETECH_WEB_DIST``, else the checkout's ``web/dist``."""
    chosen = configured or os.environ.get("INSURETECH_WEB_DIST")
    return Path(chosen) if chosen else DEFAULT_WEB_DIST


def explorer_html(dist: Path) -> str:
    """The explorer page from ``dist``, or a page explaining how to build it."""
    try:
        return (dist / EXPLORER_FILE).read_text(encoding="utf-8")
    except OSError:
        return _NOT_BUILT.format(path=dist / EXPLORER_FILE)
