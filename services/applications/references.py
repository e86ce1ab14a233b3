"""The other services an application points into: client_info (clients) and core_app (products, policies).

An application names a client and a product that other services own, so no foreign key can
guard them. Before anything is written, ``Applications`` asks the owners whether they exist —
one batch call per backend for a whole request, never one per item — and refuses unknown ids
with NOT_FOUND. Cancelling asks core_app whether the application has an active policy.

``References`` is the seam; ``BackendReferences`` is the real one over the backends' gRPC
clients. A backend that cannot be reached makes the request fail with UNAVAILABLE and nothing
written: an unchecked reference is never stored.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from dataclasses import dataclass
from typing import Protocol

from grpc_clients.client_info import ClientInfoClient
from grpc_clients.core_app import CoreAppClient
from grpc_clients.errors import BackendError, DeadlineExceededError, UnavailableError
from schema.protos import core_app_pb2
from services.common.errors import Unavailable

__all__ = ["ACTIVE_POLICY", "BackendReferences", "Policy", "ReferenceCheck", "References"]

ACTIVE_POLICY = "ACTIVE"


@dataclass(frozen=True, slots=True)
class ReferenceCheck:
    """What the owning services said about the ids of one request."""

    missing_clients: frozenset[str] = frozenset()
    missing_products: frozenset[str] = frozenset()
    inactive_products: frozenset[str] = frozenset()
    """Products that exist but are no longer sold."""


@dataclass(frozen=True, slots=True)
class Policy:
    """The policy core_app issued for an application."""

    number: str
    status: str


class References(Protocol):
    """The owners of the ids an application points to."""

    async def check(self, client_ids: Collection[str], product_ids: Collection[str]) -> ReferenceCheck:
        """Which of the ids do not exist (one call per owning service)."""
        ...

    async def policy_of(self, application_id: str) -> Policy | None:
        """The policy issued for ``application_id``, if any."""
        ...


def _unavailable(service: str, error: BackendError) -> Unavailable:
    if isinstance(error, UnavailableError | DeadlineExceededError):
        return Unavailable(f"The {service} service could not be reached to check references; retry later.")
    return Unavailable(f"The {service} service failed while checking references; retry later.")


class BackendReferences:
    """``References`` over the client_info and core_app gRPC clients.

    Args:
        clients: the client_info backend (``BatchGetClients`` with a read mask of the card's
            own fields: no documents, relatives or sections are read for a check).
        products: the core_app backend (``BatchGetProducts``, ``BatchGetPoliciesByApplication``).
    """

    def __init__(self, clients: ClientInfoClient, products: CoreAppClient) -> None:
        self.clients = clients
        self.products = products

    async def check(self, client_ids: Collection[str], product_ids: Collection[str]) -> ReferenceCheck:
        missing_clients, (missing_products, inactive) = await asyncio.gather(
            self._missing_clients(client_ids), self._products(product_ids)
        )
        return ReferenceCheck(missing_clients, missing_products, inactive)

    async def _missing_clients(self, ids: Collection[str]) -> frozenset[str]:
        if not ids:
            return frozenset()
        try:
            response = await self.clients.batch_get_clients(sorted(ids), read_mask=("id",))
        except BackendError as error:
            raise _unavailable("client_info", error) from error
        return frozenset(ids) - {client.id for client in response.clients}

    async def _products(self, ids: Collection[str]) -> tuple[frozenset[str], frozenset[str]]:
        if not ids:
            return frozenset(), frozenset()
        try:
            response = await self.products.batch_get_products(sorted(ids))
        except BackendError as error:
            raise _unavailable("core_app", error) from error
        found = {product.id: product.active for product in response.products}
        missing = frozenset(ids) - found.keys()
        return missing, frozenset(product_id for product_id, active in found.items() if not active)

    async def policy_of(self, application_id: str) -> Policy | None:
        try:
            policies = await self.products.batch_get_policies_by_application([application_id])
        except BackendError as error:
            raise _unavailable("core_app", error) from error
        for policy in policies:
            return Policy(policy.number, core_app_pb2.PolicyStatus.Name(policy.status))
        return None
