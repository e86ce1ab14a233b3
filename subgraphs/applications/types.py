# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is typed as returning Any; the resolvers stay annotated.)
"""The GraphQL types of the applications subgraph, built from ``applications`` protos.

``Application`` is this subgraph's entity. ``Client`` is client_info's entity, to which this
subgraph contributes ``Client.applications``; ``Product`` is core_app's entity, referenced by
id only (``resolvable: false``: this subgraph cannot resolve a Product representation).

``Application.client`` and ``Application.product`` are nullable on purpose: they point into
other services, which no transaction here can keep in step. When one cannot be resolved, that
field alone is null, with a NOT_FOUND error at its path, and the rest of a list is unharmed
(``docs/decisions/0015-nullability-of-references.md``).
"""

from __future__ import annotations

import datetime
import enum

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet
from strawberry.types import Info

from grpc_clients.errors import NotFoundError
from resolvers.applications import ApplicationsLoaders
from resolvers.arguments import require_limit
from resolvers.context import RequestContext
from resolvers.convert import optional_str, optional_timestamp
from resolvers.selection import field_names
from schema.protos import applications_pb2 as pb
from subgraphs.common.types import Money

__all__ = [
    "Application",
    "ApplicationStatus",
    "Client",
    "InsuredObject",
    "InsuredObjectKind",
    "Product",
    "StatusChange",
    "VehicleInfo",
]

MAX_APPLICATIONS_PER_CLIENT = 100


@strawberry.enum(description="The state of an application; CANCELLED, REJECTED and COMPLETED are final.")
class ApplicationStatus(enum.Enum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    PROCESSING = "PROCESSING"
    OFFERED = "OFFERED"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    CANCELLED = "CANCELLED"
    COMPLETED = "COMPLETED"

    @classmethod
    def from_proto(cls, value: int) -> ApplicationStatus:
        """The GraphQL status of a proto status."""
        return _STATUSES[value]

    def to_proto(self) -> pb.ApplicationStatus.ValueType:
        """The proto status."""
        return pb.ApplicationStatus.Value(self.name)


_STATUSES: dict[int, ApplicationStatus] = {
    pb.ApplicationStatus.Value(status.name): status for status in ApplicationStatus
}
"""Statuses by proto number: a dict look-up, not a descriptor search, per application of a list."""


@strawberry.enum(description="What is insured.")
class InsuredObjectKind(enum.Enum):
    PERSON = "person"
    VEHICLE = "vehicle"
    PROPERTY = "property"
    TRIP = "trip"


@strawberry.type(description="One step of an application's status history.")
class StatusChange:
    status: ApplicationStatus
    at: datetime.datetime | None
    reason: str | None

    @classmethod
    def from_proto(cls, message: pb.StatusChange) -> StatusChange:
        """The GraphQL step of a proto step."""
        return cls(
            status=ApplicationStatus.from_proto(message.status),
            at=optional_timestamp(message.at),
            reason=optional_str(message.reason),
        )


@strawberry.type
class InsuredObject:
    kind: InsuredObjectKind
    description: str | None


@strawberry.type(description="The vehicle of an OSAGO or KASKO application.")
class VehicleInfo:
    vin: str
    plate: str | None
    make: str | None
    model: str | None
    year: int | None
    engine_power_hp: int | None

    @classmethod
    def from_proto(cls, message: pb.VehicleInfo) -> VehicleInfo:
        """The GraphQL vehicle of a proto vehicle."""
        return cls(
            vin=message.vin,
            plate=optional_str(message.plate),
            make=optional_str(message.make),
            model=optional_str(message.model),
            year=message.year or None,
            engine_power_hp=message.engine_power_hp or None,
        )


@strawberry.federation.type(
    keys=[Key(fields=FieldSet("id"), resolvable=False)], description="An insurance product."
)
class Product:
    id: strawberry.ID


def _selects_history(info: Info[RequestContext[ApplicationsLoaders], None]) -> bool:
    """Whether ``statusHistory`` is selected under the current field (memoized per request).

    Every client of a list runs this resolver with the same selection; the response path
    without list indices identifies it (fields merged under one response key share one
    selection set).
    """
    key = ("selects_history", *(part for part in info.path.as_list() if isinstance(part, str)))
    memo = info.context.memo
    if key not in memo:
        memo[key] = any(
            name == "statusHistory"
            for field in info.selected_fields
            for name in field_names(field.selections)
        )
    selected: bool = memo[key]
    return selected


@strawberry.federation.type(keys=["id"], description="A client card (the insured person or policyholder).")
class Client:
    id: strawberry.ID

    @strawberry.field(description="The client's applications, newest first (at most 100).")
    async def applications(
        self, info: Info[RequestContext[ApplicationsLoaders], None], first: int = 20
    ) -> list[Application]:
        require_limit(first, "first", maximum=MAX_APPLICATIONS_PER_CLIENT)
        loader = info.context.loaders.applications_by_client(first)
        messages = await loader.load(str(self.id), with_history=_selects_history(info))
        return [Application.from_proto(message) for message in messages or []]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Client:
        """A client representation needs no backend call: only its id is used here."""
        return cls(id=id)


@strawberry.federation.type(keys=["id"], description="An insurance application ('заявка').")
class Application:
    id: strawberry.ID
    number: str = strawberry.field(description="Human-readable number, e.g. 'APP-2025-000123'.")
    client: Client | None = strawberry.field(
        description="The client; null (with a NOT_FOUND error) when client_info does not know it."
    )
    product: Product | None = strawberry.field(
        description="The product; null (with a NOT_FOUND error) when core_app does not know it."
    )
    status: ApplicationStatus
    status_history: list[StatusChange]
    applied_at: datetime.datetime | None
    updated_at: datetime.datetime | None
    insured_object: InsuredObject | None
    sum_insured: Money
    term_months: int
    vehicle: VehicleInfo | None
    comment: str | None
    cancellation_reason: str | None

    @classmethod
    async def resolve_reference(
        cls, info: Info[RequestContext[ApplicationsLoaders], None], id: strawberry.ID
    ) -> Application | None:
        """Resolve a representation through the per-request loader (one ``BatchGetApplications``).

        An unknown id — or one of another partner's applications — is a NOT_FOUND error at the
        representation's path, so the gateway puts it where the reference was.
        """
        message = await info.context.loaders.applications.load(str(id))
        if message is None:
            raise NotFoundError(f"No application has id {str(id)!r}.")
        return cls.from_proto(message)

    @classmethod
    def from_proto(cls, message: pb.Application) -> Application:
        """The GraphQL application of a proto application."""
        insured = message.insured_object
        return cls(
            id=strawberry.ID(message.id),
            number=message.number,
            client=Client(id=strawberry.ID(message.client_id)),
            product=Product(id=strawberry.ID(message.product_id)),
            status=ApplicationStatus.from_proto(message.status),
            status_history=[StatusChange.from_proto(step) for step in message.status_history],
            applied_at=optional_timestamp(message.applied_at),
            updated_at=optional_timestamp(message.updated_at),
            insured_object=InsuredObject(
                kind=InsuredObjectKind(insured.kind), description=optional_str(insured.description)
            )
            if message.HasField("insured_object") and insured.kind
            else None,
            sum_insured=Money.from_kopecks(message.sum_insured_kopecks),
            term_months=message.term_months,
            vehicle=VehicleInfo.from_proto(message.vehicle) if message.HasField("vehicle") else None,
            comment=optional_str(message.comment),
            cancellation_reason=optional_str(message.cancellation_reason),
        )
