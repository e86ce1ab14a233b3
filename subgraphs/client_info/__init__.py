"""The client_info subgraph: the client card (``Client @key(fields: "id")``)."""

from __future__ import annotations

from subgraphs.client_info.app import DEFAULT_PORT, create_app
from subgraphs.client_info.schema import schema

__all__ = ["DEFAULT_PORT", "create_app", "schema"]
