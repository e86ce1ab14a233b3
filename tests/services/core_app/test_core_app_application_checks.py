"""Quotes and policies belong to an application the caller may see and that can still take them.

The applications service answers through ``KnownApplications`` here (the real peer runs in the
system tests); the core_app side — sessions, offers, policies, its outbox — is the real database
on both backends.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from grpc_clients.caller import FIRST_PARTY, Caller
from services.common.catalog import product_seed_id
from services.common.db import Database
from services.common.errors import FailedPrecondition, InvalidArgument, NotFound
from services.common.validation import new_id, utcnow
from services.core_app import domain
from services.core_app.models import OutboxEvent, Policy
from services.core_app.osago import QuoteInput, load_session
from tests.services.core_app.core_app_harness import (
    APPLICATION_ID,
    CLIENT_ID,
    FAST_CONFIG,
    KnownApplications,
    insert_offers,
)

ACME, TRAVEL = Caller("acme-bank"), Caller("travelshop")


def _quote(application_id: str = APPLICATION_ID, client_id: str = CLIENT_ID) -> QuoteInput:
    return QuoteInput(application_id, client_id, 150, "77", 35, 10)


async def test_quotes_need_an_open_osago_application_of_the_caller(catalog_database: Database) -> None:
    known = KnownApplications()
    known.add(mine := new_id(), owner="partner:acme-bank")
    known.add(closed := new_id(), status="CANCELLED")
    known.add(life := new_id(), product_id=product_seed_id("LIFE-BASIC"))
    assert (await domain.check_quote_application(catalog_database, known, _quote(mine), ACME)).owner == (
        "partner:acme-bank"
    )
    assert (
        await domain.check_quote_application(catalog_database, known, _quote(mine), FIRST_PARTY)
    ).id == mine
    with pytest.raises(NotFound):  # another partner's application does not exist for travelshop
        await domain.check_quote_application(catalog_database, known, _quote(mine), TRAVEL)
    with pytest.raises(NotFound):
        await domain.check_quote_application(catalog_database, known, _quote(new_id()), FIRST_PARTY)
    with pytest.raises(InvalidArgument) as other_client:
        await domain.check_quote_application(catalog_database, known, _quote(mine, new_id()), ACME)
    assert [v.field for v in other_client.value.violations] == ["client_id"]
    with pytest.raises(FailedPrecondition, match="is CANCELLED"):
        await domain.check_quote_application(catalog_database, known, _quote(closed), FIRST_PARTY)
    with pytest.raises(FailedPrecondition, match="not an OSAGO application"):
        await domain.check_quote_application(catalog_database, known, _quote(life), FIRST_PARTY)


async def test_a_session_and_its_offers_are_the_owners_alone(catalog_database: Database) -> None:
    quote, offers = await insert_offers(catalog_database, ["OFFERED"], owner="partner:acme-bank")
    assert (await load_session(catalog_database, quote.id, FAST_CONFIG, caller=ACME)).session.id == quote.id
    assert (
        await load_session(catalog_database, quote.id, FAST_CONFIG, caller=FIRST_PARTY)
    ).session.id == quote.id
    with pytest.raises(NotFound):
        await load_session(catalog_database, quote.id, FAST_CONFIG, caller=TRAVEL)
    known = KnownApplications()
    known.add(APPLICATION_ID, owner="partner:acme-bank")
    with pytest.raises(NotFound, match="Offer"):
        await domain.issue_policy(
            catalog_database, known, offers[0].id, CLIENT_ID, caller=TRAVEL, now=utcnow()
        )
    policy = await domain.issue_policy(
        catalog_database, known, offers[0].id, CLIENT_ID, caller=ACME, now=utcnow()
    )
    assert policy.status == "ACTIVE"


async def test_a_policy_is_issued_with_its_outbox_event_or_not_at_all(catalog_database: Database) -> None:
    _, offers = await insert_offers(catalog_database, ["OFFERED", "OFFERED"])
    known = KnownApplications()
    policy = await domain.issue_policy(
        catalog_database, known, offers[0].id, CLIENT_ID, caller=FIRST_PARTY, now=utcnow()
    )
    async with catalog_database.reader() as session:
        events = list(await session.scalars(select(OutboxEvent)))
    assert [(e.event_type, e.application_id, e.subject_id) for e in events] == [
        ("POLICY_ISSUED", APPLICATION_ID, policy.id)
    ]
    assert events[0].reason.startswith(f"Policy {policy.number} issued by ")
    with pytest.raises(FailedPrecondition, match="already has a policy"):  # one policy per application
        await domain.issue_policy(
            catalog_database, known, offers[1].id, CLIENT_ID, caller=FIRST_PARTY, now=utcnow()
        )
    known.add(APPLICATION_ID, status="CANCELLED")
    _, fresh = await insert_offers(catalog_database, ["OFFERED"], application_id=APPLICATION_ID)
    with pytest.raises(FailedPrecondition, match="is CANCELLED"):
        await domain.issue_policy(
            catalog_database, known, fresh[0].id, CLIENT_ID, caller=FIRST_PARTY, now=utcnow()
        )
    async with catalog_database.reader() as session:
        assert (
            len(list(await session.scalars(select(Policy).where(Policy.application_id == APPLICATION_ID))))
            == 1
        )
        assert len(list(await session.scalars(select(OutboxEvent)))) == 1
