"""Seed the client_info database with deterministic, realistic Russian clients.

``insuretech seed`` calls ``seed(database, clients=N)`` for every service; client ``i`` gets id
``client_seed_id(i)`` so the applications and core_app seeds can reference it. The cards come
from ``seed_people.generate_cards`` and are written with one bulk ``INSERT`` per table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.client_info import repository
from services.client_info.seed_people import generate_cards

if TYPE_CHECKING:
    from services.common.db import Database

__all__ = ["seed"]


async def seed(database: Database, clients: int) -> int:
    """Insert ``clients`` seed clients with their documents, relatives, vehicles and addresses.

    Args:
        database: the client_info database, already migrated.
        clients: how many clients to create (the same number always gives the same data).

    Returns:
        The number of rows written across all tables; 0 when clients already exist (seeding
        never mixes with existing data).
    """
    async with database.transaction() as session:
        if await repository.has_clients(session):
            return 0
        return await repository.insert_cards(session, generate_cards(clients))
