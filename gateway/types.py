"""Type aliases and identifiers shared by every stage of the gateway."""

from __future__ import annotations

from typing import Any, NewType, TypeAlias

__all__ = ["JSON", "FieldName", "JSONObject", "PartnerId", "ResponsePath", "SubgraphName", "TypeName"]

SubgraphName = NewType("SubgraphName", str)
"""A subgraph's name as the supergraph's ``join__Graph`` enum declares it (``name:`` argument)."""

TypeName = NewType("TypeName", str)
FieldName = NewType("FieldName", str)
PartnerId = NewType("PartnerId", str)

JSON: TypeAlias = Any
"""Any value ``json.loads`` can return."""

JSONObject: TypeAlias = dict[str, Any]

ResponsePath: TypeAlias = tuple[str | int, ...]
"""A path into a GraphQL response: response keys and list indexes."""
