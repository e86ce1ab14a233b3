# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is typed as returning Any; the resolvers stay annotated.)
"""The core_app subgraph: catalogue (products, insurers, tariffs), policies and OSAGO quotes.

``osagoOffers(sessionId)`` is a subscription (graphql-transport-ws) backed by the
``WatchQuoteSession`` server stream: each offer is pushed the moment its insurer settles.
``quoteSession(id)`` returns what has arrived so far, for clients that poll.
"""

from __future__ import annotations

import datetime
from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from grpc_clients.core_app import CoreAppClient
from grpc_clients.errors import InvalidArgumentError, NotFoundError
from resolvers.arguments import parse_id, rename_violations
from resolvers.context import RequestContext
from resolvers.core_app import CoreAppLoaders
from schema.protos import core_app_pb2 as pb
from subgraphs.common.schema import SubgraphSchema
from subgraphs.core_app.types import (
    Application,
    Client,
    Insurer,
    Offer,
    Policy,
    Product,
    ProductKind,
    QuoteSession,
    Tariff,
)

__all__ = ["Mutation", "OsagoQuoteInput", "Query", "Subscription", "schema"]

CoreInfo = Info[RequestContext[CoreAppLoaders], None]


@strawberry.input(description="What insurers need to price OSAGO for an application.")
class OsagoQuoteInput:
    application_id: strawberry.ID
    client_id: strawberry.ID
    engine_power_hp: int
    region: str
    driver_age: int
    driver_experience_years: int

    def to_proto(self) -> pb.RequestOsagoQuotesRequest:
        """The proto request; malformed ids are BAD_USER_INPUT before any RPC."""
        return pb.RequestOsagoQuotesRequest(
            application_id=parse_id(self.application_id, "input.applicationId"),
            client_id=parse_id(self.client_id, "input.clientId"),
            engine_power_hp=self.engine_power_hp,
            region=self.region,
            driver_age=self.driver_age,
            driver_experience_years=self.driver_experience_years,
        )


@strawberry.type
class Query:
    @strawberry.field(description="Products, optionally of one kind.")
    async def products(
        self, info: CoreInfo, kind: ProductKind | None = None, include_inactive: bool = False
    ) -> list[Product]:
        proto_kind = pb.ProductKind.Value(kind.name) if kind else pb.PRODUCT_KIND_UNSPECIFIED
        messages = await info.context.loaders.backend.list_products(
            proto_kind, include_inactive=include_inactive
        )
        return [Product.from_proto(message) for message in messages]

    @strawberry.field(description="One product; a NOT_FOUND error when the id is unknown.")
    async def product(self, info: CoreInfo, id: strawberry.ID) -> Product | None:
        product_id = parse_id(id, "id")
        message = await info.context.loaders.products.load(product_id)
        if message is None:
            raise NotFoundError(f"No product has id {product_id!r}; check the id.")
        return Product.from_proto(message)

    @strawberry.field(description="The integrated insurers.")
    async def insurers(self, info: CoreInfo, include_inactive: bool = False) -> list[Insurer]:
        messages = await info.context.loaders.backend.list_insurers(include_inactive=include_inactive)
        return [Insurer.from_proto(message) for message in messages]

    @strawberry.field(
        description="Tariffs valid on a date (default today), optionally of one product/insurer."
    )
    async def tariffs(
        self,
        info: CoreInfo,
        product_id: strawberry.ID | None = None,
        insurer_id: strawberry.ID | None = None,
        valid_on: datetime.date | None = None,
    ) -> list[Tariff]:
        messages = await info.context.loaders.backend.list_tariffs(
            parse_id(product_id, "productId") if product_id else "",
            parse_id(insurer_id, "insurerId") if insurer_id else "",
            valid_on.isoformat() if valid_on else "",
        )
        return [Tariff.from_proto(message) for message in messages]

    @strawberry.field(description="One policy; a NOT_FOUND error when the id is unknown.")
    async def policy(self, info: CoreInfo, id: strawberry.ID) -> Policy | None:
        policy_id = parse_id(id, "id")
        message = await info.context.loaders.policies.load(policy_id)
        if message is None:
            raise NotFoundError(f"No policy has id {policy_id!r}; check the id.")
        return Policy.from_proto(message)

    @strawberry.field(description="An OSAGO quote session with the offers that have arrived so far.")
    async def quote_session(self, info: CoreInfo, id: strawberry.ID) -> QuoteSession | None:
        message = await info.context.loaders.backend.get_quote_session(parse_id(id, "id"))
        return QuoteSession.from_proto(message)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Ask every insurer for an OSAGO offer; returns at once with pending offers."
    )
    async def request_osago_quotes(self, info: CoreInfo, input: OsagoQuoteInput) -> QuoteSession:
        request = input.to_proto()
        try:
            message = await info.context.loaders.backend.request_osago_quotes(request)
        except InvalidArgumentError as error:
            raise rename_violations(error, prefix="input") from error
        return QuoteSession.from_proto(message)

    @strawberry.mutation(description="Turn an OFFERED offer into a policy (idempotent per offer).")
    async def issue_policy(self, info: CoreInfo, offer_id: strawberry.ID, client_id: strawberry.ID) -> Policy:
        message = await info.context.loaders.backend.issue_policy(
            parse_id(offer_id, "offerId"), parse_id(client_id, "clientId")
        )
        return Policy.from_proto(message)


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Each offer of a quote session as its insurer settles; ends when all have."
    )
    async def osago_offers(self, info: CoreInfo, session_id: strawberry.ID) -> AsyncGenerator[Offer, None]:
        # The session is looked up before the stream starts, so an unknown session (or one of
        # another partner's applications) is a NOT_FOUND error of this field, at its path.
        backend = info.context.loaders.backend
        session = parse_id(session_id, "sessionId")
        await backend.get_quote_session(session)
        return _offers(backend, session)


async def _offers(backend: CoreAppClient, session_id: str) -> AsyncGenerator[Offer, None]:
    async for message in backend.watch_quote_session(session_id):
        yield Offer.from_proto(message)


schema = SubgraphSchema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    types=[Product, Insurer, Policy, Client, Application],
)
