from __future__ import annotations

import logging

import pytest
from graphql import GraphQLError, parse

import gateway.errors as errors_module
from gateway.errors import (
    INTERNAL_ERROR_MESSAGE,
    ClientError,
    ErrorCode,
    GatewayError,
    GraphQLParseFailed,
    InternalError,
    RateLimited,
    SubgraphUnavailable,
    describe_error_codes,
    to_graphql_errors,
)


def _isort_key(name: str) -> tuple[int, str]:
    """Ruff's RUF022 order: CONSTANTS, then Classes, then functions."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def test_all_is_sorted_and_complete() -> None:
    exported = errors_module.__all__
    assert exported == sorted(exported, key=_isort_key)
    public = {
        name
        for name, value in vars(errors_module).items()
        if not name.startswith("_") and getattr(value, "__module__", None) == errors_module.__name__
    }
    assert public <= set(exported)


def test_every_code_has_a_status_and_a_sentence() -> None:
    rows = describe_error_codes()
    assert {row[0] for row in rows} >= {
        "GRAPHQL_PARSE_FAILED",
        "GRAPHQL_VALIDATION_FAILED",
        "BAD_USER_INPUT",
        "BAD_REQUEST",
        "OPERATION_NOT_FOUND",
        "PERSISTED_QUERY_NOT_FOUND",
        "PERSISTED_QUERY_NOT_ALLOWED",
        "RATE_LIMITED",
        "SUBGRAPH_UNAVAILABLE",
        "DOWNSTREAM_SERVICE_ERROR",
        "QUERY_TOO_COMPLEX",
        "DEPTH_LIMIT_EXCEEDED",
        "PAYLOAD_TOO_LARGE",
        "INTERNAL_SERVER_ERROR",
    }
    for name, status, description in rows:
        assert name.isupper()
        assert 400 <= status < 600
        assert description.endswith(".")


def test_every_error_class_declares_a_registered_code() -> None:
    classes = [v for v in vars(errors_module).values() if isinstance(v, type) and issubclass(v, GatewayError)]
    assert all(isinstance(cls.code, ErrorCode) for cls in classes)
    assert all(issubclass(cls, ClientError | InternalError) for cls in classes if cls is not GatewayError)


def test_client_errors_show_their_message_and_code() -> None:
    error = RateLimited("Partner 'acme' exceeded 20 requests per second.", retry_after=2.0)
    assert error.status == 429
    assert to_graphql_errors(error, "rid") == [
        {
            "message": "Partner 'acme' exceeded 20 requests per second.",
            "extensions": {"code": "RATE_LIMITED", "retryAfter": 2.0},
        }
    ]


def test_upstream_errors_name_the_service() -> None:
    error = SubgraphUnavailable("Subgraph 'a' is down.", service_name="a")
    assert error.status == 502
    assert error.to_json()[0]["extensions"] == {"code": "SUBGRAPH_UNAVAILABLE", "serviceName": "a"}


def test_internal_errors_are_masked_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="gateway.errors"):
        rendered = to_graphql_errors(InternalError("secret detail"), "req-1")
        foreign = to_graphql_errors(KeyError("boom"), None)
    assert rendered == [
        {
            "message": INTERNAL_ERROR_MESSAGE,
            "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-1"},
        }
    ]
    assert foreign == [{"message": INTERNAL_ERROR_MESSAGE, "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]
    assert "req-1" in caplog.text


def test_graphql_core_errors_keep_locations() -> None:
    try:
        parse("{ a ")
    except GraphQLError as exc:
        error = GraphQLParseFailed("Syntax error.", [exc])
    rendered = error.to_json()
    assert rendered[0]["locations"] == [{"line": 1, "column": 5}]
    assert rendered[0]["extensions"] == {"code": "GRAPHQL_PARSE_FAILED"}
    assert GraphQLParseFailed("No details.").to_json() == [
        {"message": "No details.", "extensions": {"code": "GRAPHQL_PARSE_FAILED"}}
    ]


def test_path_is_rendered_when_given() -> None:
    assert ClientError("x.", path=["a", 0]).to_json()[0]["path"] == ["a", 0]
