# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is typed as returning Any; the resolvers stay annotated.)
"""The GraphQL types of the core_app subgraph, built from ``core_app`` protos.

Entities owned here: ``Product``, ``Insurer``, ``Policy``. ``Client`` (client_info) and
``Application`` (applications) appear as entity stubs keyed by id, to which this subgraph
contributes ``Client.policies``, ``Application.offers`` and ``Application.policy``. Every
nested read goes through a per-request loader, so a list of N policies with product and
insurer costs one batch RPC per level.
"""

from __future__ import annotations

import datetime
import enum

import strawberry
from strawberry.types import Info

from grpc_clients.errors import InternalError, NotFoundError
from resolvers.context import RequestContext
from resolvers.convert import optional_date, optional_str, optional_timestamp
from resolvers.core_app import CoreAppLoaders
from schema.protos import core_app_pb2 as pb
from subgraphs.common.types import Money

__all__ = [
    "Application",
    "Client",
    "Insurer",
    "Offer",
    "OfferStatus",
    "Policy",
    "PolicyStatus",
    "Product",
    "ProductKind",
    "QuoteSession",
    "Tariff",
]

CoreInfo = Info[RequestContext[CoreAppLoaders], None]


@strawberry.enum(description="Lines of insurance.")
class ProductKind(enum.Enum):
    LIFE = "LIFE"
    OSAGO = "OSAGO"
    KASKO = "KASKO"
    TRAVEL = "TRAVEL"
    PROPERTY = "PROPERTY"


@strawberry.enum
class PolicyStatus(enum.Enum):
    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"
    TERMINATED = "TERMINATED"


@strawberry.enum(description="Where an insurer's answer to a quote request stands.")
class OfferStatus(enum.Enum):
    PENDING = "PENDING"
    OFFERED = "OFFERED"
    DECLINED = "DECLINED"
    TIMED_OUT = "TIMED_OUT"
    FAILED = "FAILED"
    ACCEPTED = "ACCEPTED"


@strawberry.federation.type(keys=["id"], description="An insurance product.")
class Product:
    id: strawberry.ID
    code: str = strawberry.field(description="Stable code, e.g. 'OSAGO-STD'.")
    name: str
    kind: ProductKind
    description: str | None
    active: bool

    @classmethod
    async def resolve_reference(cls, info: CoreInfo, id: strawberry.ID) -> Product | None:
        """Resolve a representation through the per-request loader (one ``BatchGetProducts``)."""
        message = await info.context.loaders.products.load(str(id))
        if message is None:
            raise NotFoundError(f"No product has id {str(id)!r}.")
        return cls.from_proto(message)

    @classmethod
    def from_proto(cls, message: pb.Product) -> Product:
        """The GraphQL product of a proto product."""
        return cls(
            id=strawberry.ID(message.id),
            code=message.code,
            name=message.name,
            kind=ProductKind[pb.ProductKind.Name(message.kind)],
            description=optional_str(message.description),
            active=message.active,
        )


@strawberry.federation.type(keys=["id"], description="An insurance company integrated with the marketplace.")
class Insurer:
    id: strawberry.ID
    name: str
    license_number: str
    rating: float = strawberry.field(description="0..5.")
    active: bool

    @classmethod
    async def resolve_reference(cls, info: CoreInfo, id: strawberry.ID) -> Insurer | None:
        """Resolve a representation through the per-request loader (one ``BatchGetInsurers``)."""
        message = await info.context.loaders.insurers.load(str(id))
        if message is None:
            raise NotFoundError(f"No insurer has id {str(id)!r}.")
        return cls.from_proto(message)

    @classmethod
    def from_proto(cls, message: pb.Insurer) -> Insurer:
        """The GraphQL insurer of a proto insurer."""
        return cls(
            id=strawberry.ID(message.id),
            name=message.name,
            license_number=message.license_number,
            rating=message.rating,
            active=message.active,
        )


async def _product(info: CoreInfo, product_id: str) -> Product:
    message = await info.context.loaders.products.load(product_id)
    if message is None:
        raise InternalError(f"Product {product_id!r} is referenced but missing in core_app.")
    return Product.from_proto(message)


async def _insurer(info: CoreInfo, insurer_id: str) -> Insurer:
    message = await info.context.loaders.insurers.load(insurer_id)
    if message is None:
        raise InternalError(f"Insurer {insurer_id!r} is referenced but missing in core_app.")
    return Insurer.from_proto(message)


@strawberry.type(description="A price rule of one product at one insurer, valid for a period.")
class Tariff:
    id: strawberry.ID
    product_id: strawberry.Private[str]
    insurer_id: strawberry.Private[str]
    base_premium: Money
    rate_percent: float = strawberry.field(description="Percent of the sum insured, per year.")
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    refreshed_at: datetime.datetime | None

    @strawberry.field
    async def product(self, info: CoreInfo) -> Product:
        return await _product(info, self.product_id)

    @strawberry.field
    async def insurer(self, info: CoreInfo) -> Insurer:
        return await _insurer(info, self.insurer_id)

    @classmethod
    def from_proto(cls, message: pb.Tariff) -> Tariff:
        """The GraphQL tariff of a proto tariff."""
        return cls(
            id=strawberry.ID(message.id),
            product_id=message.product_id,
            insurer_id=message.insurer_id,
            base_premium=Money.from_kopecks(message.base_premium_kopecks),
            rate_percent=message.rate_percent,
            valid_from=optional_date(message.valid_from),
            valid_to=optional_date(message.valid_to),
            refreshed_at=optional_timestamp(message.refreshed_at),
        )


@strawberry.federation.type(keys=["id"], description="A client card (the insured person or policyholder).")
class Client:
    id: strawberry.ID

    @strawberry.field(description="The client's policies.")
    async def policies(self, info: CoreInfo) -> list[Policy]:
        messages = await info.context.loaders.policies_by_client.load(str(self.id))
        return [Policy.from_proto(message) for message in messages or []]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Client:
        """Only the id is needed here; the policies load lazily and in batches."""
        return cls(id=id)


@strawberry.federation.type(keys=["id"], description="An insurance application ('заявка').")
class Application:
    id: strawberry.ID

    @strawberry.field(description="Offers from insurers for this application (OSAGO quotes).")
    async def offers(self, info: CoreInfo) -> list[Offer]:
        messages = await info.context.loaders.offers_by_application.load(str(self.id))
        return [Offer.from_proto(message) for message in messages or []]

    @strawberry.field(description="The policy issued for this application, if any.")
    async def policy(self, info: CoreInfo) -> Policy | None:
        message = await info.context.loaders.policy_by_application.load(str(self.id))
        return None if message is None else Policy.from_proto(message)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Application:
        """Only the id is needed here; offers and policy load lazily and in batches."""
        return cls(id=id)


def _application(application_id: str) -> Application | None:
    return Application(id=strawberry.ID(application_id)) if application_id else None


@strawberry.federation.type(keys=["id"], description="An issued insurance policy.")
class Policy:
    id: strawberry.ID
    number: str
    client: Client | None = strawberry.field(
        description="The policyholder; null (with a NOT_FOUND error) when client_info does not know it."
    )
    application: Application | None
    product_id: strawberry.Private[str]
    insurer_id: strawberry.Private[str]
    premium: Money
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    status: PolicyStatus
    issued_at: datetime.datetime | None

    @strawberry.field
    async def product(self, info: CoreInfo) -> Product:
        return await _product(info, self.product_id)

    @strawberry.field
    async def insurer(self, info: CoreInfo) -> Insurer:
        return await _insurer(info, self.insurer_id)

    @classmethod
    async def resolve_reference(cls, info: CoreInfo, id: strawberry.ID) -> Policy | None:
        """Resolve a representation through the per-request loader (one ``BatchGetPolicies``)."""
        message = await info.context.loaders.policies.load(str(id))
        if message is None:
            raise NotFoundError(f"No policy has id {str(id)!r}.")
        return cls.from_proto(message)

    @classmethod
    def from_proto(cls, message: pb.Policy) -> Policy:
        """The GraphQL policy of a proto policy."""
        return cls(
            id=strawberry.ID(message.id),
            number=message.number,
            client=Client(id=strawberry.ID(message.client_id)),
            application=_application(message.application_id),
            product_id=message.product_id,
            insurer_id=message.insurer_id,
            premium=Money.from_kopecks(message.premium_kopecks),
            valid_from=optional_date(message.valid_from),
            valid_to=optional_date(message.valid_to),
            status=PolicyStatus[pb.PolicyStatus.Name(message.status)],
            issued_at=optional_timestamp(message.issued_at),
        )


@strawberry.type(description="One insurer's answer to an OSAGO quote request.")
class Offer:
    id: strawberry.ID
    session_id: strawberry.ID
    application: Application | None
    product_id: strawberry.Private[str]
    insurer_id: strawberry.Private[str]
    status: OfferStatus
    premium: Money | None = strawberry.field(description="Set once the insurer has made an offer.")
    requested_at: datetime.datetime | None
    settled_at: datetime.datetime | None
    valid_until: datetime.datetime | None
    failure_reason: str | None

    @strawberry.field
    async def product(self, info: CoreInfo) -> Product:
        return await _product(info, self.product_id)

    @strawberry.field
    async def insurer(self, info: CoreInfo) -> Insurer:
        return await _insurer(info, self.insurer_id)

    @classmethod
    def from_proto(cls, message: pb.Offer) -> Offer:
        """The GraphQL offer of a proto offer."""
        return cls(
            id=strawberry.ID(message.id),
            session_id=strawberry.ID(message.session_id),
            application=_application(message.application_id),
            product_id=message.product_id,
            insurer_id=message.insurer_id,
            status=OfferStatus[pb.OfferStatus.Name(message.status)],
            premium=Money.from_kopecks(message.premium_kopecks) if message.premium_kopecks else None,
            requested_at=optional_timestamp(message.requested_at),
            settled_at=optional_timestamp(message.settled_at),
            valid_until=optional_timestamp(message.valid_until),
            failure_reason=optional_str(message.failure_reason),
        )


@strawberry.type(description="An OSAGO quote request sent to every insurer; offers fill in as they arrive.")
class QuoteSession:
    id: strawberry.ID
    application: Application | None
    offers: list[Offer]
    complete: bool = strawberry.field(description="True once every insurer has settled.")

    @classmethod
    def from_proto(cls, message: pb.QuoteSession) -> QuoteSession:
        """The GraphQL session of a proto session."""
        return cls(
            id=strawberry.ID(message.id),
            application=_application(message.application_id),
            offers=[Offer.from_proto(offer) for offer in message.offers],
            complete=message.complete,
        )
