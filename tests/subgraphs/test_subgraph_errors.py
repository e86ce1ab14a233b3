"""Coded GraphQL errors: project errors keep their code, everything else is masked and logged."""

from __future__ import annotations

import datetime
import logging

import pytest
import strawberry
from graphql import GraphQLError

from grpc_clients.errors import FailedPreconditionError, FieldViolation, InternalError, InvalidArgumentError
from resolvers.context import RequestContext
from subgraphs.common.errors import INTERNAL_ERROR_MESSAGE, SUBGRAPH_ERROR_CODES, code_error
from subgraphs.common.schema import SubgraphSchema


@strawberry.type
class Query:
    @strawberry.field
    def secret(self) -> str:
        raise RuntimeError("password=hunter2 at db.internal:5432")

    @strawberry.field
    def backend_internal(self) -> str:
        raise InternalError("INTERNAL: stack trace from the backend")

    @strawberry.field
    def precondition(self) -> str:
        raise FailedPreconditionError("The application is CANCELLED; it cannot be cancelled again.")

    @strawberry.field
    def invalid(self) -> str:
        raise InvalidArgumentError(
            "Invalid value for 'phone'.", [FieldViolation("input.phone", "Use E.164.")]
        )


@strawberry.type
class DateQuery:
    @strawberry.field
    def echo(self, day: datetime.date) -> str:
        return str(day)


schema = SubgraphSchema(query=Query)


async def run(query: str, variables: dict[str, object] | None = None) -> list[dict[str, object]]:
    result = await schema.execute(
        query, variable_values=variables, context_value=RequestContext(loaders=None, request_id="req-1")
    )
    assert result.errors
    return [error.formatted for error in result.errors]  # type: ignore[misc]


async def test_unexpected_errors_are_masked_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="subgraphs.errors"):
        (error,) = await run("{ secret }")
    assert error["message"] == INTERNAL_ERROR_MESSAGE
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-1"}
    assert "hunter2" not in str(error)
    assert "req-1" in caplog.text
    assert "hunter2" in caplog.text  # the detail goes to the log, not the client


async def test_internal_backend_errors_are_masked() -> None:
    (error,) = await run("{ backendInternal }")
    assert error["message"] == INTERNAL_ERROR_MESSAGE
    assert "stack trace" not in str(error)


async def test_project_errors_keep_code_and_message() -> None:
    (error,) = await run("{ precondition }")
    assert error["extensions"] == {"code": "FAILED_PRECONDITION"}
    assert error["message"] == "The application is CANCELLED; it cannot be cancelled again."
    assert error["path"] == ["precondition"]


async def test_invalid_argument_lists_field_errors() -> None:
    (error,) = await run("{ invalid }")
    assert error["extensions"] == {
        "code": "BAD_USER_INPUT",
        "fieldErrors": [{"field": "input.phone", "message": "Use E.164."}],
    }


async def test_document_errors() -> None:
    (parse,) = await run("{ secret ")
    assert parse["extensions"] == {"code": "GRAPHQL_PARSE_FAILED"}
    (validation,) = await run("{ nope }")
    assert validation["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}


async def test_dates_are_checked_as_literals_and_variables() -> None:
    dated = SubgraphSchema(query=DateQuery)
    context = RequestContext(loaders=None)
    ok = await dated.execute('{ echo(day: "2024-02-29") }', context_value=context)
    assert ok.data == {"echo": "2024-02-29"}
    for query, variables in (
        ('{ echo(day: "2025-02-29") }', None),
        ('{ echo(day: "29.02.2024") }', None),
        ("{ echo(day: 20240229) }", None),
        ("query($d: Date!) { echo(day: $d) }", {"d": "2025-04-31"}),
    ):
        result = await dated.execute(query, variable_values=variables, context_value=context)
        assert result.errors is not None
        (error,) = result.errors
        assert error.extensions == {"code": "BAD_USER_INPUT"}, (query, error.message)


def test_code_error_leaves_coded_errors_alone() -> None:
    error = GraphQLError("x", extensions={"code": "RATE_LIMITED"})
    code_error(error, "r")
    assert error.extensions == {"code": "RATE_LIMITED"}


def test_code_error_masks_path_errors_without_cause() -> None:
    error = GraphQLError("Cannot return null for non-nullable field Query.x.", path=["x"])
    code_error(error, "r")
    assert error.message == INTERNAL_ERROR_MESSAGE


def test_every_code_is_registered() -> None:
    used = {"NOT_FOUND", "BAD_USER_INPUT", "FAILED_PRECONDITION", "ALREADY_EXISTS", "SERVICE_UNAVAILABLE"}
    used |= {"INTERNAL_SERVER_ERROR", "GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"}
    assert set(SUBGRAPH_ERROR_CODES) == used
    assert all(text.endswith(".") for text in SUBGRAPH_ERROR_CODES.values())
