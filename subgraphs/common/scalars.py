"""Custom scalars shared by the subgraphs: ``Date`` with coded errors, and ``Long``.

Strawberry's built-in ``Date`` raises a bare ``ValueError`` for ``"2025-02-30"``; ours raises
``InvalidArgumentError`` so the error formatter reports an impossible date as
``BAD_USER_INPUT`` whether it came as a literal or a variable. ``Long`` carries int64 values
(money in kopecks) that do not fit GraphQL's 32-bit ``Int``.
"""

from __future__ import annotations

import datetime
from typing import Any, NewType

import strawberry
from graphql import IntValueNode, StringValueNode, ValueNode

from grpc_clients.errors import InvalidArgumentError

__all__ = ["DATE_SCALAR", "LONG_SCALAR", "Long", "parse_date"]

_MAX_SAFE = 2**53 - 1


def parse_date(value: Any) -> datetime.date:
    """An ISO 8601 calendar date (``YYYY-MM-DD``) that exists.

    Raises:
        InvalidArgumentError: for anything else (wrong shape or an impossible day).
    """
    if not isinstance(value, str):
        raise InvalidArgumentError(f"A Date must be a string like '2025-03-01', got {value!r}.")
    try:
        return datetime.date.fromisoformat(value) if len(value) == 10 else _reject(value)
    except ValueError as exc:
        raise InvalidArgumentError(
            f"{value!r} is not a valid calendar date ({exc}); use YYYY-MM-DD with a day that exists."
        ) from None


def _reject(value: str) -> datetime.date:
    raise ValueError("expected exactly 10 characters")


def _parse_date_literal(node: ValueNode, _variables: Any = None) -> datetime.date:
    if isinstance(node, StringValueNode):
        return parse_date(node.value)
    raise InvalidArgumentError("A Date must be a string like '2025-03-01'.")


DATE_SCALAR = strawberry.scalar(
    name="Date",
    description="A calendar date in ISO 8601 form, 'YYYY-MM-DD'.",
    serialize=lambda value: value.isoformat(),
    parse_value=parse_date,
    parse_literal=_parse_date_literal,
)
"""Overrides ``datetime.date`` in every subgraph schema (``scalar_overrides``)."""


def _parse_long(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > _MAX_SAFE:
        raise InvalidArgumentError(f"A Long must be an integer with magnitude below 2^53, got {value!r}.")
    return value


def _parse_long_literal(node: ValueNode, _variables: Any = None) -> int:
    if isinstance(node, IntValueNode):
        return _parse_long(int(node.value))
    raise InvalidArgumentError("A Long must be an integer literal.")


Long = NewType("Long", int)
"""An int64 value; the schema maps it to the ``Long`` scalar (``LONG_SCALAR``)."""

LONG_SCALAR = strawberry.scalar(
    name="Long",
    description="A 64-bit integer serialized as a JSON number (exact up to 2^53 - 1); money is in kopecks.",
    serialize=int,
    parse_value=_parse_long,
    parse_literal=_parse_long_literal,
)
