"""REST error bodies as RFC 9457 problem details (``application/problem+json``).

Every REST error answers ``{type, title, status, detail, instance}`` plus three extension
members: ``code`` (the GraphQL ``extensions.code``, the stable machine code), ``requestId`` and
``errors`` (every underlying error, with its path and code but without GraphQL's ``locations``,
which point into a document a REST client never sent). ``type`` is ``about:blank``: the HTTP
status and ``code`` say what happened, ``title`` is the status phrase.

See https://www.rfc-editor.org/rfc/rfc9457
"""

from __future__ import annotations

from collections.abc import Sequence
from http import HTTPStatus

from gateway.types import JSONObject

__all__ = ["PROBLEM_JSON", "problem", "public_errors"]

PROBLEM_JSON = "application/problem+json"


def public_errors(errors: Sequence[JSONObject]) -> list[JSONObject]:
    """The GraphQL errors as a REST client sees them: ``locations`` dropped."""
    return [{key: value for key, value in error.items() if key != "locations"} for error in errors]


def problem(
    status: int,
    code: str,
    detail: str,
    request_id: str,
    *,
    instance: str | None = None,
    errors: Sequence[JSONObject] = (),
) -> JSONObject:
    """One problem-details body.

    Args:
        status: the HTTP status of the response.
        code: the stable machine code (``NOT_FOUND``).
        detail: a sentence for the client: what happened and what to do.
        request_id: ties the response to the gateway's log line.
        instance: the request's path (``/api/v1/applications/…``).
        errors: the underlying GraphQL errors, if any.
    """
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body: JSONObject = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if instance is not None:
        body["instance"] = instance
    body["code"] = code
    body["requestId"] = request_id
    body["errors"] = public_errors(errors)
    return body
