"""The ``ClientInfoService`` gRPC servicer: proto in, domain call, proto out — nothing else.

Domain errors propagate to ``services.common.errors.ErrorInterceptor``, which maps them to
statuses with field violations, so there is no ``try``/``except`` here.
"""

from __future__ import annotations

from typing import Any

from schema.protos import client_info_pb2 as pb
from schema.protos import client_info_pb2_grpc as pb_grpc
from services.client_info import messages
from services.client_info.domain import ClientDirectory

__all__ = ["ClientInfoServicer"]

_Context = Any
"""``grpc.aio.ServicerContext``; grpc ships no type information."""


class ClientInfoServicer(pb_grpc.ClientInfoServiceServicer):
    """Serves the client card over gRPC."""

    def __init__(self, directory: ClientDirectory) -> None:
        self.directory = directory

    async def GetClient(self, request: pb.GetClientRequest, context: _Context) -> pb.Client:
        return messages.card_to_proto(await self.directory.get_client(request.id))

    async def BatchGetClients(
        self, request: pb.BatchGetClientsRequest, context: _Context
    ) -> pb.BatchGetClientsResponse:
        read_mask = list(request.read_mask.paths) if request.HasField("read_mask") else None
        clients, missing = await self.directory.batch_get_clients(list(request.ids), read_mask)
        return pb.BatchGetClientsResponse(
            clients=[messages.card_to_proto(card) for card in clients], missing_ids=missing
        )

    async def SearchClients(
        self, request: pb.SearchClientsRequest, context: _Context
    ) -> pb.SearchClientsResponse:
        cards = await self.directory.search_clients(request.query, request.limit)
        return pb.SearchClientsResponse(clients=[messages.card_to_proto(card) for card in cards])

    async def ListClients(self, request: pb.ListClientsRequest, context: _Context) -> pb.ListClientsResponse:
        page = await self.directory.list_clients(request.page_size, request.page_token)
        return pb.ListClientsResponse(
            clients=[messages.card_to_proto(card) for card in page.clients],
            next_page_token=page.next_page_token,
        )

    async def RegisterClient(self, request: pb.RegisterClientRequest, context: _Context) -> pb.Client:
        return messages.card_to_proto(await self.directory.register_client(messages.new_client(request)))

    async def UpdateContacts(self, request: pb.UpdateContactsRequest, context: _Context) -> pb.Client:
        card = await self.directory.update_contacts(messages.contacts_update(request))
        return messages.card_to_proto(card)

    async def UpsertDocument(self, request: pb.UpsertDocumentRequest, context: _Context) -> pb.Client:
        document = messages.document_input(request.document)
        return messages.card_to_proto(await self.directory.upsert_document(request.client_id, document))

    async def AddRelative(self, request: pb.AddRelativeRequest, context: _Context) -> pb.Client:
        relative = messages.relative_input(request.relative)
        return messages.card_to_proto(await self.directory.add_relative(request.client_id, relative))
