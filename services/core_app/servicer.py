"""The thin ``CoreAppService`` servicer: protobuf ↔ domain values, nothing else.

Domain errors propagate to ``ErrorInterceptor``, which turns them into gRPC statuses.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import date, datetime
from typing import Any, TypeAlias

import grpc

from schema.protos import core_app_pb2 as pb
from schema.protos import core_app_pb2_grpc as pb_grpc
from services.common.caller import caller_of
from services.common.db import Database
from services.common.validation import utcnow
from services.core_app import domain, repository
from services.core_app.applications_peer import ApplicationDirectory
from services.core_app.convert import (
    insurer_to_proto,
    offer_to_proto,
    policy_to_proto,
    product_kind_name,
    product_to_proto,
    session_to_proto,
    tariff_to_proto,
)
from services.core_app.osago import QuoteAggregator, load_session, parse_quote_input, watch_session

__all__ = ["CoreAppServicer"]

Context: TypeAlias = "grpc.aio.ServicerContext[Any, Any]"


class CoreAppServicer(pb_grpc.CoreAppServiceServicer):
    """Serves products, insurers, tariffs, policies and OSAGO quote sessions.

    Quote sessions and policy issuance act for the caller of the ``x-partner-id`` metadata: the
    application is read as that caller, so a partner reaches only its own.

    Args:
        database: the core_app database.
        aggregator: the OSAGO quote aggregator (owns the background insurer calls).
        applications: the applications service (checks the application of a quote or a policy).
        clock: the current instant (UTC); injectable for tests.
    """

    def __init__(
        self,
        database: Database,
        aggregator: QuoteAggregator,
        applications: ApplicationDirectory,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.database = database
        self.aggregator = aggregator
        self.applications = applications
        self._clock = clock

    def _today(self) -> date:
        return self._clock().date()

    async def ListProducts(
        self, request: pb.ListProductsRequest, context: Context
    ) -> pb.ListProductsResponse:
        """Products, optionally of one kind."""
        async with self.database.reader() as session:
            products = await repository.list_products(
                session, kind=product_kind_name(request.kind), include_inactive=request.include_inactive
            )
        return pb.ListProductsResponse(products=[product_to_proto(p) for p in products])

    async def BatchGetProducts(
        self, request: pb.BatchGetProductsRequest, context: Context
    ) -> pb.BatchGetProductsResponse:
        """Products by id (one query); unknown or malformed ids are listed as missing."""
        ids = domain.parse_batch_ids(request.ids, "ids")
        found, missing = await domain.batch_get_products(self.database, ids)
        return pb.BatchGetProductsResponse(products=[product_to_proto(p) for p in found], missing_ids=missing)

    async def ListInsurers(
        self, request: pb.ListInsurersRequest, context: Context
    ) -> pb.ListInsurersResponse:
        """Insurers, active ones unless ``include_inactive``."""
        async with self.database.reader() as session:
            insurers = await repository.list_insurers(session, include_inactive=request.include_inactive)
        return pb.ListInsurersResponse(insurers=[insurer_to_proto(i) for i in insurers])

    async def BatchGetInsurers(
        self, request: pb.BatchGetInsurersRequest, context: Context
    ) -> pb.BatchGetInsurersResponse:
        """Insurers by id (one query); unknown or malformed ids are listed as missing."""
        ids = domain.parse_batch_ids(request.ids, "ids")
        found, missing = await domain.batch_get_insurers(self.database, ids)
        return pb.BatchGetInsurersResponse(insurers=[insurer_to_proto(i) for i in found], missing_ids=missing)

    async def ListTariffs(self, request: pb.ListTariffsRequest, context: Context) -> pb.ListTariffsResponse:
        """Tariffs valid on a date (today by default), optionally of one product and/or insurer."""
        tariff_filter = domain.parse_tariff_filter(
            request.product_id, request.insurer_id, request.valid_on, today=self._clock().date()
        )
        tariffs = await domain.list_tariffs(self.database, tariff_filter)
        return pb.ListTariffsResponse(tariffs=[tariff_to_proto(t) for t in tariffs])

    async def BatchGetPolicies(
        self, request: pb.BatchGetPoliciesRequest, context: Context
    ) -> pb.BatchGetPoliciesResponse:
        """Policies by id (one query); unknown or malformed ids are listed as missing."""
        ids = domain.parse_batch_ids(request.ids, "ids")
        found, missing = await domain.batch_get_policies(self.database, ids)
        return pb.BatchGetPoliciesResponse(
            policies=[policy_to_proto(p, today=self._today()) for p in found], missing_ids=missing
        )

    async def BatchListPoliciesByClient(
        self, request: pb.BatchListPoliciesByClientRequest, context: Context
    ) -> pb.BatchListPoliciesByClientResponse:
        """Each requested client's policies (one query), in request order."""
        ids = domain.parse_batch_ids(request.client_ids, "client_ids")
        results = await domain.list_policies_by_clients(self.database, ids)
        return pb.BatchListPoliciesByClientResponse(
            results=[
                pb.ClientPolicies(
                    client_id=client_id, policies=[policy_to_proto(p, today=self._today()) for p in policies]
                )
                for client_id, policies in results
            ]
        )

    async def BatchGetPoliciesByApplication(
        self, request: pb.BatchGetPoliciesByApplicationRequest, context: Context
    ) -> pb.BatchGetPoliciesByApplicationResponse:
        """The policies issued for the requested applications (one query)."""
        ids = domain.parse_batch_ids(request.application_ids, "application_ids")
        policies = await domain.list_policies_by_applications(self.database, ids)
        return pb.BatchGetPoliciesByApplicationResponse(
            policies=[policy_to_proto(p, today=self._today()) for p in policies]
        )

    async def BatchListOffersByApplication(
        self, request: pb.BatchListOffersByApplicationRequest, context: Context
    ) -> pb.BatchListOffersByApplicationResponse:
        """Each requested application's offers (one query), in request order."""
        ids = domain.parse_batch_ids(request.application_ids, "application_ids")
        results = await domain.list_offers_by_applications(self.database, ids)
        return pb.BatchListOffersByApplicationResponse(
            results=[
                pb.ApplicationOffers(
                    application_id=application_id, offers=[offer_to_proto(o) for o in offers]
                )
                for application_id, offers in results
            ]
        )

    async def RequestOsagoQuotes(
        self, request: pb.RequestOsagoQuotesRequest, context: Context
    ) -> pb.QuoteSession:
        """Start a quote session for an OSAGO application of the caller; returns at once, offers PENDING."""
        quote = parse_quote_input(
            application_id=request.application_id,
            client_id=request.client_id,
            engine_power_hp=request.engine_power_hp,
            region=request.region,
            driver_age=request.driver_age,
            driver_experience_years=request.driver_experience_years,
        )
        application = await domain.check_quote_application(
            self.database, self.applications, quote, caller_of(context)
        )
        view = await self.aggregator.start_session(quote, owner=application.owner)
        return session_to_proto(view)

    async def GetQuoteSession(self, request: pb.GetQuoteSessionRequest, context: Context) -> pb.QuoteSession:
        """The session with every offer as it stands now."""
        session_id = domain.parse_required_id(request.id, "id")
        view = await load_session(
            self.database, session_id, self.aggregator.config, clock=self._clock, caller=caller_of(context)
        )
        return session_to_proto(view)

    async def WatchQuoteSession(
        self, request: pb.GetQuoteSessionRequest, context: Context
    ) -> AsyncIterator[pb.Offer]:
        """Stream each offer as it settles; ends when the session is complete."""
        session_id = domain.parse_required_id(request.id, "id")
        offers = watch_session(
            self.database,
            self.aggregator.hub,
            session_id,
            self.aggregator.config,
            clock=self._clock,
            caller=caller_of(context),
        )
        async for offer in offers:
            yield offer_to_proto(offer)

    async def IssuePolicy(self, request: pb.IssuePolicyRequest, context: Context) -> pb.Policy:
        """Turn an OFFERED offer into an ACTIVE policy (idempotent per offer)."""
        offer_id, client_id = domain.parse_issue_request(request.offer_id, request.client_id)
        policy = await domain.issue_policy(
            self.database,
            self.applications,
            offer_id,
            client_id,
            caller=caller_of(context),
            now=self._clock(),
        )
        return policy_to_proto(policy, today=self._today())
