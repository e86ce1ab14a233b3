"""The client card as the domain hands it out: frozen records, independent of SQL and protobuf.

Repositories build these from rows; the servicer turns them into proto messages. Dates are
``datetime.date``; enum-valued fields use the ``StrEnum`` classes below, whose values are the
proto enum names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from services.client_info.documents import DocumentType

__all__ = [
    "Address",
    "AddressKind",
    "ClientCard",
    "Document",
    "Employment",
    "Health",
    "Marketing",
    "RelationType",
    "Relative",
    "Vehicle",
]


class AddressKind(StrEnum):
    """What an address is used for (proto ``AddressKind``)."""

    REGISTRATION = "REGISTRATION"
    RESIDENCE = "RESIDENCE"
    MAILING = "MAILING"


class RelationType(StrEnum):
    """How a relative is related to the client (proto ``RelationType``)."""

    SPOUSE = "SPOUSE"
    CHILD = "CHILD"
    PARENT = "PARENT"
    SIBLING = "SIBLING"
    OTHER = "OTHER"


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address; ``kind`` is unique per client."""

    kind: AddressKind
    region: str
    city: str
    street: str = ""
    house: str = ""
    apartment: str = ""
    postal_code: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    """An identity document; ``number`` holds digits only."""

    id: str
    type: DocumentType
    number: str
    issue_date: date | None = None
    expiry_date: date | None = None
    issuer: str = ""


@dataclass(frozen=True, slots=True)
class Relative:
    """A relative of the client."""

    id: str
    relation: RelationType
    last_name: str
    first_name: str
    middle_name: str
    birth_date: date


@dataclass(frozen=True, slots=True)
class Vehicle:
    """A vehicle the client owns."""

    id: str
    vin: str
    plate: str
    make: str
    model: str
    year: int
    engine_power_hp: int


@dataclass(frozen=True, slots=True)
class Employment:
    """Where the client works and what they earn (underwriting of life and loan-linked cover)."""

    employer: str = ""
    position: str = ""
    monthly_income_kopecks: int = 0
    experience_years: int = 0


@dataclass(frozen=True, slots=True)
class Health:
    """The health declaration used by life insurance."""

    height_cm: int = 0
    weight_kg: int = 0
    smoker: bool = False
    chronic_diseases: bool = False


@dataclass(frozen=True, slots=True)
class Marketing:
    """Communication consents and the segment marketing assigned."""

    consent_sms: bool = False
    consent_email: bool = False
    segment: str = ""
    acquisition_channel: str = ""


@dataclass(frozen=True, slots=True)
class ClientCard:
    """One client with everything the card shows."""

    id: str
    last_name: str
    first_name: str
    middle_name: str
    birth_date: date
    phone: str
    email: str
    created_at: datetime
    updated_at: datetime
    addresses: tuple[Address, ...] = ()
    documents: tuple[Document, ...] = ()
    relatives: tuple[Relative, ...] = ()
    vehicles: tuple[Vehicle, ...] = ()
    employment: Employment | None = None
    health: Health | None = None
    marketing: Marketing | None = None
