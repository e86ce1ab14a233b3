"""core_app's outbox reaches the applications service even across its outage, once (both backends).

The relay talks real gRPC to a real applications backend that is not running at first: the
event waits, undelivered, and is applied once the backend is up; a redelivery changes nothing;
an event for an unknown application is marked refused instead of blocking the ones behind it.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from grpc_clients.applications import ApplicationsClient
from grpc_clients.caller import FIRST_PARTY
from grpc_clients.errors import BackendError
from services.applications.app import MIGRATIONS_DIR as APPLICATIONS_MIGRATIONS
from services.applications.app import build_spec as applications_spec
from services.applications.operations import Applications
from services.common.db import Database
from services.common.migrations import upgrade
from services.common.peers import open_peer
from services.common.relay_loop import RelaySettings
from services.common.server import build_server
from services.core_app import repository
from services.core_app.applications_peer import BackendApplications
from services.core_app.models import OutboxEvent
from services.core_app.outbox_relay import ApplicationsRelay
from tests.conftest import DatabaseFactory, free_port
from tests.services.applications.applications_harness import KnownReferences, make_input


async def _event(database: Database, event_type: str, application_id: str) -> None:
    async with database.transaction() as session:
        repository.add_outbox_event(
            session,
            event_type,
            application_id,
            str(uuid.uuid4()),
            "An insurer made an offer.",
            datetime.now(UTC),
        )


async def _outbox(database: Database) -> list[tuple[str, bool, str]]:
    async with database.reader() as session:
        rows = await session.scalars(select(OutboxEvent).order_by(OutboxEvent.id))
        return [(row.event_type, row.delivered_at is not None, row.outcome) for row in rows]


@pytest.fixture
async def applications_database(database_factory: DatabaseFactory) -> Database:
    database = await database_factory("applications")
    await upgrade(database, APPLICATIONS_MIGRATIONS)
    return database


async def test_an_event_waits_out_an_outage_and_applies_once(
    core_app_database: Database, applications_database: Database
) -> None:
    application = (
        await Applications(applications_database, references=KnownReferences()).create(
            make_input(submit=True), FIRST_PARTY
        )
    ).application
    unknown = str(uuid.uuid4())
    await _event(core_app_database, "OFFER_MADE", application.id)
    await _event(core_app_database, "OFFER_MADE", unknown)
    address = f"127.0.0.1:{free_port()}"
    peer = open_peer(ApplicationsClient, address)
    relay = ApplicationsRelay(core_app_database, BackendApplications(peer), RelaySettings(batch_size=10))
    try:
        with pytest.raises(BackendError):  # nobody listens yet: nothing is lost, nothing is marked
            await relay.relay_batch()
        assert await _outbox(core_app_database) == [("OFFER_MADE", False, ""), ("OFFER_MADE", False, "")]

        server, _ = await build_server(
            applications_spec(applications_database, references=KnownReferences()), address
        )
        await server.start()
        try:
            await asyncio.wait_for(peer.channel.channel_ready(), 30)  # past gRPC's reconnect backoff
            assert await relay.run_until_idle() == 2
            assert await _outbox(core_app_database) == [
                ("OFFER_MADE", True, "applied"),
                ("OFFER_MADE", True, "refused"),
            ]
            async with core_app_database.transaction() as session:  # crashed before marking: sent again
                for event in await session.scalars(select(OutboxEvent)):
                    event.delivered_at, event.outcome = None, ""
            assert await relay.run_until_idle() == 2
            assert await _outbox(core_app_database) == [
                ("OFFER_MADE", True, "unchanged"),
                ("OFFER_MADE", True, "refused"),
            ]
        finally:
            await server.stop(None)
    finally:
        await peer.channel.close()
    reread = await Applications(applications_database, references=KnownReferences()).get(
        application.id, FIRST_PARTY
    )
    assert [h.status for h in reread.history] == ["SUBMITTED", "PROCESSING", "OFFERED"]  # moved once
