"""The per-request context every resolver receives: the request, its id and fresh loaders.

The subgraph's context getter builds one ``RequestContext`` per HTTP request (and per
WebSocket connection), with a NEW loaders container each time, so batches and caches are
scoped to one request and never shared between users. A WebSocket connection keeps its
context for its whole life, so ``renew_loaders`` is called at the start of every operation
on it (``subgraphs.common.loaders.OperationLoaders``): no cache outlives an operation.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from grpc_clients.caller import FIRST_PARTY, Caller

__all__ = ["RequestContext", "new_request_id"]

L = TypeVar("L")


def new_request_id() -> str:
    """A random id that ties a masked error in a response to its log line."""
    return uuid.uuid4().hex


@dataclass(slots=True)
class RequestContext(Generic[L]):
    """What ``info.context`` holds in every resolver of a subgraph."""

    loaders: L
    """The per-request DataLoaders (and, through them, the backend client)."""
    request: Request | WebSocket | None = None
    response: Response | WebSocket | None = None
    request_id: str = field(default_factory=new_request_id)
    """Taken from the ``x-request-id`` header when present."""
    make_loaders: Callable[[], L] | None = None
    """Builds a fresh loaders container (used to renew them per operation on a WebSocket)."""
    caller: Caller = FIRST_PARTY
    """Who the request acts for (the gateway's ``x-partner-id``); the loaders' client carries it."""
    memo: dict[Hashable, Any] = field(default_factory=dict)
    """Values derived from the operation that resolvers compute once per request (e.g. the card
    sections an ``_entities`` selection needs, the same for every representation)."""

    def renew_loaders(self) -> None:
        """Replace the loaders with fresh ones, dropping every cached value."""
        if self.make_loaders is not None:
            self.loaders = self.make_loaders()
        self.memo = {}
