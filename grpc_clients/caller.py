"""Who a backend call is made for: a B2B partner, or the first party (the web app, back office).

The gateway is the trust boundary. It authenticates the API key, strips any ``x-partner-id`` a
client sent and sets its own for partner requests only; a first-party request carries none. Each
subgraph reads that header once per request and every backend call of the request carries it as
gRPC metadata under the same key. Backends scope partner data by it: a partner sees only what it
created, the first party sees everything.

Subgraphs and backends are internal services: a call without the key comes from inside (the
gateway's first-party path, another backend, an operator) and acts as the first party.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

__all__ = [
    "FIRST_PARTY",
    "FIRST_PARTY_OWNER",
    "PARTNER_ID_KEY",
    "Caller",
    "InvalidCallerError",
    "caller_from_headers",
    "caller_from_metadata",
]

PARTNER_ID_KEY: Final = "x-partner-id"
"""The HTTP header (gateway → subgraph) and the gRPC metadata key (subgraph → backend)."""

FIRST_PARTY_OWNER: Final = "first-party"
"""The stored owner of what the first party creates (no partner id can take this form)."""

_PARTNER_PREFIX: Final = "partner:"
_PARTNER_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{1,63}$")


class InvalidCallerError(ValueError):
    """The partner id of a request is not a partner id the gateway could have set."""


@dataclass(frozen=True, slots=True)
class Caller:
    """The party a request acts for; ``partner_id`` is ``None`` for the first party."""

    partner_id: str | None = None

    @property
    def first_party(self) -> bool:
        """Whether the caller is the first party (it sees every partner's data)."""
        return self.partner_id is None

    @property
    def owner(self) -> str:
        """The value stored as the owner of what this caller creates: ``partner:<id>`` or ``first-party``."""
        return FIRST_PARTY_OWNER if self.partner_id is None else _PARTNER_PREFIX + self.partner_id

    @property
    def scope(self) -> str | None:
        """The owner a read is limited to, or ``None`` for no limit (the first party)."""
        return None if self.partner_id is None else self.owner

    def may_see(self, owner: str) -> bool:
        """Whether data owned by ``owner`` is visible to this caller."""
        return self.partner_id is None or owner == self.owner

    def metadata(self) -> tuple[tuple[str, str], ...]:
        """The gRPC metadata that carries this caller to a backend (none for the first party)."""
        return () if self.partner_id is None else ((PARTNER_ID_KEY, self.partner_id),)


FIRST_PARTY: Final = Caller()


def _parse(value: str | None) -> Caller:
    if value is None or value == "":
        return FIRST_PARTY
    if not _PARTNER_ID.match(value):
        raise InvalidCallerError(
            f"{PARTNER_ID_KEY} {value[:80]!r} is not a partner id (2-64 lowercase letters, digits, '-', '_')."
        )
    return Caller(value)


def caller_from_headers(headers: Mapping[str, str]) -> Caller:
    """The caller named by a request's ``x-partner-id`` header (absent: the first party).

    Raises:
        InvalidCallerError: the header holds something that is not a partner id.
    """
    return _parse(headers.get(PARTNER_ID_KEY))


def caller_from_metadata(metadata: Iterable[tuple[str, str | bytes]] | None) -> Caller:
    """The caller named by a call's invocation metadata (absent: the first party).

    Raises:
        InvalidCallerError: the value is not a partner id, or the key appears twice.
    """
    values = [value for key, value in metadata or () if key == PARTNER_ID_KEY]
    if len(values) > 1:
        raise InvalidCallerError(f"{PARTNER_ID_KEY} appears {len(values)} times; send it once.")
    if not values:
        return FIRST_PARTY
    value = values[0]
    return _parse(value.decode("ascii", "replace") if isinstance(value, bytes) else value)
