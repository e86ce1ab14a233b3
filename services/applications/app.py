"""Wiring of the applications service into a gRPC server."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import grpc

from grpc_clients.client_info import ClientInfoClient
from grpc_clients.core_app import CoreAppClient
from schema.protos import applications_pb2 as pb
from schema.protos import applications_pb2_grpc as pb_grpc
from services.applications.operations import Applications
from services.applications.references import BackendReferences, References
from services.applications.servicer import ApplicationsServicer
from services.common.db import Database
from services.common.peers import open_peer
from services.common.server import ServiceSpec

if TYPE_CHECKING:
    # Not imported at run time: ``python -m services.applications.relay`` must not find the
    # relay module already imported by the package.
    from services.applications.relay import OutboxRelay

__all__ = ["MIGRATIONS_DIR", "SERVICE_NAME", "build_spec"]

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SERVICE_NAME = pb.DESCRIPTOR.services_by_name["ApplicationsService"].full_name


def build_spec(
    database: Database, relay: OutboxRelay | None = None, *, references: References | None = None
) -> ServiceSpec:
    """The ``ServiceSpec`` serving ``ApplicationsService`` over ``database`` (disposed on stop).

    ``relay``, when given, is the outbox relay running beside the server; it is stopped before
    the database is disposed. ``references`` checks clients, products and policies; by default
    the client_info and core_app backends at ``CLIENT_INFO_GRPC`` and ``CORE_APP_GRPC`` (their
    channels are closed on stop).
    """
    peers: list[ClientInfoClient | CoreAppClient] = []
    if references is None:
        clients, products = open_peer(ClientInfoClient), open_peer(CoreAppClient)
        peers += [clients, products]
        references = BackendReferences(clients, products)
    servicer = ApplicationsServicer(Applications(database, references=references))

    async def on_stop() -> None:
        if relay is not None:
            await relay.stop()
        for peer in peers:
            await peer.channel.close()
        await database.dispose()

    def register(server: grpc.aio.Server) -> None:
        pb_grpc.add_ApplicationsServiceServicer_to_server(servicer, server)

    return ServiceSpec(
        name="applications",
        service_names=(SERVICE_NAME,),
        register=register,
        on_stop=on_stop,
        # Each item of a batch fails on its own, unstorable text included (domain.check_application_input).
        own_text_checks=frozenset({f"/{SERVICE_NAME}/BatchCreateApplications"}),
    )
