"""The queries behind list, search and per-client batches can use the service's indexes.

The statement each use case sends is captured and explained on the same backend (PostgreSQL with
sequential scans disabled, so the plan shows which index *can* serve it on a large table).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import event

from grpc_clients.caller import FIRST_PARTY
from services.applications.operations import Applications, ListFilterRequest
from services.common.db import Database
from tests.services.applications.applications_harness import CLIENT_ID, PRODUCT_ID, make_input


async def explain(database: Database, action: Callable[[], Awaitable[Any]], position: int = -1) -> str:
    """The query plan of the ``position``-th statement ``action`` sends."""
    captured: list[tuple[str, Any]] = []

    def listener(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        captured.append((statement, parameters))

    event.listen(database.engine.sync_engine, "before_cursor_execute", listener)
    try:
        await action()
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", listener)
    statement, parameters = captured[position]
    async with database.engine.connect() as connection:
        if database.is_postgres:
            await connection.exec_driver_sql("SET enable_seqscan = off")
        prefix = "EXPLAIN " if database.is_postgres else "EXPLAIN QUERY PLAN "
        rows = (await connection.exec_driver_sql(prefix + statement, parameters)).all()
    return "\n".join(" ".join(str(value) for value in row) for row in rows)


@pytest.mark.parametrize(
    ("request_", "index"),
    [
        (ListFilterRequest(client_id=CLIENT_ID), "ix_applications_client_id_applied_at_id"),
        (ListFilterRequest(product_id=PRODUCT_ID), "ix_applications_product_id_applied_at_id"),
        (ListFilterRequest(statuses=("OFFERED",)), "ix_applications_status_applied_at_id"),
        (
            ListFilterRequest(applied_from="2025-01-01", applied_to="2025-01-31"),
            "ix_applications_applied_at_id",
        ),
        (ListFilterRequest(), "ix_applications_applied_at_id"),
    ],
)
async def test_list_filters_use_an_index(
    applications: Applications, applications_database: Database, request_: ListFilterRequest, index: str
) -> None:
    await applications.create(make_input(), caller=FIRST_PARTY)
    plan = await explain(
        applications_database, lambda: applications.list_page(request_, 20, "", caller=FIRST_PARTY)
    )
    assert index in plan, plan


async def test_batch_by_client_uses_the_client_index(
    applications: Applications, applications_database: Database
) -> None:
    await applications.create(make_input(), caller=FIRST_PARTY)
    ids = [CLIENT_ID, *(str(uuid.uuid4()) for _ in range(50))]
    plan = await explain(
        applications_database, lambda: applications.list_by_clients(ids, 5, caller=FIRST_PARTY)
    )
    assert "ix_applications_client_id_applied_at_id" in plan, plan


async def test_search_uses_the_full_text_index(
    applications: Applications, applications_database: Database
) -> None:
    await applications.create(make_input(comment="Ложка"), caller=FIRST_PARTY)
    # A search sends the ranking query first, then loads the rows it found by id.
    plan = await explain(
        applications_database, lambda: applications.search("ложка", 5, caller=FIRST_PARTY), position=0
    )
    expected = "ix_applications_search_vector" if applications_database.is_postgres else "VIRTUAL TABLE INDEX"
    assert expected in plan, plan
