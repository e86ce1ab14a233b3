"""Typed async client of ``insuretech.core_app.v1.CoreAppService``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import ClassVar

import grpc

from grpc_clients.base import BackendClient
from grpc_clients.channels import CORE_APP, BackendSpec
from grpc_clients.errors import from_rpc_error
from schema.protos import core_app_pb2 as pb
from schema.protos import core_app_pb2_grpc

__all__ = ["WATCH_TIMEOUT_SECONDS", "CoreAppClient"]

WATCH_TIMEOUT_SECONDS = 90.0
"""Deadline of a quote-session watch: insurers get 60 s each, plus margin."""


class CoreAppClient(BackendClient):
    """The core backend: products, insurers, tariffs, policies and OSAGO quotes."""

    spec: ClassVar[BackendSpec] = CORE_APP
    stub_type = core_app_pb2_grpc.CoreAppServiceStub

    async def list_products(
        self, kind: pb.ProductKind.ValueType = pb.PRODUCT_KIND_UNSPECIFIED, *, include_inactive: bool = False
    ) -> list[pb.Product]:
        """Products of one kind (UNSPECIFIED = all)."""
        request = pb.ListProductsRequest(kind=kind, include_inactive=include_inactive)
        return list((await self._unary("ListProducts", request, pb.ListProductsResponse)).products)

    async def batch_get_products(self, ids: Sequence[str]) -> pb.BatchGetProductsResponse:
        """Many products in one call; unknown ids come back in ``missing_ids``."""
        request = pb.BatchGetProductsRequest(ids=list(ids))
        return await self._unary("BatchGetProducts", request, pb.BatchGetProductsResponse)

    async def list_insurers(self, *, include_inactive: bool = False) -> list[pb.Insurer]:
        """The integrated insurers."""
        request = pb.ListInsurersRequest(include_inactive=include_inactive)
        return list((await self._unary("ListInsurers", request, pb.ListInsurersResponse)).insurers)

    async def batch_get_insurers(self, ids: Sequence[str]) -> pb.BatchGetInsurersResponse:
        """Many insurers in one call; unknown ids come back in ``missing_ids``."""
        request = pb.BatchGetInsurersRequest(ids=list(ids))
        return await self._unary("BatchGetInsurers", request, pb.BatchGetInsurersResponse)

    async def list_tariffs(
        self, product_id: str = "", insurer_id: str = "", valid_on: str = ""
    ) -> list[pb.Tariff]:
        """Tariffs valid on a date (empty = today), optionally of one product and/or insurer."""
        request = pb.ListTariffsRequest(product_id=product_id, insurer_id=insurer_id, valid_on=valid_on)
        return list((await self._unary("ListTariffs", request, pb.ListTariffsResponse)).tariffs)

    async def batch_get_policies(self, ids: Sequence[str]) -> pb.BatchGetPoliciesResponse:
        """Many policies in one call; unknown ids come back in ``missing_ids``."""
        request = pb.BatchGetPoliciesRequest(ids=list(ids))
        return await self._unary("BatchGetPolicies", request, pb.BatchGetPoliciesResponse)

    async def batch_list_policies_by_client(self, client_ids: Sequence[str]) -> list[pb.ClientPolicies]:
        """The policies of each client, in one call."""
        request = pb.BatchListPoliciesByClientRequest(client_ids=list(client_ids))
        response = await self._unary(
            "BatchListPoliciesByClient", request, pb.BatchListPoliciesByClientResponse
        )
        return list(response.results)

    async def batch_get_policies_by_application(self, application_ids: Sequence[str]) -> list[pb.Policy]:
        """The policy issued for each application that has one."""
        request = pb.BatchGetPoliciesByApplicationRequest(application_ids=list(application_ids))
        response = await self._unary(
            "BatchGetPoliciesByApplication", request, pb.BatchGetPoliciesByApplicationResponse
        )
        return list(response.policies)

    async def batch_list_offers_by_application(
        self, application_ids: Sequence[str]
    ) -> list[pb.ApplicationOffers]:
        """The offers of each application, in one call."""
        request = pb.BatchListOffersByApplicationRequest(application_ids=list(application_ids))
        response = await self._unary(
            "BatchListOffersByApplication", request, pb.BatchListOffersByApplicationResponse
        )
        return list(response.results)

    async def request_osago_quotes(self, request: pb.RequestOsagoQuotesRequest) -> pb.QuoteSession:
        """Start asking every insurer for an OSAGO offer; returns at once with pending offers."""
        return await self._unary("RequestOsagoQuotes", request, pb.QuoteSession)

    async def get_quote_session(self, session_id: str) -> pb.QuoteSession:
        """The offers that have arrived so far."""
        return await self._unary("GetQuoteSession", pb.GetQuoteSessionRequest(id=session_id), pb.QuoteSession)

    async def watch_quote_session(
        self, session_id: str, *, deadline: float = WATCH_TIMEOUT_SECONDS
    ) -> AsyncIterator[pb.Offer]:
        """Each offer as it settles; the stream ends when every insurer has settled."""
        call = self._stub.WatchQuoteSession(
            pb.GetQuoteSessionRequest(id=session_id), timeout=deadline, metadata=self._metadata
        )
        try:
            async for offer in call:
                yield offer
        except grpc.RpcError as exc:
            raise from_rpc_error(exc, service=self.spec.service_name, method="WatchQuoteSession") from exc
        finally:
            call.cancel()

    async def issue_policy(self, offer_id: str, client_id: str) -> pb.Policy:
        """Turn an OFFERED offer into a policy (idempotent per offer)."""
        request = pb.IssuePolicyRequest(offer_id=offer_id, client_id=client_id)
        return await self._unary("IssuePolicy", request, pb.Policy)
