"""Which role a container runs, and the HTTP routes that role really serves.

The routes are read from the applications themselves (the gateway's and a subgraph's Starlette
routes), so a probe pointing at a path the code does not serve fails the policy check instead
of failing in the cluster.
"""

from __future__ import annotations

import functools
from typing import Any, Literal

__all__ = ["Role", "role_of", "role_routes"]

Role = Literal["gateway", "subgraph"]


def role_of(container: dict[str, Any]) -> Role | None:
    """``"gateway"`` or ``"subgraph"`` for our image's HTTP roles (from the command line), else ``None``."""
    argv = [str(a) for a in [*container.get("command", []), *container.get("args", [])]]
    if "-m" not in argv:
        return None
    module = argv[argv.index("-m") + 1] if argv.index("-m") + 1 < len(argv) else ""
    if module == "gateway":
        return "gateway"
    if module.startswith("subgraphs."):
        return "subgraph"
    return None


@functools.cache
def role_routes() -> dict[Role, frozenset[str]]:
    """The GET routes of each role, from the real applications (built, not started)."""
    from gateway.config import Settings
    from gateway.http.app import create_app
    from subgraphs.client_info.app import create_app as create_subgraph_app

    def paths(app: Any) -> frozenset[str]:
        return frozenset(
            route.path for route in app.routes if "GET" in (getattr(route, "methods", None) or ())
        )

    return {"gateway": paths(create_app(Settings())), "subgraph": paths(create_subgraph_app())}
