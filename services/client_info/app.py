"""Wiring of the client_info service: where its migrations live and how its server is built."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from schema.protos import client_info_pb2, client_info_pb2_grpc
from services.client_info.domain import ClientDirectory
from services.client_info.servicer import ClientInfoServicer
from services.common.server import ServiceSpec

if TYPE_CHECKING:
    import grpc

    from services.common.db import Database

__all__ = ["MIGRATIONS_DIR", "SERVICE_NAME", "build_spec"]

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SERVICE_NAME: str = client_info_pb2.DESCRIPTOR.services_by_name["ClientInfoService"].full_name
"""The full proto service name (``insuretech.client_info.v1.ClientInfoService``)."""


def build_spec(database: Database) -> ServiceSpec:
    """The server spec of the client_info service over ``database`` (disposed when the server stops)."""
    servicer = ClientInfoServicer(ClientDirectory(database))

    def register(server: grpc.aio.Server) -> None:
        client_info_pb2_grpc.add_ClientInfoServiceServicer_to_server(servicer, server)

    return ServiceSpec(
        name="client_info",
        service_names=(SERVICE_NAME,),
        register=register,
        on_stop=database.dispose,
    )
