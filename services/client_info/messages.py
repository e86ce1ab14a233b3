"""Conversion between ``client_info.proto`` messages and the domain's records and inputs.

Enum values cross the boundary by name: the domain validates names, so an unset enum arrives as
``'DOCUMENT_TYPE_UNSPECIFIED'`` and an unknown number as ``'7'``, and both become field
violations rather than exceptions here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date
from typing import Any

from schema.protos import client_info_pb2 as pb
from services.client_info.inputs import AddressInput, ContactsUpdate, DocumentInput, NewClient, RelativeInput
from services.client_info.records import (
    Address,
    ClientCard,
    Document,
    Employment,
    Health,
    Marketing,
    Relative,
    Vehicle,
)
from services.common.validation import timestamp_fields

__all__ = [
    "address_inputs",
    "card_to_proto",
    "contacts_update",
    "document_input",
    "new_client",
    "relative_input",
]


def card_to_proto(card: ClientCard) -> pb.Client:
    """The ``Client`` message of a card (unset profile sections stay unset).

    Children and instants are passed as dicts: the protobuf runtime builds the
    nested messages itself, which is about twice as fast as building each message in Python
    (a batch of 1,000 full cards is ~8,000 messages). Enum values are passed by name, which is
    what the domain's ``StrEnum`` values are. (The generated stubs type only messages, hence
    the untyped keyword dict.)
    """
    values: dict[str, Any] = {
        "id": card.id,
        "last_name": card.last_name,
        "first_name": card.first_name,
        "middle_name": card.middle_name,
        "birth_date": card.birth_date.isoformat(),
        "phone": card.phone,
        "email": card.email,
        "addresses": [_address(address) for address in card.addresses],
        "documents": [_document(document) for document in card.documents],
        "relatives": [_relative(relative) for relative in card.relatives],
        "vehicles": [_vehicle(vehicle) for vehicle in card.vehicles],
        "employment": _fields(card.employment),
        "health": _fields(card.health),
        "marketing": _fields(card.marketing),
        "created_at": timestamp_fields(card.created_at),
        "updated_at": timestamp_fields(card.updated_at),
    }
    return pb.Client(**values)


def new_client(request: pb.RegisterClientRequest) -> NewClient:
    """The registration a ``RegisterClientRequest`` asks for."""
    return NewClient(
        last_name=request.last_name,
        first_name=request.first_name,
        middle_name=request.middle_name,
        birth_date=request.birth_date,
        phone=request.phone,
        email=request.email,
        addresses=address_inputs(request.addresses),
        documents=tuple(document_input(document) for document in request.documents),
    )


def contacts_update(request: pb.UpdateContactsRequest) -> ContactsUpdate:
    """The change an ``UpdateContactsRequest`` asks for (absent optionals stay ``None``)."""
    return ContactsUpdate(
        client_id=request.client_id,
        phone=request.phone if request.HasField("phone") else None,
        email=request.email if request.HasField("email") else None,
        addresses=address_inputs(request.addresses),
    )


def address_inputs(addresses: Iterable[pb.Address]) -> tuple[AddressInput, ...]:
    """Raw addresses from messages."""
    return tuple(
        AddressInput(
            kind=_enum_name("AddressKind", a.kind),
            region=a.region,
            city=a.city,
            street=a.street,
            house=a.house,
            apartment=a.apartment,
            postal_code=a.postal_code,
        )
        for a in addresses
    )


def document_input(document: pb.Document) -> DocumentInput:
    """A raw document from a message (its id is ignored)."""
    return DocumentInput(
        type=_enum_name("DocumentType", document.type),
        number=document.number,
        issue_date=document.issue_date,
        expiry_date=document.expiry_date,
        issuer=document.issuer,
    )


def relative_input(relative: pb.Relative) -> RelativeInput:
    """A raw relative from a message (its id is ignored)."""
    return RelativeInput(
        relation=_enum_name("RelationType", relative.relation),
        last_name=relative.last_name,
        first_name=relative.first_name,
        middle_name=relative.middle_name,
        birth_date=relative.birth_date,
    )


def _enum_name(enum: str, value: int) -> str:
    member = pb.DESCRIPTOR.enum_types_by_name[enum].values_by_number.get(value)
    return str(value) if member is None else member.name


def _iso(value: date | None) -> str:
    return "" if value is None else value.isoformat()


_SECTION_FIELDS: dict[type[Any], tuple[str, ...]] = {
    cls: tuple(field.name for field in dataclasses.fields(cls)) for cls in (Employment, Health, Marketing)
}


def _fields(section: Employment | Health | Marketing | None) -> dict[str, Any] | None:
    if section is None:
        return None
    return {name: getattr(section, name) for name in _SECTION_FIELDS[type(section)]}


def _address(address: Address) -> dict[str, Any]:
    return {
        "kind": address.kind.value,
        "region": address.region,
        "city": address.city,
        "street": address.street,
        "house": address.house,
        "apartment": address.apartment,
        "postal_code": address.postal_code,
    }


def _document(document: Document) -> dict[str, Any]:
    return {
        "id": document.id,
        "type": document.type.value,
        "number": document.number,
        "issue_date": _iso(document.issue_date),
        "expiry_date": _iso(document.expiry_date),
        "issuer": document.issuer,
    }


def _relative(relative: Relative) -> dict[str, Any]:
    return {
        "id": relative.id,
        "relation": relative.relation.value,
        "last_name": relative.last_name,
        "first_name": relative.first_name,
        "middle_name": relative.middle_name,
        "birth_date": relative.birth_date.isoformat(),
    }


def _vehicle(vehicle: Vehicle) -> dict[str, Any]:
    return {
        "id": vehicle.id,
        "vin": vehicle.vin,
        "plate": vehicle.plate,
        "make": vehicle.make,
        "model": vehicle.model,
        "year": vehicle.year,
        "engine_power_hp": vehicle.engine_power_hp,
    }
