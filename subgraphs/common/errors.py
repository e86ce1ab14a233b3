"""Coded GraphQL errors: project errors become ``extensions.code``; everything else is masked.

``CodedErrors`` is a Strawberry schema extension that rewrites every error of a result, once,
before it leaves the subgraph:

- a safe ``BackendError`` (raised by a resolver, a scalar, or translated from gRPC) keeps
  its message and gets its ``code``; ``InvalidArgumentError`` adds ``fieldErrors`` whose paths
  are GraphQL argument paths (``input.sumInsuredKopecks``, never the proto's
  ``input.sum_insured_kopecks``), and its message is rebuilt from them;
- errors about the document itself get ``GRAPHQL_PARSE_FAILED`` / ``GRAPHQL_VALIDATION_FAILED``,
  and invalid variable values ``BAD_USER_INPUT``;
- anything else is logged with its traceback and replaced by "Internal server error." with
  ``INTERNAL_SERVER_ERROR`` and the request id, so no internal detail ever reaches a client.

See https://spec.graphql.org/October2021/#sec-Errors.Error-result-format
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from grpc_clients.errors import ERROR_CODES, BackendError, InvalidArgumentError
from resolvers.arguments import graphql_path, violations_message

__all__ = ["INTERNAL_ERROR_MESSAGE", "SUBGRAPH_ERROR_CODES", "CodedErrors", "code_error"]

INTERNAL_ERROR_MESSAGE = "Internal server error."

SUBGRAPH_ERROR_CODES: dict[str, str] = {
    **ERROR_CODES,
    "GRAPHQL_PARSE_FAILED": "The document is not valid GraphQL syntax.",
    "GRAPHQL_VALIDATION_FAILED": "The document does not match the subgraph's schema.",
}
"""Every ``extensions.code`` a subgraph may return, with a one-line description."""

_log = logging.getLogger("subgraphs.errors")


def _root_cause(error: GraphQLError) -> BaseException | None:
    cause: BaseException | None = error.original_error
    while isinstance(cause, GraphQLError) and cause.original_error is not None:
        cause = cause.original_error
    return cause


def _request_error_code(error: GraphQLError) -> str:
    if error.message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    if error.message.startswith("Variable '$"):
        return "BAD_USER_INPUT"
    return "GRAPHQL_VALIDATION_FAILED"


def code_error(error: GraphQLError, request_id: str) -> None:
    """Give ``error`` its ``extensions.code`` (in place), masking it when it is not safe to show."""
    if error.extensions and "code" in error.extensions:
        return
    cause = _root_cause(error)
    extensions: dict[str, Any] = dict(error.extensions or {})
    if isinstance(cause, BackendError) and cause.safe:
        extensions["code"] = cause.code
        message = cause.message
        if isinstance(cause, InvalidArgumentError) and cause.violations:
            # Resolvers rename what differs in shape (``page_token`` → ``after``); whatever they
            # left in proto spelling is camel-cased here, so no proto name reaches a client.
            fields = [(graphql_path(v.field), v.description) for v in cause.violations]
            extensions["fieldErrors"] = [{"field": field, "message": text} for field, text in fields]
            message = violations_message(fields)
        if error.path is not None:
            error.message = message
    elif error.path is None and (cause is None or error.nodes or error.message.startswith("Variable '$")):
        # About the document or its variables (parse, validation, input coercion): graphql-core
        # wrote the message from the request itself, so it is safe to return.
        extensions["code"] = _request_error_code(error)
    else:
        _log.error(
            "unexpected error (request id %s) at %s: %s",
            request_id,
            error.path,
            error.message,
            exc_info=cause if cause is not None else None,
        )
        error.message = INTERNAL_ERROR_MESSAGE
        extensions = {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
    error.extensions = extensions


class CodedErrors(SchemaExtension):
    """Apply ``code_error`` to every error of every result (queries, mutations, subscriptions)."""

    def _request_id(self) -> str:
        return str(getattr(self.execution_context.context, "request_id", "") or "unknown")

    def _code_all(self, errors: Iterable[GraphQLError] | None) -> None:
        for error in errors or ():
            code_error(error, self._request_id())

    def on_parse(self) -> Iterator[None]:
        yield
        self._code_all(self.execution_context.pre_execution_errors)

    def on_validate(self) -> Iterator[None]:
        yield
        self._code_all(self.execution_context.pre_execution_errors)

    def on_operation(self) -> Iterator[None]:
        yield
        self._code_all(self.execution_context.pre_execution_errors)
        self._code_all(getattr(self.execution_context.result, "errors", None))

    def on_stream_result(self, result: Any) -> Iterator[None]:
        self._code_all(getattr(result, "errors", None))
        yield None
