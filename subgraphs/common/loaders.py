"""Fresh DataLoaders for every operation on a WebSocket connection.

Strawberry builds the context of a graphql-transport-ws connection once, when the connection
opens, and reuses it for every subscription on it. Loader caches must not live that long
(they would serve stale data and grow without bound), so this extension renews the loaders
at the start of each operation received over a WebSocket. HTTP requests already get a new
context, and so new loaders, per request.
"""

from __future__ import annotations

from collections.abc import Iterator

from starlette.websockets import WebSocket
from strawberry.extensions import SchemaExtension

from resolvers.context import RequestContext

__all__ = ["OperationLoaders"]


class OperationLoaders(SchemaExtension):
    """Renew ``RequestContext.loaders`` per operation on WebSocket connections."""

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context.context
        if isinstance(context, RequestContext) and isinstance(context.request, WebSocket):
            # PORT_NOTE: operations multiplexed on one connection share the context object, so a
            # concurrent operation may pick up the newer container; results stay correct, and
            # each container is still dropped once its operations finish.
            context.renew_loaders()
        yield
