"""Four small Federation v2 subgraphs (accounts, inventory, products, reviews) for the gateway benchmark.

Shaped like The Guild's gateways benchmark: deterministic generated data, one nested operation
(``operation.OPERATION``) answered in about seven subgraph fetches with a ≈ 90 KB response.
"""

from __future__ import annotations

from bench.gateway_subgraphs.operation import OPERATION, OPERATION_NAME
from bench.gateway_subgraphs.schemas import (
    build_stitched_schema,
    build_subgraph_schema,
    build_subgraph_schemas,
)
from bench.gateway_subgraphs.sdl import STITCHED_SDL, SUBGRAPH_NAMES, SUBGRAPH_SDL

__all__ = [
    "OPERATION",
    "OPERATION_NAME",
    "STITCHED_SDL",
    "SUBGRAPH_NAMES",
    "SUBGRAPH_SDL",
    "build_stitched_schema",
    "build_subgraph_schema",
    "build_subgraph_schemas",
]
