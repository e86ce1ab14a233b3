"""Validation of GraphQL arguments before any RPC, and renaming of backend field paths.

A malformed id is reported as ``BAD_USER_INPUT`` with a field error naming the GraphQL
argument, without calling the backend. Field violations the backend reports use proto field
paths (``input.sum_insured_kopecks``); ``graphql_path`` turns them into the argument paths a
GraphQL client sent (``input.sumInsuredKopecks``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping

from grpc_clients.errors import FieldViolation, InvalidArgumentError

__all__ = [
    "batch_item_path",
    "graphql_path",
    "parse_id",
    "parse_ids",
    "rename_violations",
    "require_limit",
    "violations_message",
]


def parse_id(value: str, field: str) -> str:
    """The canonical text of a UUID argument.

    Raises:
        InvalidArgumentError: when ``value`` is not a UUID (code BAD_USER_INPUT).
    """
    try:
        return str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError):
        raise InvalidArgumentError.for_field(
            field, f"{value!r} is not a valid id; ids are UUIDs like '123e4567-e89b-12d3-a456-426614174000'."
        ) from None


def parse_ids(values: Iterable[str], field: str) -> list[str]:
    """Every id of a list argument, with all malformed ones reported together."""
    parsed: list[str] = []
    violations: list[FieldViolation] = []
    for index, value in enumerate(values):
        try:
            parsed.append(parse_id(value, f"{field}[{index}]"))
        except InvalidArgumentError as error:
            violations.extend(error.violations)
    if violations:
        raise InvalidArgumentError(
            f"{len(violations)} of the ids in {field!r} are not valid ids.", violations
        )
    return parsed


def require_limit(value: int, field: str, *, maximum: int) -> int:
    """A page size or result limit between 1 and ``maximum``."""
    if not 1 <= value <= maximum:
        raise InvalidArgumentError.for_field(field, f"Must be between 1 and {maximum}, got {value}.")
    return value


def _camel(segment: str) -> str:
    head, *rest = segment.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def graphql_path(proto_path: str, renames: Mapping[str, str] | None = None, *, prefix: str = "") -> str:
    """``input.sum_insured_kopecks`` → ``input.sumInsuredKopecks``.

    ``renames`` maps whole leading segments first (``page_token`` → ``after``), then
    ``prefix`` is put in front (``last_name`` → ``input.lastName`` with prefix ``input``).
    """
    path = proto_path
    for old, new in (renames or {}).items():
        if path == old or path.startswith(old + ".") or path.startswith(old + "["):
            path = new + path[len(old) :]
            break
    else:
        if prefix:
            path = f"{prefix}.{path}"
    return ".".join(_camel(segment) for segment in path.split("."))


def batch_item_path(proto_path: str, item_field: str, *, own: frozenset[str] = frozenset()) -> str:
    """A batch item's proto path as a GraphQL path, where each item wraps its input in ``item_field``.

    ``inputs[2].sum_insured_kopecks`` → ``inputs[2].application.sumInsuredKopecks`` for
    ``item_field="application"``; fields of the item itself (``own``, e.g. ``idempotency_key``)
    stay at the item: ``inputs[2].idempotencyKey``.
    """
    head, dot, rest = proto_path.partition(".")
    if not dot or not head.endswith("]") or rest.split(".")[0].split("[")[0] in own:
        return graphql_path(proto_path)
    return graphql_path(f"{head}.{item_field}.{rest}")


def violations_message(fields: Iterable[tuple[str, str]]) -> str:
    """The message of a ``BAD_USER_INPUT`` error: the fields named, then what is wrong with each."""
    pairs = list(fields)
    names = ", ".join(repr(field) for field, _ in pairs)
    return f"Invalid value for {names}: " + " ".join(text for _, text in pairs)


def rename_violations(
    error: InvalidArgumentError, renames: Mapping[str, str] | None = None, *, prefix: str = ""
) -> InvalidArgumentError:
    """The same error with its field paths expressed as GraphQL argument paths (message rebuilt)."""
    violations = [
        FieldViolation(graphql_path(v.field, renames, prefix=prefix), v.description) for v in error.violations
    ]
    message = (
        violations_message((v.field, v.description) for v in violations) if violations else error.message
    )
    renamed = InvalidArgumentError(message, violations, service=error.service, method=error.method)
    renamed.__cause__ = error.__cause__
    return renamed
