# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is typed as returning Any; the resolvers stay annotated.)
"""The GraphQL types of the client card, built from ``client_info`` protos.

``Client`` is the federation entity (``@key(fields: "id")``); everything else is a value type
owned by this subgraph. The long tail of profile attributes is grouped into typed sections
under ``Client.profile`` so a consumer selects only the sections it needs.
"""

from __future__ import annotations

import datetime
import enum

import strawberry
from strawberry.types import Info

from grpc_clients.errors import NotFoundError
from resolvers.client_info import ClientInfoLoaders
from resolvers.context import RequestContext
from resolvers.convert import age_on, optional_date, optional_str, optional_timestamp
from schema.protos import client_info_pb2 as pb
from subgraphs.client_info.selection import card_sections
from subgraphs.common.types import Money

__all__ = [
    "Address",
    "AddressKind",
    "Client",
    "ClientProfile",
    "Document",
    "DocumentType",
    "Employment",
    "Health",
    "Marketing",
    "RelationType",
    "Relative",
    "Vehicle",
    "full_name",
]


@strawberry.enum(description="Kinds of identity documents.")
class DocumentType(enum.Enum):
    PASSPORT_RF = "PASSPORT_RF"
    DRIVER_LICENSE = "DRIVER_LICENSE"
    SNILS = "SNILS"
    INN = "INN"
    FOREIGN_PASSPORT = "FOREIGN_PASSPORT"


@strawberry.enum(description="How a relative is related to the client.")
class RelationType(enum.Enum):
    SPOUSE = "SPOUSE"
    CHILD = "CHILD"
    PARENT = "PARENT"
    SIBLING = "SIBLING"
    OTHER = "OTHER"


@strawberry.enum(description="What an address is used for.")
class AddressKind(enum.Enum):
    REGISTRATION = "REGISTRATION"
    RESIDENCE = "RESIDENCE"
    MAILING = "MAILING"


def full_name(last: str, first: str, middle: str) -> str:
    """ФИО in the Russian order: last, first, middle (when present)."""
    return " ".join(part for part in (last, first, middle) if part)


@strawberry.type
class Address:
    kind: AddressKind
    region: str | None
    city: str | None
    street: str | None
    house: str | None
    apartment: str | None
    postal_code: str | None

    @classmethod
    def from_proto(cls, message: pb.Address) -> Address:
        """The GraphQL address of a proto address."""
        return cls(
            kind=AddressKind[pb.AddressKind.Name(message.kind)],
            region=optional_str(message.region),
            city=optional_str(message.city),
            street=optional_str(message.street),
            house=optional_str(message.house),
            apartment=optional_str(message.apartment),
            postal_code=optional_str(message.postal_code),
        )


@strawberry.type(description="An identity document; `number` is normalized to digits.")
class Document:
    id: strawberry.ID
    type: DocumentType
    number: str
    issue_date: datetime.date | None
    expiry_date: datetime.date | None = strawberry.field(
        description="Null when the document does not expire."
    )
    issuer: str | None

    @classmethod
    def from_proto(cls, message: pb.Document) -> Document:
        """The GraphQL document of a proto document."""
        return cls(
            id=strawberry.ID(message.id),
            type=DocumentType[pb.DocumentType.Name(message.type)],
            number=message.number,
            issue_date=optional_date(message.issue_date),
            expiry_date=optional_date(message.expiry_date),
            issuer=optional_str(message.issuer),
        )


@strawberry.type
class Relative:
    id: strawberry.ID
    relation: RelationType
    last_name: str
    first_name: str
    middle_name: str | None
    birth_date: datetime.date | None

    @strawberry.field(description="Last, first and middle name.")
    def full_name(self) -> str:
        return full_name(self.last_name, self.first_name, self.middle_name or "")

    @strawberry.field(description="Full years today; null when the birth date is unknown.")
    def age(self) -> int | None:
        return age_on(self.birth_date, datetime.date.today())

    @classmethod
    def from_proto(cls, message: pb.Relative) -> Relative:
        """The GraphQL relative of a proto relative."""
        return cls(
            id=strawberry.ID(message.id),
            relation=RelationType[pb.RelationType.Name(message.relation)],
            last_name=message.last_name,
            first_name=message.first_name,
            middle_name=optional_str(message.middle_name),
            birth_date=optional_date(message.birth_date),
        )


@strawberry.type(description="A vehicle of the client (for OSAGO and KASKO).")
class Vehicle:
    id: strawberry.ID
    vin: str | None
    plate: str | None
    make: str
    model: str
    year: int | None
    engine_power_hp: int | None

    @classmethod
    def from_proto(cls, message: pb.Vehicle) -> Vehicle:
        """The GraphQL vehicle of a proto vehicle."""
        return cls(
            id=strawberry.ID(message.id),
            vin=optional_str(message.vin),
            plate=optional_str(message.plate),
            make=message.make,
            model=message.model,
            year=message.year or None,
            engine_power_hp=message.engine_power_hp or None,
        )


@strawberry.type(description="Employment section of the profile.")
class Employment:
    employer: str | None
    position: str | None
    monthly_income: Money | None
    experience_years: int | None

    @classmethod
    def from_proto(cls, message: pb.Employment) -> Employment:
        """The GraphQL section of the proto section."""
        return cls(
            employer=optional_str(message.employer),
            position=optional_str(message.position),
            monthly_income=Money.from_kopecks(message.monthly_income_kopecks)
            if message.monthly_income_kopecks
            else None,
            experience_years=message.experience_years,
        )


@strawberry.type(description="Health section of the profile (life insurance underwriting).")
class Health:
    height_cm: int | None
    weight_kg: int | None
    smoker: bool
    chronic_diseases: bool

    @classmethod
    def from_proto(cls, message: pb.Health) -> Health:
        """The GraphQL section of the proto section."""
        return cls(
            height_cm=message.height_cm or None,
            weight_kg=message.weight_kg or None,
            smoker=message.smoker,
            chronic_diseases=message.chronic_diseases,
        )


@strawberry.type(description="Marketing section of the profile: consents and segment.")
class Marketing:
    consent_sms: bool
    consent_email: bool
    segment: str | None
    acquisition_channel: str | None

    @classmethod
    def from_proto(cls, message: pb.Marketing) -> Marketing:
        """The GraphQL section of the proto section."""
        return cls(
            consent_sms=message.consent_sms,
            consent_email=message.consent_email,
            segment=optional_str(message.segment),
            acquisition_channel=optional_str(message.acquisition_channel),
        )


@strawberry.type(description="The long tail of client attributes, in sections; each is null when unknown.")
class ClientProfile:
    employment: Employment | None
    health: Health | None
    marketing: Marketing | None

    @classmethod
    def from_proto(cls, message: pb.Client) -> ClientProfile:
        """The profile sections present in a proto client."""
        return cls(
            employment=Employment.from_proto(message.employment) if message.HasField("employment") else None,
            health=Health.from_proto(message.health) if message.HasField("health") else None,
            marketing=Marketing.from_proto(message.marketing) if message.HasField("marketing") else None,
        )


@strawberry.federation.type(keys=["id"], description="A client card (the insured person or policyholder).")
class Client:
    id: strawberry.ID
    last_name: str
    first_name: str
    middle_name: str | None
    birth_date: datetime.date | None
    phone: str | None = strawberry.field(description="E.164, e.g. '+79161234567'.")
    email: str | None
    addresses: list[Address]
    documents: list[Document]
    relatives: list[Relative]
    vehicles: list[Vehicle]
    profile: ClientProfile
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None
    # PORT_NOTE: computed when the proto is converted, not by resolver methods: a resolver
    # costs an Info object and an extension call per client (1,000 in a list), the string join
    # and the subtraction cost far less, whether or not they are selected.
    full_name: str = strawberry.field(description="ФИО: last, first and middle name.")
    age: int | None = strawberry.field(description="Full years today; null when the birth date is unknown.")

    @classmethod
    async def resolve_reference(
        cls, info: Info[RequestContext[ClientInfoLoaders], None], id: strawberry.ID
    ) -> Client | None:
        """Resolve an entity representation through the per-request loader (one batch RPC).

        An unknown id is a NOT_FOUND error at the representation's path (the gateway moves it to
        the field that referenced the client), never a silent null.
        """
        message = await info.context.loaders.clients.load(str(id), card_sections(info))
        if message is None:
            raise NotFoundError(f"No client has id {str(id)!r}.")
        return cls.from_proto(message)

    @classmethod
    def from_proto(cls, message: pb.Client) -> Client:
        """The GraphQL client of a proto client."""
        birth_date = optional_date(message.birth_date)
        return cls(
            id=strawberry.ID(message.id),
            last_name=message.last_name,
            first_name=message.first_name,
            middle_name=optional_str(message.middle_name),
            birth_date=birth_date,
            phone=optional_str(message.phone),
            email=optional_str(message.email),
            addresses=[Address.from_proto(item) for item in message.addresses],
            documents=[Document.from_proto(item) for item in message.documents],
            relatives=[Relative.from_proto(item) for item in message.relatives],
            vehicles=[Vehicle.from_proto(item) for item in message.vehicles],
            profile=ClientProfile.from_proto(message),
            created_at=optional_timestamp(message.created_at),
            updated_at=optional_timestamp(message.updated_at),
            full_name=full_name(message.last_name, message.first_name, message.middle_name),
            age=age_on(birth_date, datetime.date.today()),
        )
