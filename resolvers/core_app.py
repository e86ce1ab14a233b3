"""DataLoaders of the core_app subgraph: products, insurers, policies and offers.

Every loader issues one batch RPC per event-loop tick for all the keys requested in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grpc_clients.core_app import CoreAppClient
from resolvers.batching import BatchLoader
from schema.protos import core_app_pb2 as pb

__all__ = ["CoreAppLoaders"]


@dataclass(slots=True)
class CoreAppLoaders:
    """The per-request loaders of the core_app subgraph."""

    backend: CoreAppClient
    products: BatchLoader[str, pb.Product] = field(init=False)
    """Product by id: ``BatchGetProducts``."""
    insurers: BatchLoader[str, pb.Insurer] = field(init=False)
    """Insurer by id: ``BatchGetInsurers``."""
    policies: BatchLoader[str, pb.Policy] = field(init=False)
    """Policy by id: ``BatchGetPolicies``."""
    policies_by_client: BatchLoader[str, list[pb.Policy]] = field(init=False)
    """Policies of a client id: ``BatchListPoliciesByClient``."""
    policy_by_application: BatchLoader[str, pb.Policy] = field(init=False)
    """The policy issued for an application id: ``BatchGetPoliciesByApplication``."""
    offers_by_application: BatchLoader[str, list[pb.Offer]] = field(init=False)
    """Offers of an application id: ``BatchListOffersByApplication``."""

    def __post_init__(self) -> None:
        self.products = BatchLoader(self._fetch_products)
        self.insurers = BatchLoader(self._fetch_insurers)
        self.policies = BatchLoader(self._fetch_policies)
        self.policies_by_client = BatchLoader(self._fetch_policies_by_client)
        self.policy_by_application = BatchLoader(self._fetch_policy_by_application)
        self.offers_by_application = BatchLoader(self._fetch_offers_by_application)

    async def _fetch_products(self, ids: list[str]) -> dict[str, pb.Product]:
        return {product.id: product for product in (await self.backend.batch_get_products(ids)).products}

    async def _fetch_insurers(self, ids: list[str]) -> dict[str, pb.Insurer]:
        return {insurer.id: insurer for insurer in (await self.backend.batch_get_insurers(ids)).insurers}

    async def _fetch_policies(self, ids: list[str]) -> dict[str, pb.Policy]:
        return {policy.id: policy for policy in (await self.backend.batch_get_policies(ids)).policies}

    async def _fetch_policies_by_client(self, client_ids: list[str]) -> dict[str, list[pb.Policy]]:
        results = await self.backend.batch_list_policies_by_client(client_ids)
        return {result.client_id: list(result.policies) for result in results}

    async def _fetch_policy_by_application(self, application_ids: list[str]) -> dict[str, pb.Policy]:
        policies = await self.backend.batch_get_policies_by_application(application_ids)
        return {policy.application_id: policy for policy in policies}

    async def _fetch_offers_by_application(self, application_ids: list[str]) -> dict[str, list[pb.Offer]]:
        results = await self.backend.batch_list_offers_by_application(application_ids)
        return {result.application_id: list(result.offers) for result in results}
