"""Typed async client of ``insuretech.client_info.v1.ClientInfoService``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from grpc_clients.base import BackendClient
from grpc_clients.channels import CLIENT_INFO, BackendSpec
from schema.protos import client_info_pb2 as pb
from schema.protos import client_info_pb2_grpc

__all__ = ["ClientInfoClient"]


class ClientInfoClient(BackendClient):
    """The client card backend: clients, documents, relatives, vehicles, profile sections."""

    spec: ClassVar[BackendSpec] = CLIENT_INFO
    stub_type = client_info_pb2_grpc.ClientInfoServiceStub

    async def get_client(self, client_id: str) -> pb.Client:
        """One client; NotFoundError when unknown, InvalidArgumentError when the id is malformed."""
        return await self._unary("GetClient", pb.GetClientRequest(id=client_id), pb.Client)

    async def batch_get_clients(
        self, ids: Sequence[str], read_mask: Iterable[str] | None = None
    ) -> pb.BatchGetClientsResponse:
        """Many clients in one call; unknown or malformed ids come back in ``missing_ids``.

        ``read_mask`` names the card sections to return (``addresses``, ``documents``, …, see
        ``client_info.proto``); ``None`` asks for whole cards.
        """
        request = pb.BatchGetClientsRequest(ids=list(ids))
        if read_mask is not None:
            request.read_mask.SetInParent()
            request.read_mask.paths.extend(read_mask)
        return await self._unary("BatchGetClients", request, pb.BatchGetClientsResponse)

    async def search_clients(self, query: str, limit: int = 0) -> list[pb.Client]:
        """Clients matching a name part, a phone or a document number."""
        request = pb.SearchClientsRequest(query=query, limit=limit)
        return list((await self._unary("SearchClients", request, pb.SearchClientsResponse)).clients)

    async def list_clients(self, page_size: int = 0, page_token: str = "") -> pb.ListClientsResponse:
        """One page of clients ordered by name; ``next_page_token`` is empty on the last page."""
        request = pb.ListClientsRequest(page_size=page_size, page_token=page_token)
        return await self._unary("ListClients", request, pb.ListClientsResponse)

    async def register_client(self, request: pb.RegisterClientRequest) -> pb.Client:
        """Create a client card."""
        return await self._unary("RegisterClient", request, pb.Client)

    async def update_contacts(self, request: pb.UpdateContactsRequest) -> pb.Client:
        """Change phone, email or addresses."""
        return await self._unary("UpdateContacts", request, pb.Client)

    async def upsert_document(self, request: pb.UpsertDocumentRequest) -> pb.Client:
        """Add a document, or replace the one of the same type."""
        return await self._unary("UpsertDocument", request, pb.Client)

    async def add_relative(self, request: pb.AddRelativeRequest) -> pb.Client:
        """Add a relative."""
        return await self._unary("AddRelative", request, pb.Client)
