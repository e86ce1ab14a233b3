"""The core_app subgraph: products, insurers, tariffs, policies and OSAGO quotes."""

from __future__ import annotations

from subgraphs.core_app.app import DEFAULT_PORT, create_app
from subgraphs.core_app.schema import schema

__all__ = ["DEFAULT_PORT", "create_app", "schema"]
