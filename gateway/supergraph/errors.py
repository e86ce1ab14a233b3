"""Errors raised while loading a supergraph SDL.

A bad supergraph is an operator fault (``InternalError``): the gateway refuses to start, or
keeps serving its previous snapshot on reload. ``reason`` is a stable sub-code
(``SUPERGRAPH_PARSE_ERROR``, ``SUPERGRAPH_MISSING_JOIN_SPEC``, ``SUPERGRAPH_INVALID_GRAPH``,
``INVALID_API_SCHEMA``, ``INVALID_SUPERGRAPH``).
"""

from __future__ import annotations

from gateway.errors import InternalError

__all__ = ["SupergraphError"]


class SupergraphError(InternalError):
    """The supergraph SDL cannot be loaded (syntax, missing join spec, unknown graph, ...)."""

    def __init__(self, message: str, *, code: str = "INVALID_SUPERGRAPH") -> None:
        super().__init__(message, extensions={"reason": code})
        self.reason = code
