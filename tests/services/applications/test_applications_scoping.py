"""Every use case acts for its caller: partners are isolated, the first party sees all (both backends)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from grpc_clients.caller import FIRST_PARTY, Caller
from services.applications.models import Application
from services.applications.operations import Applications, ListFilterRequest
from services.common.db import Database
from services.common.errors import AlreadyExists, NotFound
from tests.services.applications.applications_harness import CLIENT_ID, make_input, table_counts

ACME, TRAVEL = Caller("acme-bank"), Caller("travelshop")


async def test_owners_are_recorded_and_keys_are_per_owner(
    applications: Applications, applications_database: Database
) -> None:
    acme = await applications.create(make_input(idempotency_key="shared-key-1", comment="a"), ACME)
    travel = await applications.create(make_input(idempotency_key="shared-key-1", comment="b"), TRAVEL)
    web = await applications.create(make_input(idempotency_key="shared-key-1", comment="c"), FIRST_PARTY)
    assert len({acme.application.id, travel.application.id, web.application.id}) == 3
    assert all(outcome.created for outcome in (acme, travel, web))
    async with applications_database.reader() as session:
        owners = {row[0]: row[1] for row in await session.execute(select(Application.id, Application.owner))}
    assert owners == {
        acme.application.id: "partner:acme-bank",
        travel.application.id: "partner:travelshop",
        web.application.id: "first-party",
    }
    replay = await applications.create(make_input(idempotency_key="shared-key-1", comment="a"), ACME)
    assert (replay.application.id, replay.created) == (acme.application.id, False)
    with pytest.raises(AlreadyExists, match=acme.application.number):  # its own key, another request
        await applications.create(make_input(idempotency_key="shared-key-1", comment="x"), ACME)
    batch = await applications.batch_create([make_input(idempotency_key="shared-key-1", comment="b")], TRAVEL)
    assert batch[0].outcome.application.id == travel.application.id  # type: ignore[union-attr]


async def test_a_partner_reads_lists_searches_and_changes_only_its_own(
    applications: Applications, applications_database: Database
) -> None:
    mine = (await applications.create(make_input(comment="ложка acme"), ACME)).application
    theirs = (await applications.create(make_input(comment="ложка travel"), TRAVEL)).application
    with pytest.raises(NotFound) as hidden:
        await applications.get(mine.id, TRAVEL)
    with pytest.raises(NotFound) as absent:
        await applications.get("99999999-9999-4999-8999-999999999999", TRAVEL)
    assert hidden.value.message.replace(mine.id, "X") == absent.value.message.replace(
        "99999999-9999-4999-8999-999999999999", "X"
    )  # another partner's application reads exactly like one that does not exist
    found, missing = await applications.batch_get([mine.id, theirs.id], TRAVEL)
    assert ([a.id for a in found], missing) == ([theirs.id], [mine.id])
    page, _ = await applications.list_page(ListFilterRequest(), 100, "", TRAVEL)
    assert [a.id for a in page] == [theirs.id]
    assert [a.id for a in await applications.search("ложка", 100, TRAVEL)] == [theirs.id]
    grouped = await applications.list_by_clients([CLIENT_ID], 100, TRAVEL)
    assert [[a.id for a in apps] for _, apps in grouped] == [[theirs.id]]
    counts = await table_counts(applications_database)
    with pytest.raises(NotFound):
        await applications.cancel(mine.id, "чужая", TRAVEL)
    with pytest.raises(NotFound):
        await applications.transition(mine.id, "SUBMITTED", "", TRAVEL)
    assert await table_counts(applications_database) == counts
    # The first party sees and may change both.
    page, _ = await applications.list_page(ListFilterRequest(), 100, "", FIRST_PARTY)
    assert {a.id for a in page} == {mine.id, theirs.id}
    assert {a.id for a in await applications.search("ложка", 100, FIRST_PARTY)} == {mine.id, theirs.id}
    assert (await applications.cancel(mine.id, "поддержка", FIRST_PARTY)).status == "CANCELLED"
