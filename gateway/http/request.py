"""Read GraphQL-over-HTTP requests: body limits, JSON decoding, parameter checks, media types.

Every malformed request becomes a ``ClientError`` with a stable code; nothing here knows GraphQL
semantics beyond the request parameters (``query``, ``variables``, ``operationName``,
``extensions``).

See https://graphql.github.io/graphql-over-http/draft/#sec-Request
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from starlette.requests import Request

from gateway.errors import (
    BadRequest,
    NotAcceptable,
    PayloadTooLarge,
    PersistedQueryNotFound,
    UnsupportedMediaType,
)
from gateway.pipeline import GraphQLRequest

__all__ = [
    "GRAPHQL_RESPONSE_JSON",
    "JSON",
    "negotiate_media_type",
    "object_param",
    "parse_params",
    "read_body",
    "request_from_body",
    "request_from_query_params",
    "wants_html",
]

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
_ACCEPTABLE = (GRAPHQL_RESPONSE_JSON, JSON, "application/*", "*/*")


def negotiate_media_type(accept: str | None) -> str:
    """Pick the response media type from ``Accept``.

    ``application/graphql-response+json`` when the client lists it, else ``application/json``
    (also when ``Accept`` is absent, as the spec's legacy rules say).

    Raises:
        NotAcceptable: ``Accept`` lists none of the JSON media types nor a wildcard.
    """
    if not accept:
        return JSON
    if GRAPHQL_RESPONSE_JSON in accept:
        return GRAPHQL_RESPONSE_JSON
    if any(kind in accept for kind in _ACCEPTABLE):
        return JSON
    raise NotAcceptable(
        f"Cannot produce any media type in 'Accept: {accept}'; accept {GRAPHQL_RESPONSE_JSON!r} or {JSON!r}."
    )


def wants_html(accept: str | None) -> bool:
    """Whether a browser is asking for a page (GraphiQL) rather than a GraphQL response."""
    return accept is not None and "text/html" in accept


async def read_body(request: Request, max_bytes: int) -> bytes:
    """Read the body, refusing to buffer more than ``max_bytes``.

    ``Content-Length`` is checked before reading; chunked bodies are counted while streaming.

    Raises:
        PayloadTooLarge: The body is larger than ``max_bytes``.
        BadRequest: ``Content-Length`` is not a number.
    """
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            length = int(declared)
        except ValueError as exc:
            raise BadRequest(f"The Content-Length header {declared!r} is not a number.") from exc
        if length > max_bytes:
            raise _too_large(max_bytes)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(max_bytes: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"The request body exceeds the limit of {max_bytes} bytes; send a smaller document or use persisted queries."
    )


def request_from_body(body: bytes, content_type: str | None) -> GraphQLRequest:
    """Decode a POST body (``application/json``) into a ``GraphQLRequest``.

    Raises:
        UnsupportedMediaType: The Content-Type is not JSON.
        BadRequest: The body is not a JSON object with valid GraphQL parameters.
    """
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media not in (JSON, GRAPHQL_RESPONSE_JSON, "") and not media.endswith("+json"):
        raise UnsupportedMediaType(
            f"POST requests must have 'Content-Type: application/json', got {content_type!r}."
        )
    try:
        params = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise BadRequest(f"The request body is not valid JSON: {exc}.") from exc
    if isinstance(params, list):
        raise BadRequest("Batched requests (a JSON array) are not supported; send one request object.")
    if not isinstance(params, dict):
        raise BadRequest("The request body must be a JSON object with a 'query' string.")
    return parse_params(params, json_encoded=False)


def request_from_query_params(params: Mapping[str, str]) -> GraphQLRequest:
    """Decode GET query parameters (``variables``/``extensions`` are JSON-encoded strings).

    Raises:
        BadRequest: A parameter is missing or malformed.
    """
    return parse_params(dict(params), json_encoded=True)


def parse_params(params: Mapping[str, Any], *, json_encoded: bool) -> GraphQLRequest:
    """Validate the GraphQL request parameters.

    Raises:
        BadRequest: ``query`` is missing or not a string, or another parameter has the wrong type.
    """
    query = params.get("query")
    if not isinstance(query, str) or not query.strip():
        if query is None and "persistedQuery" in (object_param(params, "extensions", json_encoded) or {}):
            # APQ's answer from a gateway that keeps no persisted queries: clients resend with the body.
            raise PersistedQueryNotFound(
                "This gateway keeps no persisted queries; send the request again with the full 'query'."
            )
        raise BadRequest("The request must contain a non-empty 'query' string.")
    operation_name = params.get("operationName")
    if operation_name == "":
        operation_name = None
    if operation_name is not None and not isinstance(operation_name, str):
        raise BadRequest("'operationName' must be a string or null.")
    variables = object_param(params, "variables", json_encoded)
    extensions = object_param(params, "extensions", json_encoded)
    return GraphQLRequest(query, variables, operation_name, extensions)


def object_param(params: Mapping[str, Any], name: str, json_encoded: bool) -> dict[str, Any] | None:
    """The JSON-object parameter ``name`` (``variables``, ``extensions``); GET sends it JSON-encoded.

    Raises:
        BadRequest: The value is not valid JSON or not an object.
    """
    value = params.get(name)
    if json_encoded and isinstance(value, str):
        if not value:
            return None
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError as exc:
            raise BadRequest(f"The {name!r} parameter is not valid JSON: {exc}.") from exc
    if value is None:
        return None
    if not isinstance(value, dict):
        raise BadRequest(f"{name!r} must be a JSON object or null, got {type(value).__name__}.")
    return value
