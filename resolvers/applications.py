"""DataLoaders of the applications subgraph.

Applications by id (``BatchGetApplications``) and the newest applications of each client
(``BatchListApplicationsByClient``). The list RPC takes one ``limit_per_client`` for the whole
batch, so there is one loader per distinct ``first`` argument, created on first use.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grpc_clients.applications import ApplicationsClient
from resolvers.batching import BatchLoader
from schema.protos import applications_pb2 as pb

__all__ = ["ApplicationsLoaders"]


@dataclass(slots=True)
class ApplicationsLoaders:
    """The per-request loaders of the applications subgraph."""

    backend: ApplicationsClient
    applications: BatchLoader[str, pb.Application] = field(init=False)
    """Application by id: one ``BatchGetApplications`` per tick."""
    _by_client: dict[int, BatchLoader[str, list[pb.Application]]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.applications = BatchLoader(self._fetch_applications)

    def applications_by_client(self, limit: int) -> BatchLoader[str, list[pb.Application]]:
        """Applications of a client id (newest first, at most ``limit``): one RPC per tick and limit."""
        loader = self._by_client.get(limit)
        if loader is None:

            async def fetch(client_ids: list[str]) -> dict[str, list[pb.Application]]:
                results = await self.backend.batch_list_applications_by_client(client_ids, limit)
                return {result.client_id: list(result.applications) for result in results}

            loader = self._by_client[limit] = BatchLoader(fetch)
        return loader

    async def _fetch_applications(self, ids: list[str]) -> dict[str, pb.Application]:
        response = await self.backend.batch_get_applications(ids)
        return {application.id: application for application in response.applications}
