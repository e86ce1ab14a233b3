"""DataLoaders of the applications subgraph.

Applications by id (``BatchGetApplications``) and the newest applications of each client
(``BatchListApplicationsByClient``). The list RPC takes one ``limit_per_client`` for the whole
batch, so there is one loader per distinct ``first`` argument, created on first use. Status
histories are most of a listing's rows and bytes, so a load says whether it needs them; a
tick asks for them when any of its keys does, still in ONE RPC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from grpc_clients.applications import ApplicationsClient
from resolvers.batching import BatchLoader, unique
from schema.protos import applications_pb2 as pb

__all__ = ["ApplicationsLoaders", "ClientApplicationsKey", "ClientApplicationsLoader"]


class ClientApplicationsKey(NamedTuple):
    """A client id and whether its applications must carry their status histories."""

    client_id: str
    with_history: bool


class ClientApplicationsLoader:
    """The newest ``limit`` applications of client ids: one ``BatchListApplicationsByClient`` per tick."""

    def __init__(self, backend: ApplicationsClient, limit: int) -> None:
        self._backend = backend
        self._limit = limit
        self._loader: BatchLoader[ClientApplicationsKey, list[pb.Application]] = BatchLoader(self._fetch)
        self.with_history: list[bool] = []
        """Whether each RPC so far asked for histories (for tests and debugging)."""

    async def load(self, client_id: str, *, with_history: bool = True) -> list[pb.Application] | None:
        """The client's applications, newest first; ``None`` when the backend did not answer for it."""
        return await self._loader.load(ClientApplicationsKey(client_id, with_history))

    async def _fetch(
        self, keys: list[ClientApplicationsKey]
    ) -> dict[ClientApplicationsKey, list[pb.Application]]:
        with_history = any(key.with_history for key in keys)
        self.with_history.append(with_history)
        results = await self._backend.batch_list_applications_by_client(
            unique(key.client_id for key in keys), self._limit, with_history=with_history
        )
        by_client = {result.client_id: list(result.applications) for result in results}
        return {key: by_client[key.client_id] for key in keys if key.client_id in by_client}


@dataclass(slots=True)
class ApplicationsLoaders:
    """The per-request loaders of the applications subgraph."""

    backend: ApplicationsClient
    applications: BatchLoader[str, pb.Application] = field(init=False)
    """Application by id: one ``BatchGetApplications`` per tick."""
    _by_client: dict[int, ClientApplicationsLoader] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.applications = BatchLoader(self._fetch_applications)

    def applications_by_client(self, limit: int) -> ClientApplicationsLoader:
        """Applications of a client id (newest first, at most ``limit``): one RPC per tick and limit."""
        loader = self._by_client.get(limit)
        if loader is None:
            loader = self._by_client[limit] = ClientApplicationsLoader(self.backend, limit)
        return loader

    async def _fetch_applications(self, ids: list[str]) -> dict[str, pb.Application]:
        response = await self.backend.batch_get_applications(ids)
        return {application.id: application for application in response.applications}
