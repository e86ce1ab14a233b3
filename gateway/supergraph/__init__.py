"""The supergraph model: ``load_supergraph(sdl) -> Supergraph`` and its ownership records."""

from __future__ import annotations

from gateway.supergraph.errors import SupergraphError
from gateway.supergraph.loader import Supergraph, load_supergraph
from gateway.supergraph.model import (
    EntityKey,
    FieldJoin,
    FieldOwnership,
    SubgraphInfo,
    TypeJoin,
    TypeOwnership,
)

__all__ = [
    "EntityKey",
    "FieldJoin",
    "FieldOwnership",
    "SubgraphInfo",
    "Supergraph",
    "SupergraphError",
    "TypeJoin",
    "TypeOwnership",
    "load_supergraph",
]
