"""Opaque page tokens for the keyset-paginated client listing.

A token is the base64url-encoded JSON of the last row's sort key ``(last_name, first_name, id)``;
the next page starts strictly after it, so pages stay stable while clients are added. Callers
must treat tokens as opaque; anything that does not decode to a well-formed key is rejected.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from typing import NamedTuple

from services.common.errors import FieldViolation

__all__ = ["Keyset", "decode_page_token", "encode_page_token"]


class Keyset(NamedTuple):
    """The sort key of a client in the listing."""

    last_name: str
    first_name: str
    id: str


def encode_page_token(key: Keyset) -> str:
    """The token for the page that starts after ``key``."""
    payload = json.dumps({"l": key.last_name, "f": key.first_name, "i": key.id}, ensure_ascii=False)
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_page_token(token: str, field: str) -> Keyset | FieldViolation:
    """The key a token encodes, or a violation when the token was not made by ``encode_page_token``."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = json.loads(raw.decode())
        key = Keyset(payload["l"], payload["f"], payload["i"])
        if not all(isinstance(part, str) for part in key) or set(payload) != {"l", "f", "i"}:
            raise TypeError(payload)
        uuid.UUID(key.id)
    except (binascii.Error, UnicodeDecodeError, ValueError, KeyError, TypeError):
        return FieldViolation(
            field, f"{token!r} is not a page token from this service; pass next_page_token unchanged."
        )
    return key
