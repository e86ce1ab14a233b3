"""Input types of the client_info mutations and their conversion to request protos."""

from __future__ import annotations

import datetime

import strawberry

from schema.protos import client_info_pb2 as pb
from subgraphs.client_info.types import AddressKind, DocumentType, RelationType

__all__ = [
    "AddressInput",
    "DocumentInput",
    "RegisterClientInput",
    "RelativeInput",
    "UpdateClientContactsInput",
]


def _iso(value: datetime.date | None) -> str:
    return "" if value is None else value.isoformat()


@strawberry.input
class AddressInput:
    kind: AddressKind
    region: str = ""
    city: str = ""
    street: str = ""
    house: str = ""
    apartment: str = ""
    postal_code: str = ""

    def to_proto(self) -> pb.Address:
        """The proto address."""
        return pb.Address(
            kind=pb.AddressKind.Value(self.kind.name),
            region=self.region,
            city=self.city,
            street=self.street,
            house=self.house,
            apartment=self.apartment,
            postal_code=self.postal_code,
        )


@strawberry.input(description="A document; `number` may contain spaces and hyphens.")
class DocumentInput:
    type: DocumentType
    number: str
    issue_date: datetime.date
    expiry_date: datetime.date | None = None
    issuer: str = ""

    def to_proto(self) -> pb.Document:
        """The proto document."""
        return pb.Document(
            type=pb.DocumentType.Value(self.type.name),
            number=self.number,
            issue_date=_iso(self.issue_date),
            expiry_date=_iso(self.expiry_date),
            issuer=self.issuer,
        )


@strawberry.input
class RelativeInput:
    relation: RelationType
    last_name: str
    first_name: str
    middle_name: str = ""
    birth_date: datetime.date | None = None

    def to_proto(self) -> pb.Relative:
        """The proto relative."""
        return pb.Relative(
            relation=pb.RelationType.Value(self.relation.name),
            last_name=self.last_name,
            first_name=self.first_name,
            middle_name=self.middle_name,
            birth_date=_iso(self.birth_date),
        )


@strawberry.input(description="A new client card. Phone in E.164; the birth date must not be in the future.")
class RegisterClientInput:
    last_name: str
    first_name: str
    birth_date: datetime.date
    phone: str
    middle_name: str = ""
    email: str = ""
    addresses: list[AddressInput] = strawberry.field(default_factory=list)
    documents: list[DocumentInput] = strawberry.field(default_factory=list)

    def to_proto(self) -> pb.RegisterClientRequest:
        """The proto request."""
        return pb.RegisterClientRequest(
            last_name=self.last_name,
            first_name=self.first_name,
            middle_name=self.middle_name,
            birth_date=self.birth_date.isoformat(),
            phone=self.phone,
            email=self.email,
            addresses=[item.to_proto() for item in self.addresses],
            documents=[item.to_proto() for item in self.documents],
        )


@strawberry.input(description="Contacts to change; omitted fields stay as they are.")
class UpdateClientContactsInput:
    client_id: strawberry.ID
    phone: str | None = None
    email: str | None = None
    addresses: list[AddressInput] | None = strawberry.field(
        default=None, description="Replaces all addresses when given and non-empty."
    )

    def to_proto(self, client_id: str) -> pb.UpdateContactsRequest:
        """The proto request for the (already validated) ``client_id``."""
        request = pb.UpdateContactsRequest(
            client_id=client_id, addresses=[item.to_proto() for item in self.addresses or []]
        )
        if self.phone is not None:
            request.phone = self.phone
        if self.email is not None:
            request.email = self.email
        return request
