"""The applications subgraph: ``Application @key(fields: "id")`` and ``Client.applications``."""

from __future__ import annotations

from subgraphs.applications.app import DEFAULT_PORT, create_app
from subgraphs.applications.schema import schema

__all__ = ["DEFAULT_PORT", "create_app", "schema"]
