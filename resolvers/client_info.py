"""DataLoaders of the client_info subgraph: clients by id through ``BatchGetClients``.

A client card has four child collections and three profile sections, and a list of 1,000
clients that shows only names must not pay for reading, sending and converting all of them.
So every load names the card sections its resolver needs, and ``BatchGetClients`` carries
them as its ``read_mask``. The loader's keys are (id, sections): one tick still makes ONE RPC,
asking for the union of the sections of its keys, and a key is never answered with a card
read without a section it asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final, NamedTuple

from grpc_clients.client_info import ClientInfoClient
from resolvers.batching import BatchLoader, unique
from schema.protos import client_info_pb2 as pb

__all__ = ["CARD_SECTIONS", "ClientInfoLoaders", "ClientKey", "ClientLoader"]

CARD_SECTIONS: Final = frozenset(
    {"addresses", "documents", "relatives", "vehicles", "employment", "health", "marketing"}
)
"""Every optional part of a card, by its ``Client`` proto field name (the read-mask paths)."""


class ClientKey(NamedTuple):
    """What one resolver asks for: a client id and the card sections it needs."""

    id: str
    sections: frozenset[str]


class ClientLoader:
    """Clients by id with only the requested card sections: one ``BatchGetClients`` per tick."""

    def __init__(self, backend: ClientInfoClient) -> None:
        self._backend = backend
        self._loader: BatchLoader[ClientKey, pb.Client] = BatchLoader(self._fetch)
        self.batches: list[int] = []
        """The number of distinct ids of every RPC so far (for tests and debugging)."""
        self.read_masks: list[tuple[str, ...]] = []
        """The read-mask paths of every RPC so far."""

    async def load(self, client_id: str, sections: Iterable[str] = CARD_SECTIONS) -> pb.Client | None:
        """The client with at least ``sections`` filled in, or ``None`` when it does not exist."""
        return await self._loader.load(ClientKey(client_id, frozenset(sections)))

    async def load_many(
        self, client_ids: Sequence[str], sections: Iterable[str] = CARD_SECTIONS
    ) -> list[pb.Client | None]:
        """The clients of ``client_ids`` in order (``None`` for unknown ids), with ``sections``."""
        wanted = frozenset(sections)
        return await self._loader.load_many([ClientKey(client_id, wanted) for client_id in client_ids])

    async def _fetch(self, keys: list[ClientKey]) -> dict[ClientKey, pb.Client]:
        ids = unique(key.id for key in keys)
        read_mask = tuple(sorted(frozenset[str]().union(*(key.sections for key in keys))))
        self.batches.append(len(ids))
        self.read_masks.append(read_mask)
        response = await self._backend.batch_get_clients(ids, read_mask)
        by_id = {client.id: client for client in response.clients}
        return {key: by_id[key.id] for key in keys if key.id in by_id}


@dataclass(slots=True)
class ClientInfoLoaders:
    """The per-request loaders of the client_info subgraph."""

    backend: ClientInfoClient
    clients: ClientLoader = field(init=False)
    """Client by id and card sections: one ``BatchGetClients`` per tick."""

    def __post_init__(self) -> None:
        self.clients = ClientLoader(self.backend)
