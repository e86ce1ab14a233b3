from __future__ import annotations

import pytest

from gateway.errors import BadRequest, NotAcceptable, UnsupportedMediaType
from gateway.http.request import (
    GRAPHQL_RESPONSE_JSON,
    JSON,
    negotiate_media_type,
    request_from_body,
    request_from_query_params,
    wants_html,
)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, JSON),
        ("", JSON),
        ("*/*", JSON),
        ("application/json", JSON),
        ("application/*", JSON),
        (f"application/json, {GRAPHQL_RESPONSE_JSON}", GRAPHQL_RESPONSE_JSON),
        (GRAPHQL_RESPONSE_JSON, GRAPHQL_RESPONSE_JSON),
    ],
)
def test_media_type_negotiation(accept: str | None, expected: str) -> None:
    assert negotiate_media_type(accept) == expected


def test_unacceptable_media_types() -> None:
    with pytest.raises(NotAcceptable, match="text/plain"):
        negotiate_media_type("text/plain")


def test_wants_html() -> None:
    assert wants_html("text/html,application/xhtml+xml")
    assert not wants_html(None)
    assert not wants_html("application/json")


def test_post_bodies() -> None:
    request = request_from_body(
        b'{"query": "{ a }", "variables": {"x": 1}, "operationName": "Q", "extensions": {"e": 1}}',
        "application/json; charset=utf-8",
    )
    assert (request.query, request.variables, request.operation_name, request.extensions) == (
        "{ a }",
        {"x": 1},
        "Q",
        {"e": 1},
    )
    assert request_from_body(b'{"query": "{ a }", "variables": null}', None).variables is None
    with pytest.raises(UnsupportedMediaType):
        request_from_body(b"{}", "application/x-www-form-urlencoded")


def test_get_parameters_decode_json_strings() -> None:
    request = request_from_query_params({"query": "{ a }", "variables": '{"x": 1}', "extensions": ""})
    assert request.variables == {"x": 1}
    assert request.extensions is None
    with pytest.raises(BadRequest, match="'variables' must be a JSON object"):
        request_from_query_params({"query": "{ a }", "variables": "[1]"})
    with pytest.raises(BadRequest, match="non-empty 'query'"):
        request_from_query_params({"query": "  "})
