"""The shared core of the typed backend clients: one stub per channel and one error boundary.

Each backend client (``ClientInfoClient``, ``ApplicationsClient``, ``CoreAppClient``) wraps the
generated async stub of its service. Every call goes through ``BackendClient._unary``, the one
place where ``grpc.RpcError`` is translated into the project's ``BackendError`` hierarchy.
"""

from __future__ import annotations

import copy
from typing import Any, ClassVar, Self, TypeVar

import grpc
from google.protobuf.message import Message

from grpc_clients.caller import FIRST_PARTY, Caller
from grpc_clients.channels import BackendSpec
from grpc_clients.errors import InternalError, from_rpc_error

__all__ = ["BackendClient"]

_R = TypeVar("_R", bound=Message)


class BackendClient:
    """Base of the typed clients; subclasses set ``spec`` and ``stub_type``."""

    spec: ClassVar[BackendSpec]
    stub_type: ClassVar[Any]

    def __init__(self, channel: grpc.aio.Channel) -> None:
        self._channel = channel
        self._stub = self.stub_type(channel)
        self._caller = FIRST_PARTY
        self._metadata: tuple[tuple[str, str], ...] | None = None

    @property
    def channel(self) -> grpc.aio.Channel:
        """The shared channel the client calls through."""
        return self._channel

    @property
    def caller(self) -> Caller:
        """Who this client's calls are made for."""
        return self._caller

    def for_caller(self, caller: Caller) -> Self:
        """A client on the same channel and stub whose every call carries ``caller``'s metadata."""
        if caller == self._caller:
            return self
        bound = copy.copy(self)
        bound._caller = caller
        bound._metadata = caller.metadata() or None
        return bound

    async def _unary(
        self, method: str, request: Message, response_type: type[_R], *, deadline: float | None = None
    ) -> _R:
        """Call ``method``; ``deadline=None`` means the channel's default deadline."""
        try:
            response = await getattr(self._stub, method)(request, timeout=deadline, metadata=self._metadata)
        except grpc.RpcError as exc:
            raise from_rpc_error(exc, service=self.spec.service_name, method=method) from exc
        if not isinstance(response, response_type):  # pragma: no cover - generated stubs guarantee it
            raise InternalError(f"{self.spec.service_name}/{method} returned {type(response).__name__}.")
        return response
