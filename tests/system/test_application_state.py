"""Issue 7, item 3: an application's status follows the domain, across services, exactly once.

Offers arriving in core_app move the application to OFFERED; an issued policy moves it to
COMPLETED through APPROVED. Each event is written to core_app's outbox with the change that
caused it and applied by the applications service through its inbox, so a lost connection loses
nothing and a redelivery changes nothing. Every step writes its history row and its outbox event
in the transaction of the change. A cancel is refused while a policy is active, and a repeated
cancel is idempotent (``docs/decisions/0016-application-state-across-services.md``).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import text

from services.common.catalog import client_seed_id, insurer_seed_id
from tests.subgraphs.subgraph_harness import Backends
from tests.system.system_calls import OSAGO, graphql, life_input, new_key, run_persisted
from tests.system.system_world import World

APPLICATION = """query($id: ID!) { application(id: $id) { id status statusHistory { status reason } } }"""
CREATE = """mutation($input: ApplicationInput!, $key: String!) {
  createApplication(input: $input, idempotencyKey: $key) { application { id status } } }"""
QUOTES = """mutation($input: OsagoQuoteInput!) { requestOsagoQuotes(input: $input) { id offers { id } } }"""
SESSION = """query($id: ID!) { quoteSession(id: $id) { complete offers { id status } } }"""
ISSUE = """mutation($offer: ID!, $client: ID!) { issuePolicy(offerId: $offer, clientId: $client) { id number status } }"""
CANCEL = (
    """mutation($id: ID!, $reason: String!) { cancelApplication(id: $id, reason: $reason) { id status } }"""
)


async def _eventually(check: Callable[[], Awaitable[Any]], what: str) -> Any:
    for _ in range(300):  # 15 s
        if value := await check():
            return value
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


async def _osago_application(world: World, client: int = 0) -> str:
    osago = {
        "clientId": client_seed_id(client),
        "productId": OSAGO,
        "insuredObject": {"kind": "VEHICLE", "description": "Lada Vesta"},
        "sumInsuredKopecks": 40_000_000,
        "termMonths": 12,
        "vehicle": {"vin": "XTA21129012345678", "year": 2020, "enginePowerHp": 106},
        "submit": True,
    }
    async with world.client("webapp") as web:
        body = await graphql(web, CREATE, {"input": osago, "key": new_key("osago")})
    assert "errors" not in body, body
    return str(body["data"]["createApplication"]["application"]["id"])


async def _status(world: World, application_id: str) -> dict[str, Any]:
    async with world.client("webapp") as web:
        body = await graphql(web, APPLICATION, {"id": application_id})
    assert "errors" not in body, body
    application: dict[str, Any] = body["data"]["application"]
    return application


async def _offered_session(world: World, application_id: str, client: int = 0) -> list[str]:
    quote = {
        "applicationId": application_id,
        "clientId": client_seed_id(client),
        "enginePowerHp": 106,
        "region": "77",
        "driverAge": 35,
        "driverExperienceYears": 10,
    }
    async with world.client("webapp") as web:
        started = await graphql(web, QUOTES, {"input": quote})
        assert "errors" not in started, started
        session_id = started["data"]["requestOsagoQuotes"]["id"]

        async def complete() -> Any:
            body = await graphql(web, SESSION, {"id": session_id})
            return body["data"]["quoteSession"]["complete"] and body["data"]["quoteSession"]["offers"]

        offers = await _eventually(complete, "every insurer to answer")
    return [offer["id"] for offer in offers if offer["status"] == "OFFERED"]


async def _events_of(world: World, application_id: str) -> list[str]:
    async with world.database("applications") as database, database.reader() as session:
        rows = await session.execute(
            text("SELECT event_type FROM outbox WHERE aggregate_id = :id ORDER BY sequence"),
            {"id": application_id},
        )
        return [str(row[0]) for row in rows]


async def _inbox_of(world: World, application_id: str) -> list[tuple[str, str]]:
    async with world.database("applications") as database, database.reader() as session:
        rows = await session.execute(
            text(
                "SELECT event_type, outcome FROM inbox WHERE application_id = :id ORDER BY event_type, outcome"
            ),
            {"id": application_id},
        )
        return [(str(row[0]), str(row[1])) for row in rows]


async def _core_outbox_of(world: World, application_id: str) -> list[tuple[str, bool, str]]:
    async with world.database("core_app") as database, database.reader() as session:
        rows = await session.execute(
            text(
                "SELECT event_type, delivered_at IS NOT NULL, outcome FROM outbox WHERE application_id = :id ORDER BY id"
            ),
            {"id": application_id},
        )
        return [(str(row[0]), bool(row[1]), str(row[2])) for row in rows]


async def _stop_relay(backends: Backends) -> None:
    await backends.relay.stop()


async def _start_relay(backends: Backends) -> None:
    backends.relay.start()


async def test_offers_make_it_offered_and_a_policy_completes_it_each_step_with_its_event(
    world: World,
) -> None:
    application_id = await _osago_application(world)
    offers = await _offered_session(world, application_id)
    assert len(offers) == 5

    async def offered() -> Any:
        return (await _status(world, application_id))["status"] == "OFFERED"

    await _eventually(offered, "the application to be OFFERED")
    async with world.client("webapp") as web:
        policy = await graphql(web, ISSUE, {"offer": offers[0], "client": client_seed_id(0)})
    assert policy["data"]["issuePolicy"]["status"] == "ACTIVE", policy

    async def completed() -> Any:
        return (await _status(world, application_id))["status"] == "COMPLETED"

    await _eventually(completed, "the application to be COMPLETED")
    history = (await _status(world, application_id))["statusHistory"]
    assert [step["status"] for step in history] == [
        "SUBMITTED",
        "PROCESSING",
        "OFFERED",
        "APPROVED",
        "COMPLETED",
    ]
    assert history[-1]["reason"].startswith(f"Policy {policy['data']['issuePolicy']['number']} issued")
    # One outbox event per state change, written with the change.
    assert (
        await _events_of(world, application_id)
        == ["application.created"] + ["application.status_changed"] * 4
    )
    # Five offers made, one policy issued: six events delivered, the first offer and the policy applied.
    core = await _core_outbox_of(world, application_id)
    assert sorted(event for event, _, _ in core) == ["OFFER_MADE"] * 5 + ["POLICY_ISSUED"]
    assert all(delivered for _, delivered, _ in core)
    assert await _inbox_of(world, application_id) == [
        ("OFFER_MADE", "applied"),
        *[("OFFER_MADE", "unchanged")] * 4,
        ("POLICY_ISSUED", "applied"),
    ]


async def test_a_redelivered_event_changes_nothing(world: World) -> None:
    application_id = await _osago_application(world, client=1)
    await _offered_session(world, application_id, client=1)

    async def all_delivered() -> Any:
        core = await _core_outbox_of(world, application_id)
        return len(core) == 5 and all(delivered for _, delivered, _ in core)

    await _eventually(all_delivered, "the offers to be delivered")
    before = (await _status(world, application_id), await _events_of(world, application_id))
    # The relay crashed after applications committed, before it marked the rows: they go again.
    async with world.database("core_app") as database, database.transaction() as session:
        await session.execute(
            text("UPDATE outbox SET delivered_at = NULL, outcome = '' WHERE application_id = :id"),
            {"id": application_id},
        )
    await _eventually(all_delivered, "the redelivery")
    assert (await _status(world, application_id), await _events_of(world, application_id)) == before
    assert {outcome for _, _, outcome in await _core_outbox_of(world, application_id)} == {"unchanged"}
    assert len(await _inbox_of(world, application_id)) == 5  # one row per event, never two


async def test_a_cancel_is_refused_while_a_policy_is_active(world: World) -> None:
    application_id = await _osago_application(world, client=2)
    offers = await _offered_session(world, application_id, client=2)
    world.backends.call(_stop_relay)  # the POLICY_ISSUED event waits in core_app's outbox
    try:
        async with world.client("webapp") as web:
            issued = await graphql(web, ISSUE, {"offer": offers[0], "client": client_seed_id(2)})
            assert issued["data"]["issuePolicy"]["status"] == "ACTIVE", issued
            events = await _events_of(world, application_id)
            refused = await graphql(web, CANCEL, {"id": application_id, "reason": "Передумал"})
        (error,) = refused["errors"]
        assert error["extensions"]["code"] == "FAILED_PRECONDITION"
        assert issued["data"]["issuePolicy"]["number"] in error["message"]
        assert await _events_of(world, application_id) == events  # nothing written
    finally:
        world.backends.call(_start_relay)

    async def completed() -> Any:
        return (await _status(world, application_id))["status"] == "COMPLETED"

    await _eventually(completed, "the held event to complete the application")


async def test_a_repeated_cancel_answers_the_cancelled_application(world: World) -> None:
    async with world.client("acme-bank") as acme:
        created = await run_persisted(
            acme, "CreateApplication", {"input": life_input(), "idempotencyKey": new_key()}
        )
        application_id = created["data"]["createApplication"]["application"]["id"]
        first = await acme.post(f"/api/v1/applications/{application_id}/cancel", json={"reason": "Передумал"})
        events = await _events_of(world, application_id)
        again = await acme.post(f"/api/v1/applications/{application_id}/cancel", json={"reason": "Ещё раз"})
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert first.json()["status"] == "CANCELLED"
    assert first.json()["cancellationReason"] == "Передумал"
    assert (
        await _events_of(world, application_id)
        == events
        == ["application.created", "application.status_changed"]
    )


async def test_a_policy_recorded_after_the_cancel_is_terminated(world: World) -> None:
    # The race a cancel's policy check cannot close: the policy commits in core_app just after the
    # check. applications refuses to complete a cancelled application, and the relay terminates it.
    application_id = await _osago_application(world, client=3)
    async with world.client("webapp") as web:
        cancelled = await graphql(web, CANCEL, {"id": application_id, "reason": "Передумал"})
    assert cancelled["data"]["cancelApplication"]["status"] == "CANCELLED"
    policy_id = await _record_policy_behind_the_back(world, application_id, client_seed_id(3))

    async def delivered() -> Any:
        return [row for row in await _core_outbox_of(world, application_id) if row[1]]

    assert await _eventually(delivered, "the relay to deliver the event") == [
        ("POLICY_ISSUED", True, "refused")
    ]
    async with world.database("core_app") as database, database.reader() as session:
        status = (
            await session.execute(text("SELECT status FROM policies WHERE id = :id"), {"id": policy_id})
        ).scalar_one()
    assert status == "TERMINATED"
    assert (await _status(world, application_id))["status"] == "CANCELLED"
    assert await _events_of(world, application_id) == ["application.created", "application.status_changed"]


async def _record_policy_behind_the_back(world: World, application_id: str, client_id: str) -> str:
    """A policy and its POLICY_ISSUED event, as core_app commits them in ``issue_policy``."""
    policy_id, now = str(uuid.uuid4()), datetime.now(UTC)
    async with world.database("core_app") as database, database.transaction() as session:
        await session.execute(
            text(
                """INSERT INTO policies (id, number, client_id, product_id, insurer_id, application_id, offer_id,
                premium_kopecks, valid_from, valid_to, status, issued_at)
                VALUES (:id, :number, :client, :product, :insurer, :application, NULL, 100000, :start, :end,
                'ACTIVE', :now)"""
            ),
            {
                "id": policy_id,
                "number": f"POL-RACE-{policy_id[:8]}",
                "client": client_id,
                "product": OSAGO,
                "insurer": insurer_seed_id("VOLGA"),
                "application": application_id,
                "start": date.today(),
                "end": date.today() + timedelta(days=364),
                "now": now,
            },
        )
        await session.execute(
            text(
                """INSERT INTO outbox (event_id, event_type, application_id, subject_id, reason, created_at, outcome)
                VALUES (:event, 'POLICY_ISSUED', :application, :policy, 'Policy issued.', :now, '')"""
            ),
            {"event": str(uuid.uuid4()), "application": application_id, "policy": policy_id, "now": now},
        )
    return policy_id
