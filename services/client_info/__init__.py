"""The client_info backend: the client card (people, documents, relatives, vehicles, profile).

Layers, top to bottom: ``servicer`` (gRPC, thin) → ``domain`` (use cases) → ``rules`` and
``documents`` (pure validation) → ``repository`` (SQLAlchemy) → ``models`` (tables).
"""

from services.client_info.app import MIGRATIONS_DIR, SERVICE_NAME, build_spec
from services.client_info.domain import ClientDirectory, ClientPage
from services.client_info.records import ClientCard
from services.client_info.seed import seed

__all__ = [
    "MIGRATIONS_DIR",
    "SERVICE_NAME",
    "ClientCard",
    "ClientDirectory",
    "ClientPage",
    "build_spec",
    "seed",
]
