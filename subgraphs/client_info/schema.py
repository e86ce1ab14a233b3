# mypy: disable-error-code="untyped-decorator"
# (strawberry.field(description=...) is typed as returning Any; the resolvers stay annotated.)
"""The client_info subgraph: the client card, its queries and its mutations.

Reads go through the per-request ``clients`` loader (one ``BatchGetClients`` per tick), so
``client``, ``clients`` and ``_entities`` share batches and cache within a request; each asks
only for the card sections its selection needs (``subgraphs.client_info.selection``).
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from grpc_clients.errors import InvalidArgumentError, NotFoundError
from resolvers.arguments import parse_id, parse_ids, rename_violations, require_limit
from resolvers.client_info import ClientInfoLoaders
from resolvers.context import RequestContext
from schema.protos import client_info_pb2 as pb
from subgraphs.client_info.inputs import (
    DocumentInput,
    RegisterClientInput,
    RelativeInput,
    UpdateClientContactsInput,
)
from subgraphs.client_info.selection import card_sections
from subgraphs.client_info.types import Client
from subgraphs.common.schema import SubgraphSchema
from subgraphs.common.types import PageInfo

__all__ = ["ClientConnection", "Mutation", "Query", "schema"]

ClientInfo = Info[RequestContext[ClientInfoLoaders], None]

MAX_PAGE = 100
MAX_IDS = 1000


@strawberry.type(description="A page of clients ordered by name.")
class ClientConnection:
    nodes: list[Client]
    page_info: PageInfo


@strawberry.type
class Query:
    @strawberry.field(description="One client; a NOT_FOUND error when the id is unknown.")
    async def client(self, info: ClientInfo, id: strawberry.ID) -> Client | None:
        client_id = parse_id(id, "id")
        message = await info.context.loaders.clients.load(client_id, card_sections(info))
        if message is None:
            raise NotFoundError(f"No client has id {client_id!r}; check the id.")
        return Client.from_proto(message)

    @strawberry.field(description="Clients by id, in the order given; null for unknown ids (at most 1000).")
    async def clients(self, info: ClientInfo, ids: list[strawberry.ID]) -> list[Client | None]:
        if len(ids) > MAX_IDS:
            raise InvalidArgumentError.for_field("ids", f"At most {MAX_IDS} ids per query; got {len(ids)}.")
        messages = await info.context.loaders.clients.load_many(parse_ids(ids, "ids"), card_sections(info))
        return [None if message is None else Client.from_proto(message) for message in messages]

    @strawberry.field(description="Clients matching part of a name, a phone or a document number.")
    async def search_clients(self, info: ClientInfo, query: str, limit: int = 20) -> list[Client]:
        if not query.strip():
            raise InvalidArgumentError.for_field("query", "Must not be empty.")
        require_limit(limit, "limit", maximum=MAX_PAGE)
        messages = await info.context.loaders.backend.search_clients(query, limit)
        return [Client.from_proto(message) for message in messages]

    @strawberry.field(description="A page of clients ordered by (lastName, firstName, id).")
    async def clients_page(
        self, info: ClientInfo, first: int = 20, after: str | None = None
    ) -> ClientConnection:
        require_limit(first, "first", maximum=MAX_PAGE)
        try:
            response = await info.context.loaders.backend.list_clients(first, after or "")
        except InvalidArgumentError as error:
            raise rename_violations(error, {"page_token": "after", "page_size": "first"}) from error
        return ClientConnection(
            nodes=[Client.from_proto(message) for message in response.clients],
            page_info=PageInfo(
                has_next_page=bool(response.next_page_token), end_cursor=response.next_page_token or None
            ),
        )


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create a client card.")
    async def register_client(self, info: ClientInfo, input: RegisterClientInput) -> Client:
        backend = info.context.loaders.backend
        try:
            message = await backend.register_client(input.to_proto())
        except InvalidArgumentError as error:
            raise rename_violations(error, prefix="input") from error
        return Client.from_proto(message)

    @strawberry.mutation(description="Change the phone, email or addresses of a client.")
    async def update_client_contacts(self, info: ClientInfo, input: UpdateClientContactsInput) -> Client:
        client_id = parse_id(input.client_id, "input.clientId")
        try:
            message = await info.context.loaders.backend.update_contacts(input.to_proto(client_id))
        except InvalidArgumentError as error:
            raise rename_violations(error, prefix="input") from error
        return Client.from_proto(message)

    @strawberry.mutation(description="Add a document, or replace the client's document of the same type.")
    async def upsert_client_document(
        self, info: ClientInfo, client_id: strawberry.ID, document: DocumentInput
    ) -> Client:
        request = pb.UpsertDocumentRequest(
            client_id=parse_id(client_id, "clientId"), document=document.to_proto()
        )
        try:
            message = await info.context.loaders.backend.upsert_document(request)
        except InvalidArgumentError as error:
            raise rename_violations(error) from error
        return Client.from_proto(message)

    @strawberry.mutation(description="Add a relative to a client.")
    async def add_client_relative(
        self, info: ClientInfo, client_id: strawberry.ID, relative: RelativeInput
    ) -> Client:
        request = pb.AddRelativeRequest(
            client_id=parse_id(client_id, "clientId"), relative=relative.to_proto()
        )
        try:
            message = await info.context.loaders.backend.add_relative(request)
        except InvalidArgumentError as error:
            raise rename_violations(error) from error
        return Client.from_proto(message)


schema = SubgraphSchema(query=Query, mutation=Mutation, types=[Client])
