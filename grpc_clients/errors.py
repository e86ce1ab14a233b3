"""The project's backend errors and the one table that maps gRPC status codes onto them.

Every ``grpc.RpcError`` a backend call raises is translated here, once, at the boundary
(api-core's ``from_grpc_error``), and chained with ``raise ... from exc``. Resolvers and the
GraphQL error formatter only ever see ``BackendError`` subclasses, each with a stable
UPPER_SNAKE ``code`` that becomes ``extensions.code`` in a GraphQL response.

``InvalidArgumentError`` carries the field violations of a ``google.rpc.BadRequest`` detail,
parsed from the call's trailing metadata with ``grpc_status.rpc_status.from_call``.

See https://grpc.io/docs/guides/status-codes/ and https://google.aip.dev/193
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status

__all__ = [
    "ERROR_CODES",
    "AlreadyExistsError",
    "BackendError",
    "DeadlineExceededError",
    "FailedPreconditionError",
    "FieldViolation",
    "InternalError",
    "InvalidArgumentError",
    "NotFoundError",
    "UnavailableError",
    "code_for_status",
    "from_rpc_error",
    "is_transient",
]

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FieldViolation:
    """One invalid request field, as ``google.rpc.BadRequest.FieldViolation`` names it."""

    field: str
    """The path of the offending field (``input.client_id``, ``id``)."""
    description: str
    """What is wrong with it, as a sentence."""


class BackendError(Exception):
    """Root of the errors a backend call may raise; ``code`` is the stable machine code."""

    code: ClassVar[str] = "INTERNAL_SERVER_ERROR"
    safe: ClassVar[bool] = True
    """Whether ``message`` may be shown to API clients as-is."""

    def __init__(self, message: str, *, service: str = "", method: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.service = service
        self.method = method


class NotFoundError(BackendError):
    """The requested entity does not exist (gRPC NOT_FOUND)."""

    code = "NOT_FOUND"


class InvalidArgumentError(BackendError):
    """The request is malformed (gRPC INVALID_ARGUMENT); ``violations`` names each bad field."""

    code = "BAD_USER_INPUT"

    def __init__(
        self,
        message: str,
        violations: Sequence[FieldViolation] = (),
        *,
        service: str = "",
        method: str = "",
    ) -> None:
        super().__init__(message, service=service, method=method)
        self.violations = tuple(violations)

    @classmethod
    def for_field(cls, field: str, description: str) -> InvalidArgumentError:
        """An error about one field, with a message that names it."""
        return cls(f"Invalid value for {field!r}: {description}", [FieldViolation(field, description)])


class FailedPreconditionError(BackendError):
    """The entity is not in a state that allows the operation (gRPC FAILED_PRECONDITION)."""

    code = "FAILED_PRECONDITION"


class AlreadyExistsError(BackendError):
    """An entity with the same unique attributes already exists (gRPC ALREADY_EXISTS)."""

    code = "ALREADY_EXISTS"


class UnavailableError(BackendError):
    """The backend could not be reached or is overloaded; retrying later may succeed."""

    code = "SERVICE_UNAVAILABLE"


class DeadlineExceededError(BackendError):
    """The backend did not answer within the call's deadline; retrying later may succeed."""

    code = "SERVICE_UNAVAILABLE"


class InternalError(BackendError):
    """The backend failed in a way the caller cannot fix; the detail is logged, never shown."""

    code = "INTERNAL_SERVER_ERROR"
    safe = False


ERROR_CODES: dict[str, str] = {
    "NOT_FOUND": "The entity named in the request does not exist.",
    "BAD_USER_INPUT": "An argument is malformed; `fieldErrors` names each offending field.",
    "FAILED_PRECONDITION": "The entity is not in a state that allows the operation.",
    "ALREADY_EXISTS": "An entity with the same unique attributes already exists.",
    "SERVICE_UNAVAILABLE": "A backend service is unreachable or too slow; retry with backoff.",
    "INTERNAL_SERVER_ERROR": "An unexpected failure; quote the request id when reporting it.",
}
"""The registry of codes a subgraph puts in ``extensions.code``, with a one-line description."""

_STATUS_TABLE: dict[grpc.StatusCode, type[BackendError]] = {
    grpc.StatusCode.NOT_FOUND: NotFoundError,
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgumentError,
    grpc.StatusCode.OUT_OF_RANGE: InvalidArgumentError,
    grpc.StatusCode.FAILED_PRECONDITION: FailedPreconditionError,
    grpc.StatusCode.ALREADY_EXISTS: AlreadyExistsError,
    grpc.StatusCode.ABORTED: UnavailableError,
    grpc.StatusCode.UNAVAILABLE: UnavailableError,
    grpc.StatusCode.RESOURCE_EXHAUSTED: UnavailableError,
    grpc.StatusCode.CANCELLED: UnavailableError,
    grpc.StatusCode.DEADLINE_EXCEEDED: DeadlineExceededError,
}
"""gRPC status → project error; every code not listed (UNKNOWN, INTERNAL, UNIMPLEMENTED, …) is internal."""

_SAFE_DETAIL = {
    UnavailableError: "The {service} service is unavailable; retry the request later.",
    DeadlineExceededError: "The {service} service did not answer in time; retry the request later.",
}


def _field_violations(exc: grpc.RpcError) -> tuple[FieldViolation, ...]:
    try:
        status = rpc_status.from_call(exc)
    except (ValueError, AttributeError):
        return ()
    if status is None:
        return ()
    violations: list[FieldViolation] = []
    for detail in status.details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad_request = error_details_pb2.BadRequest()
            detail.Unpack(bad_request)
            violations.extend(FieldViolation(v.field, v.description) for v in bad_request.field_violations)
    return tuple(violations)


def _short_service(service: str) -> str:
    # "insuretech.client_info.v1.ClientInfoService" -> "client_info"
    parts = service.split(".")
    return parts[1] if len(parts) >= 3 else (service or "backend")


def from_rpc_error(exc: grpc.RpcError, *, service: str = "", method: str = "") -> BackendError:
    """Translate a failed gRPC call into the project's error for its status code.

    Args:
        exc: the error raised by a ``grpc.aio`` call (an ``AioRpcError``).
        service: the full proto service name, for messages and logs.
        method: the RPC method name.

    Returns:
        The matching ``BackendError``; the caller raises it ``from exc``.
    """
    status = exc.code() if callable(getattr(exc, "code", None)) else grpc.StatusCode.UNKNOWN
    details = exc.details() if callable(getattr(exc, "details", None)) else ""
    error_type = _STATUS_TABLE.get(status, InternalError)
    if error_type is InvalidArgumentError:
        return InvalidArgumentError(
            details or "The request is invalid.", _field_violations(exc), service=service, method=method
        )
    if error_type in _SAFE_DETAIL:
        message = _SAFE_DETAIL[error_type].format(service=_short_service(service))
    elif error_type is InternalError:
        _log.error("backend %s/%s failed with %s: %s", service, method, status, details)
        message = f"The {_short_service(service)} service failed with {status.name}."
    else:
        message = details or f"The {_short_service(service)} service answered {status.name}."
    return error_type(message, service=service, method=method)


def code_for_status(status_name: str) -> str:
    """The project code for a gRPC status name (``"INVALID_ARGUMENT"`` → ``"BAD_USER_INPUT"``).

    Used for per-item errors of batch RPCs, which carry the status name as a string.
    """
    status = grpc.StatusCode.__members__.get(status_name, grpc.StatusCode.UNKNOWN)
    return _STATUS_TABLE.get(status, InternalError).code


def _if_exception_type(*types: type[BaseException]) -> Callable[[BaseException], bool]:
    def predicate(exc: BaseException) -> bool:
        return isinstance(exc, types)

    return predicate


is_transient: Callable[[BaseException], bool] = _if_exception_type(UnavailableError, DeadlineExceededError)
"""Whether an error is worth retrying later (the backend was unreachable or slow)."""
