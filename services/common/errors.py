"""Domain errors of the backend services and their translation into gRPC statuses.

Domain functions and repositories raise these; the servicer boundary (``ErrorInterceptor``)
turns each into a gRPC status once, with ``google.rpc.BadRequest`` field violations for
``InvalidArgument``. Anything else becomes INTERNAL with a generic message (detail is logged).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import grpc
from google.protobuf.message import Message
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from services.common.storable_text import UNSTORABLE, unstorable_text

__all__ = [
    "AlreadyExists",
    "DomainError",
    "ErrorInterceptor",
    "FailedPrecondition",
    "FieldViolation",
    "InvalidArgument",
    "NotFound",
    "Unavailable",
    "to_status",
]

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FieldViolation:
    """One invalid request field: its path (``input.client_id``) and what is wrong with it."""

    field: str
    description: str


class DomainError(Exception):
    """Base of every error a domain function may raise on purpose."""

    code: ClassVar[int] = code_pb2.UNKNOWN
    grpc_code: ClassVar[grpc.StatusCode] = grpc.StatusCode.UNKNOWN

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The requested entity does not exist."""

    code = code_pb2.NOT_FOUND
    grpc_code = grpc.StatusCode.NOT_FOUND


class InvalidArgument(DomainError):
    """The request is malformed; ``violations`` names each bad field."""

    code = code_pb2.INVALID_ARGUMENT
    grpc_code = grpc.StatusCode.INVALID_ARGUMENT

    def __init__(self, message: str, violations: Sequence[FieldViolation] = ()) -> None:
        super().__init__(message)
        self.violations = tuple(violations)

    @classmethod
    def for_fields(cls, violations: Sequence[FieldViolation]) -> InvalidArgument:
        """One error listing every violation, with a message naming the fields."""
        names = ", ".join(repr(v.field) for v in violations)
        detail = " ".join(v.description for v in violations)
        return cls(f"Invalid value for {names}: {detail}", violations)


class FailedPrecondition(DomainError):
    """The entity is not in a state that allows the operation (e.g. an illegal transition)."""

    code = code_pb2.FAILED_PRECONDITION
    grpc_code = grpc.StatusCode.FAILED_PRECONDITION


class AlreadyExists(DomainError):
    """An entity with the same unique attributes already exists."""

    code = code_pb2.ALREADY_EXISTS
    grpc_code = grpc.StatusCode.ALREADY_EXISTS


class Unavailable(DomainError):
    """A service this one depends on could not be reached; retrying later may succeed."""

    code = code_pb2.UNAVAILABLE
    grpc_code = grpc.StatusCode.UNAVAILABLE


def to_status(error: DomainError) -> grpc.Status:
    """Build the rich gRPC status for ``error``."""
    status = status_pb2.Status(code=error.code, message=error.message)
    if isinstance(error, InvalidArgument) and error.violations:
        bad_request = error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(field=v.field, description=v.description)
                for v in error.violations
            ]
        )
        status.details.add().Pack(bad_request)
    return rpc_status.to_status(status)


_INTERNAL = status_pb2.Status(code=code_pb2.INTERNAL, message="Internal error in the service; see its log.")


async def _abort(context: grpc.aio.ServicerContext[Any, Any], exc: BaseException, method: str) -> None:
    if isinstance(exc, DomainError):
        await context.abort_with_status(to_status(exc))
    _log.exception("unhandled error in %s", method, exc_info=exc)
    await context.abort_with_status(rpc_status.to_status(_INTERNAL))


def _refuse_unstorable_text(request: Any) -> None:
    if isinstance(request, Message) and (paths := unstorable_text(request)):
        raise InvalidArgument.for_fields([FieldViolation(path, UNSTORABLE) for path in paths])


class ErrorInterceptor(grpc.aio.ServerInterceptor):  # type: ignore[misc]
    """Translate ``DomainError`` (and unexpected exceptions) into gRPC statuses, once, for every method.

    Before a method runs, its request is checked for text no database can store (NUL characters,
    ``services.common.storable_text``): such a request is INVALID_ARGUMENT and reaches no use case.
    Methods in ``own_text_checks`` (full names) refuse such text themselves — a batch item by item.
    """

    def __init__(self, own_text_checks: frozenset[str] = frozenset()) -> None:
        self.own_text_checks = own_text_checks

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(handler_call_details)
        if handler is None:
            return None
        method = handler_call_details.method
        check_text = method not in self.own_text_checks
        if handler.unary_unary is not None:
            inner = handler.unary_unary

            async def unary_unary(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
                try:
                    if check_text:
                        _refuse_unstorable_text(request)
                    return await inner(request, context)
                except (grpc.aio.AbortError, grpc.RpcError):
                    raise
                except Exception as exc:
                    await _abort(context, exc, method)

            return grpc.unary_unary_rpc_method_handler(
                unary_unary,
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        if handler.unary_stream is not None:
            inner_stream = handler.unary_stream

            async def unary_stream(
                request: Any, context: grpc.aio.ServicerContext[Any, Any]
            ) -> AsyncIterator[Any]:
                try:
                    if check_text:
                        _refuse_unstorable_text(request)
                    async for item in inner_stream(request, context):
                        yield item
                except (grpc.aio.AbortError, grpc.RpcError):
                    raise
                except Exception as exc:
                    await _abort(context, exc, method)

            return grpc.unary_stream_rpc_method_handler(
                unary_stream,
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        return handler
