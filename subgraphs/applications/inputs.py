"""Input types of the applications subgraph and their conversion to request protos."""

from __future__ import annotations

import datetime

import strawberry

from resolvers.arguments import parse_id
from schema.protos import applications_pb2 as pb
from subgraphs.applications.types import ApplicationStatus, InsuredObjectKind
from subgraphs.common.scalars import Long

__all__ = [
    "ApplicationBatchInput",
    "ApplicationFilter",
    "ApplicationInput",
    "InsuredObjectInput",
    "VehicleInfoInput",
]


@strawberry.input
class InsuredObjectInput:
    kind: InsuredObjectKind
    description: str = ""


@strawberry.input(description="The vehicle of an OSAGO or KASKO application.")
class VehicleInfoInput:
    vin: str
    year: int
    engine_power_hp: int
    plate: str = ""
    make: str = ""
    model: str = ""

    def to_proto(self) -> pb.VehicleInfo:
        """The proto vehicle."""
        return pb.VehicleInfo(
            vin=self.vin,
            plate=self.plate,
            make=self.make,
            model=self.model,
            year=self.year,
            engine_power_hp=self.engine_power_hp,
        )


@strawberry.input(description="A new application. Money is in kopecks.")
class ApplicationInput:
    client_id: strawberry.ID
    product_id: strawberry.ID
    insured_object: InsuredObjectInput
    sum_insured_kopecks: Long
    term_months: int
    vehicle: VehicleInfoInput | None = None
    comment: str = ""
    submit: bool = strawberry.field(default=False, description="Create as SUBMITTED instead of DRAFT.")

    def to_proto(self, idempotency_key: str) -> pb.ApplicationInput:
        """The proto input (ids are checked by the backend, which names each bad field)."""
        return pb.ApplicationInput(
            idempotency_key=idempotency_key,
            client_id=self.client_id,
            product_id=self.product_id,
            insured_object=pb.InsuredObject(
                kind=self.insured_object.kind.value, description=self.insured_object.description
            ),
            sum_insured_kopecks=self.sum_insured_kopecks,
            term_months=self.term_months,
            vehicle=self.vehicle.to_proto() if self.vehicle is not None else None,
            comment=self.comment,
            submit=self.submit,
        )


@strawberry.input(description="One item of createApplications: an application and its own idempotency key.")
class ApplicationBatchInput:
    idempotency_key: str = strawberry.field(description="8..128 characters, unique per intended application.")
    application: ApplicationInput

    def to_proto(self) -> pb.ApplicationInput:
        """The proto input."""
        return self.application.to_proto(self.idempotency_key)


@strawberry.input(
    description="Which applications to list; every field is optional and they combine with AND."
)
class ApplicationFilter:
    applied_from: datetime.date | None = strawberry.field(default=None, description="Inclusive.")
    applied_to: datetime.date | None = strawberry.field(default=None, description="Inclusive.")
    status: list[ApplicationStatus] | None = strawberry.field(
        default=None, description="Any of these statuses; a single value is accepted too."
    )
    client_id: strawberry.ID | None = None
    product_id: strawberry.ID | None = None

    def to_proto(self) -> pb.ApplicationFilter:
        """The proto filter; malformed ids are BAD_USER_INPUT before any RPC."""
        return pb.ApplicationFilter(
            applied_from=self.applied_from.isoformat() if self.applied_from else "",
            applied_to=self.applied_to.isoformat() if self.applied_to else "",
            statuses=[status.to_proto() for status in self.status or []],
            client_id=parse_id(self.client_id, "filter.clientId") if self.client_id else "",
            product_id=parse_id(self.product_id, "filter.productId") if self.product_id else "",
        )
