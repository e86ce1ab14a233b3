"""The gateway's error hierarchy and its registry of stable error codes.

Every error the gateway reports carries a machine code (``extensions.code``), a sentence-style
message and a fault class. ``GatewayError`` has two branches: ``ClientError`` (the message is safe
to return as-is) and ``InternalError`` (logged in full; the client sees ``"Internal server
error."`` and a request id). Foreign exceptions are translated once, at the boundary that meets
them, and chained with ``raise ... from exc``.

The codes live in one registry, ``ErrorCode``, with the HTTP status each one maps to and a
one-line description, so the error documentation can be generated from it.

See https://spec.graphql.org/October2021/#sec-Errors
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from gateway.types import JSONObject

if TYPE_CHECKING:
    from graphql import GraphQLError

__all__ = [
    "INTERNAL_ERROR_MESSAGE",
    "BadRequest",
    "BadUserInput",
    "ClientError",
    "DepthLimitExceeded",
    "DownstreamServiceError",
    "ErrorCode",
    "GatewayError",
    "GraphQLParseFailed",
    "GraphQLValidationFailed",
    "InternalError",
    "MethodNotAllowed",
    "NotAcceptable",
    "OperationNotFound",
    "PayloadTooLarge",
    "PersistedQueryHashMismatch",
    "PersistedQueryNotAllowed",
    "PersistedQueryNotFound",
    "QueryPlanningFailed",
    "QueryTooComplex",
    "RateLimited",
    "ServiceNotReady",
    "SubgraphUnavailable",
    "Unauthenticated",
    "UnsupportedMediaType",
    "UpstreamError",
    "describe_error_codes",
    "graphql_error_to_json",
    "to_graphql_errors",
]

logger = logging.getLogger("gateway.errors")

INTERNAL_ERROR_MESSAGE = "Internal server error."


class ErrorCode(enum.Enum):
    """The registry: every ``extensions.code`` the gateway emits, its HTTP status and meaning."""

    GRAPHQL_PARSE_FAILED = (400, "The query document is not valid GraphQL syntax.")
    GRAPHQL_VALIDATION_FAILED = (400, "The query does not validate against the API schema.")
    BAD_USER_INPUT = (400, "A variable value does not match its declared type.")
    BAD_REQUEST = (400, "The HTTP request is malformed (body, parameters or JSON).")
    OPERATION_NOT_FOUND = (400, "'operationName' names no operation in the document, or is missing.")
    PERSISTED_QUERY_NOT_FOUND = (400, "The persisted query hash is unknown; send the full query.")
    PERSISTED_QUERY_NOT_ALLOWED = (403, "The operation is not in the partner's manifests (the safelist).")
    PERSISTED_QUERY_HASH_MISMATCH = (400, "The APQ sha256Hash is not the SHA-256 of the query sent with it.")
    UNAUTHENTICATED = (401, "X-API-Key is missing or names no partner.")
    DEPTH_LIMIT_EXCEEDED = (400, "The operation nests selection sets deeper than the configured limit.")
    QUERY_TOO_COMPLEX = (400, "The operation exceeds the configured complexity limit.")
    METHOD_NOT_ALLOWED = (405, "The HTTP method cannot run this operation (mutations need POST).")
    NOT_ACCEPTABLE = (406, "None of the media types in 'Accept' can be produced.")
    PAYLOAD_TOO_LARGE = (413, "The request body exceeds the configured maximum size.")
    UNSUPPORTED_MEDIA_TYPE = (415, "The request's Content-Type is not application/json.")
    RATE_LIMITED = (429, "The partner exceeded its request rate; retry after 'Retry-After' seconds.")
    SUBGRAPH_UNAVAILABLE = (502, "A subgraph could not be reached, timed out or answered with an HTTP error.")
    DOWNSTREAM_SERVICE_ERROR = (
        502,
        "A subgraph answered with an error, an unreadable response, or data its schema forbids "
        "(a null in a non-null field, an unknown enum value).",
    )
    INTERNAL_SERVER_ERROR = (500, "An unexpected gateway failure; details are logged with the request id.")
    QUERY_PLANNING_FAILED = (500, "The gateway could not build a query plan for a valid operation.")
    SERVICE_NOT_READY = (503, "The gateway has not loaded its supergraph yet.")

    @property
    def status(self) -> int:
        """The HTTP status a response carrying only this error gets."""
        return int(self.value[0])

    @property
    def description(self) -> str:
        """One line explaining the code, for generated documentation."""
        return str(self.value[1])


def describe_error_codes() -> list[tuple[str, int, str]]:
    """Return ``(code, http_status, description)`` rows for documentation, in registry order."""
    return [(code.name, code.status, code.description) for code in ErrorCode]


class GatewayError(Exception):
    """Root of every error the gateway raises on purpose.

    Args:
        message: A full sentence: what happened, why, and what to do.
        extensions: Extra entries for the GraphQL error's ``extensions`` (besides ``code``).
        path: The response path the error belongs to, when it belongs to a field.
    """

    code: ClassVar[ErrorCode] = ErrorCode.INTERNAL_SERVER_ERROR
    expose: ClassVar[bool] = False

    def __init__(
        self,
        message: str,
        *,
        extensions: JSONObject | None = None,
        path: Sequence[str | int] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.extensions = extensions or {}
        self.path = list(path) if path is not None else None

    @property
    def status(self) -> int:
        """The HTTP status of this error's code."""
        return self.code.status

    def to_json(self, request_id: str | None = None) -> list[JSONObject]:
        """Render as GraphQL error objects, masking the message of internal errors."""
        if not self.expose:
            return [_masked(request_id)]
        error: JSONObject = {"message": self.message}
        if self.path is not None:
            error["path"] = self.path
        error["extensions"] = {"code": self.code.name, **self.extensions}
        return [error]


class ClientError(GatewayError):
    """An error whose message is safe to show to the client (bad input, limits, upstream status)."""

    code = ErrorCode.BAD_REQUEST
    expose = True


class InternalError(GatewayError):
    """A gateway fault: logged in full; the client sees only a generic message and the request id."""

    code = ErrorCode.INTERNAL_SERVER_ERROR


class BadRequest(ClientError):
    """The HTTP request itself is malformed."""

    code = ErrorCode.BAD_REQUEST


class _GraphQLErrorsMixin(ClientError):
    """A client error that carries one or more graphql-core errors (with locations)."""

    def __init__(self, message: str, errors: Iterable[GraphQLError] = ()) -> None:
        super().__init__(message)
        self.graphql_errors = list(errors)

    def to_json(self, request_id: str | None = None) -> list[JSONObject]:
        if not self.graphql_errors:
            return super().to_json(request_id)
        return [graphql_error_to_json(err, self.code) for err in self.graphql_errors]


class GraphQLParseFailed(_GraphQLErrorsMixin):
    """The document does not parse."""

    code = ErrorCode.GRAPHQL_PARSE_FAILED


class GraphQLValidationFailed(_GraphQLErrorsMixin):
    """The document does not validate against the API schema."""

    code = ErrorCode.GRAPHQL_VALIDATION_FAILED


class BadUserInput(_GraphQLErrorsMixin):
    """Variable values do not coerce to their declared types."""

    code = ErrorCode.BAD_USER_INPUT


class OperationNotFound(ClientError):
    """``operationName`` is unknown, or missing for a document with several operations."""

    code = ErrorCode.OPERATION_NOT_FOUND


class PersistedQueryNotFound(ClientError):
    """An automatic-persisted-query hash is not in the store."""

    code = ErrorCode.PERSISTED_QUERY_NOT_FOUND


class PersistedQueryNotAllowed(ClientError):
    """The operation is not in the partner's manifests (free-form documents included)."""

    code = ErrorCode.PERSISTED_QUERY_NOT_ALLOWED


class PersistedQueryHashMismatch(ClientError):
    """An APQ request's ``sha256Hash`` is not the SHA-256 of the query it carries."""

    code = ErrorCode.PERSISTED_QUERY_HASH_MISMATCH


class Unauthenticated(ClientError):
    """``X-API-Key`` is missing or names no partner."""

    code = ErrorCode.UNAUTHENTICATED


class DepthLimitExceeded(ClientError):
    """The operation nests deeper than ``Settings.max_depth``."""

    code = ErrorCode.DEPTH_LIMIT_EXCEEDED


class QueryTooComplex(ClientError):
    """The operation is too expensive to run."""

    code = ErrorCode.QUERY_TOO_COMPLEX


class MethodNotAllowed(ClientError):
    """The HTTP method cannot carry this operation (a mutation over GET)."""

    code = ErrorCode.METHOD_NOT_ALLOWED


class NotAcceptable(ClientError):
    """The client accepts no media type the gateway can produce."""

    code = ErrorCode.NOT_ACCEPTABLE


class UnsupportedMediaType(ClientError):
    """A POST body that is not JSON."""

    code = ErrorCode.UNSUPPORTED_MEDIA_TYPE


class PayloadTooLarge(ClientError):
    """The body exceeds ``Settings.max_body_bytes``."""

    code = ErrorCode.PAYLOAD_TOO_LARGE


class RateLimited(ClientError):
    """The partner is over its rate limit; ``retry_after`` is in seconds."""

    code = ErrorCode.RATE_LIMITED

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message, extensions={"retryAfter": retry_after})
        self.retry_after = retry_after


class ServiceNotReady(ClientError):
    """Requests arrived before the supergraph was loaded."""

    code = ErrorCode.SERVICE_NOT_READY


class UpstreamError(ClientError):
    """A subgraph failed. The message names the subgraph and the failure, and is safe to return.

    PORT_NOTE: the fault is downstream, not the client's; it sits under ``ClientError`` only
    because its message is meant for the client (it never contains a traceback).
    """

    code = ErrorCode.DOWNSTREAM_SERVICE_ERROR

    def __init__(self, message: str, *, service_name: str, extensions: JSONObject | None = None) -> None:
        super().__init__(message, extensions={"serviceName": service_name, **(extensions or {})})
        self.service_name = service_name


class SubgraphUnavailable(UpstreamError):
    """The subgraph could not be reached, timed out, or answered with an HTTP error status."""

    code = ErrorCode.SUBGRAPH_UNAVAILABLE


class DownstreamServiceError(UpstreamError):
    """The subgraph answered, but not with a readable GraphQL response."""

    code = ErrorCode.DOWNSTREAM_SERVICE_ERROR


class QueryPlanningFailed(InternalError):
    """The planner failed on an operation that passed validation."""

    code = ErrorCode.QUERY_PLANNING_FAILED


def _masked(request_id: str | None) -> JSONObject:
    extensions: JSONObject = {"code": ErrorCode.INTERNAL_SERVER_ERROR.name}
    if request_id is not None:
        extensions["requestId"] = request_id
    return {"message": INTERNAL_ERROR_MESSAGE, "extensions": extensions}


def graphql_error_to_json(error: GraphQLError, code: ErrorCode) -> JSONObject:
    """Render a graphql-core error with ``locations`` and our ``extensions.code``."""
    out: JSONObject = {"message": error.message}
    if error.locations:
        out["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if error.path:
        out["path"] = list(error.path)
    extensions: dict[str, Any] = dict(error.extensions or {})
    extensions.setdefault("code", code.name)
    out["extensions"] = extensions
    return out


def to_graphql_errors(exc: BaseException, request_id: str | None = None) -> list[JSONObject]:
    """Translate any exception into GraphQL error objects; log everything not meant for clients.

    This is the single translation point for exceptions that reach the HTTP layer.
    """
    if isinstance(exc, GatewayError) and exc.expose:
        return exc.to_json(request_id)
    logger.error("internal error (request id %s)", request_id, exc_info=exc)
    return [_masked(request_id)]
