"""DataLoaders of the client_info subgraph: clients by id through ``BatchGetClients``."""

from __future__ import annotations

from dataclasses import dataclass, field

from grpc_clients.client_info import ClientInfoClient
from resolvers.batching import BatchLoader
from schema.protos import client_info_pb2 as pb

__all__ = ["ClientInfoLoaders"]


@dataclass(slots=True)
class ClientInfoLoaders:
    """The per-request loaders of the client_info subgraph."""

    backend: ClientInfoClient
    clients: BatchLoader[str, pb.Client] = field(init=False)
    """Client by id: one ``BatchGetClients`` per tick."""

    def __post_init__(self) -> None:
        self.clients = BatchLoader(self._fetch_clients)

    async def _fetch_clients(self, ids: list[str]) -> dict[str, pb.Client]:
        response = await self.backend.batch_get_clients(ids)
        return {client.id: client for client in response.clients}
