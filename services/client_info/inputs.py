"""Requests as the domain receives them: raw strings, exactly as the caller sent them.

The servicer copies proto fields into these records (enum values become their proto names, an
unset enum its ``*_UNSPECIFIED`` name); ``services.client_info.rules`` validates them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AddressInput", "ContactsUpdate", "DocumentInput", "NewClient", "RelativeInput"]


@dataclass(frozen=True, slots=True)
class AddressInput:
    """An address as sent."""

    kind: str
    region: str = ""
    city: str = ""
    street: str = ""
    house: str = ""
    apartment: str = ""
    postal_code: str = ""


@dataclass(frozen=True, slots=True)
class DocumentInput:
    """A document as sent; ``number`` may contain spaces and hyphens."""

    type: str
    number: str
    issue_date: str = ""
    expiry_date: str = ""
    issuer: str = ""


@dataclass(frozen=True, slots=True)
class RelativeInput:
    """A relative as sent."""

    relation: str
    last_name: str
    first_name: str
    middle_name: str = ""
    birth_date: str = ""


@dataclass(frozen=True, slots=True)
class NewClient:
    """A client registration as sent."""

    last_name: str
    first_name: str
    middle_name: str
    birth_date: str
    phone: str
    email: str = ""
    addresses: tuple[AddressInput, ...] = ()
    documents: tuple[DocumentInput, ...] = ()


@dataclass(frozen=True, slots=True)
class ContactsUpdate:
    """A change of contacts: ``None`` leaves a field alone; non-empty ``addresses`` replace all."""

    client_id: str
    phone: str | None = None
    email: str | None = None
    addresses: tuple[AddressInput, ...] = ()
