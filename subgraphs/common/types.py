"""Value types every subgraph returns identically, hence ``@shareable``.

Money is returned as an object, not a bare number: ``kopecks`` (``Long``, exact integer
arithmetic — the wire format of every backend, docs/decisions/0002), ``amount`` (a decimal
string in rubles, ``"1500000.50"``), ``currency`` and ``formatted`` (``"1 500 000,50 ₽"``).
Inputs take kopecks as ``Long``. GraphQL ``Int`` is 32-bit, too small for sums insured.
"""

from __future__ import annotations

import strawberry

from grpc_clients.errors import FieldViolation
from resolvers.convert import format_rubles
from subgraphs.common.scalars import Long

__all__ = ["FieldError", "Money", "PageInfo"]


@strawberry.federation.type(shareable=True, description="An amount of money in Russian rubles.")
class Money:
    kopecks: Long = strawberry.field(description="The exact amount in kopecks (1/100 ruble).")
    amount: str = strawberry.field(description="The amount in rubles as a decimal string, e.g. '1500000.50'.")
    currency: str = strawberry.field(description="ISO 4217 currency code; always 'RUB'.")
    formatted: str = strawberry.field(description="Human-readable Russian form, e.g. '1 500 000,50 ₽'.")

    @classmethod
    def from_kopecks(cls, kopecks: int) -> Money:
        """Money for an int64 kopeck amount."""
        sign = "-" if kopecks < 0 else ""
        rubles, rest = divmod(abs(kopecks), 100)
        return cls(
            kopecks=Long(kopecks),
            amount=f"{sign}{rubles}.{rest:02d}",
            currency="RUB",
            formatted=format_rubles(kopecks),
        )


@strawberry.federation.type(shareable=True, description="Where a page of a connection ends.")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None = strawberry.field(
        description="Pass as `after` to get the next page; null on the last page."
    )


@strawberry.federation.type(shareable=True, description="One invalid input field and what is wrong with it.")
class FieldError:
    field: str = strawberry.field(description="The argument path, e.g. 'input.clientId'.")
    message: str

    @classmethod
    def from_violation(cls, violation: FieldViolation) -> FieldError:
        """The GraphQL shape of a backend field violation."""
        return cls(field=violation.field, message=violation.description)
