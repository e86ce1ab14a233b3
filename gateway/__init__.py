"""InsureTech Supergraph's Apollo Federation v2 gateway.

The public names are imported lazily (PEP 562), so importing one stage (``gateway.planner``,
``gateway.supergraph``) does not pull in the HTTP stack.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gateway.config import Settings
    from gateway.execution import execute_plan
    from gateway.http.app import create_app
    from gateway.pipeline import Gateway
    from gateway.planner import QueryPlanner
    from gateway.planner.plan import QueryPlan
    from gateway.supergraph import Supergraph, load_supergraph

__all__ = [
    "Gateway",
    "QueryPlan",
    "QueryPlanner",
    "Settings",
    "Supergraph",
    "create_app",
    "execute_plan",
    "load_supergraph",
]

_EXPORTS = {
    "Gateway": "gateway.pipeline",
    "QueryPlan": "gateway.planner.plan",
    "QueryPlanner": "gateway.planner",
    "Settings": "gateway.config",
    "Supergraph": "gateway.supergraph",
    "create_app": "gateway.http.app",
    "execute_plan": "gateway.execution",
    "load_supergraph": "gateway.supergraph",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'gateway' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
