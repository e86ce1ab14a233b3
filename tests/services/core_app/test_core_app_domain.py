"""Business rules: request parsing, the policy term and number, and policy issuance."""

from __future__ import annotations

import asyncio
import random
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from grpc_clients.caller import FIRST_PARTY
from services.common.catalog import client_seed_id
from services.common.db import Database
from services.common.errors import FailedPrecondition, InvalidArgument, NotFound
from services.common.validation import new_id, utcnow
from services.core_app import domain
from services.core_app.models import Offer, Policy
from tests.services.core_app.core_app_harness import CLIENT_ID, KnownApplications, insert_offers


def test_batch_ids_keep_request_order_and_drop_duplicates() -> None:
    good = "0B8F0E59-6F0E-4C4E-9D0E-6A1F1F1F1F1F"
    ids = domain.parse_batch_ids([good, "junk", good], "ids")
    assert ids.requested == (good, "junk")
    assert ids.canonical == {good: good.lower()}
    assert ids.lookup == {good.lower()}


def test_batch_over_the_limit_is_invalid() -> None:
    with pytest.raises(InvalidArgument) as info:
        domain.parse_batch_ids([new_id() for _ in range(domain.MAX_BATCH_IDS + 1)], "client_ids")
    assert info.value.violations[0].field == "client_ids"
    assert "at most 1000" in info.value.violations[0].description


def test_tariff_filter_defaults_to_today_and_collects_violations() -> None:
    today = date(2026, 11, 22)
    assert domain.parse_tariff_filter("", "", "", today=today) == domain.TariffFilter(None, None, today)
    with pytest.raises(InvalidArgument) as info:
        domain.parse_tariff_filter("x", "y", "2026-02-30", today=today)
    assert [v.field for v in info.value.violations] == ["product_id", "insurer_id", "valid_on"]


def test_issue_request_parsing() -> None:
    offer = new_id()
    assert domain.parse_issue_request(offer, "") == (offer, "")
    with pytest.raises(InvalidArgument) as info:
        domain.parse_issue_request("nope", "bad")
    assert [v.field for v in info.value.violations] == ["offer_id", "client_id"]


@pytest.mark.parametrize(
    ("issued", "start", "end"),
    [
        (date(2026, 11, 22), date(2026, 11, 23), date(2027, 11, 22)),
        (date(2026, 12, 31), date(2027, 1, 1), date(2027, 12, 31)),
        (date(2028, 2, 28), date(2028, 2, 29), date(2029, 2, 28)),
    ],
)
def test_policy_runs_one_year_from_tomorrow(issued: date, start: date, end: date) -> None:
    assert domain.policy_term(issued) == (start, end)


def test_policy_number_format() -> None:
    assert re.fullmatch(r"POL-VOLGA-\d{8}", domain.policy_number("VOLGA"))
    assert domain.policy_number("URAL", random.Random(1)) == domain.policy_number("URAL", random.Random(1))


async def test_issue_policy_creates_an_active_policy_and_accepts_the_offer(
    catalog_database: Database,
) -> None:
    quote, offers = await insert_offers(catalog_database, ["OFFERED"])
    now = utcnow()
    policy = await domain.issue_policy(
        catalog_database, KnownApplications(), offers[0].id, CLIENT_ID, caller=FIRST_PARTY, now=now
    )
    assert policy.status == "ACTIVE"
    assert policy.client_id == quote.client_id
    assert policy.application_id == quote.application_id
    assert policy.premium_kopecks == 9_876_00
    assert policy.valid_from == now.date() + timedelta(days=1)
    assert re.fullmatch(r"POL-SEVSHIELD-\d{8}", policy.number)
    async with catalog_database.reader() as session:
        offer = await session.get(Offer, offers[0].id)
    assert offer is not None
    assert offer.status == "ACCEPTED"


async def test_issue_policy_is_idempotent_per_offer(catalog_database: Database) -> None:
    _, offers = await insert_offers(catalog_database, ["OFFERED"])
    first = await domain.issue_policy(
        catalog_database, KnownApplications(), offers[0].id, CLIENT_ID, caller=FIRST_PARTY, now=utcnow()
    )
    again = await domain.issue_policy(
        catalog_database, KnownApplications(), offers[0].id, "", caller=FIRST_PARTY, now=utcnow()
    )
    assert (again.id, again.number) == (first.id, first.number)


async def test_concurrent_issues_of_one_offer_give_one_policy(catalog_database: Database) -> None:
    _, offers = await insert_offers(catalog_database, ["OFFERED"])
    results = await asyncio.gather(
        *(
            domain.issue_policy(
                catalog_database,
                KnownApplications(),
                offers[0].id,
                CLIENT_ID,
                caller=FIRST_PARTY,
                now=utcnow(),
            )
            for _ in range(4)
        )
    )
    assert len({policy.id for policy in results}) == 1
    async with catalog_database.reader() as session:
        count = await session.scalar(
            select(func.count()).select_from(Policy).where(Policy.offer_id == offers[0].id)
        )
    assert count == 1


async def test_unknown_offer_is_not_found(catalog_database: Database) -> None:
    missing = new_id()
    with pytest.raises(NotFound, match=missing):
        await domain.issue_policy(
            catalog_database, KnownApplications(), missing, "", caller=FIRST_PARTY, now=utcnow()
        )


@pytest.mark.parametrize("status", ["PENDING", "DECLINED", "TIMED_OUT", "FAILED"])
async def test_offer_not_offered_is_a_failed_precondition_naming_its_status(
    catalog_database: Database, status: str
) -> None:
    _, offers = await insert_offers(catalog_database, [status])
    with pytest.raises(FailedPrecondition, match=f"is {status}, not OFFERED"):
        await domain.issue_policy(
            catalog_database, KnownApplications(), offers[0].id, CLIENT_ID, caller=FIRST_PARTY, now=utcnow()
        )


async def test_expired_offer_is_a_failed_precondition(catalog_database: Database) -> None:
    _, offers = await insert_offers(catalog_database, ["OFFERED"])
    with pytest.raises(FailedPrecondition, match="expired at"):
        await domain.issue_policy(
            catalog_database,
            KnownApplications(),
            offers[0].id,
            CLIENT_ID,
            caller=FIRST_PARTY,
            now=utcnow() + timedelta(days=4),
        )


async def test_another_clients_offer_is_a_failed_precondition(catalog_database: Database) -> None:
    _, offers = await insert_offers(catalog_database, ["OFFERED"])
    with pytest.raises(FailedPrecondition, match="another client"):
        await domain.issue_policy(
            catalog_database,
            KnownApplications(),
            offers[0].id,
            client_seed_id(99),
            caller=FIRST_PARTY,
            now=utcnow(),
        )
    async with catalog_database.reader() as session:
        assert (
            await session.scalar(
                select(func.count()).select_from(Policy).where(Policy.offer_id == offers[0].id)
            )
            == 0
        )


async def test_batch_lookups_report_missing_ids_as_sent(catalog_database: Database) -> None:
    async with catalog_database.reader() as session:
        policy_ids = list((await session.scalars(select(Policy.id).limit(2))).all())
    unknown = new_id()
    ids = domain.parse_batch_ids([policy_ids[0].upper(), "junk", unknown, policy_ids[1]], "ids")
    found, missing = await domain.batch_get_policies(catalog_database, ids)
    assert {p.id for p in found} == set(policy_ids)
    assert missing == ["junk", unknown]


async def test_policies_by_client_keep_request_order(catalog_database: Database) -> None:
    async with catalog_database.reader() as session:
        holder = (await session.scalars(select(Policy.client_id).limit(1))).one()
    empty = client_seed_id(10_000)
    ids = domain.parse_batch_ids([empty, "junk", holder], "client_ids")
    results = await domain.list_policies_by_clients(catalog_database, ids)
    assert [client for client, _ in results] == [empty, "junk", holder]
    assert results[0][1] == []
    assert results[1][1] == []
    assert results[2][1]
    assert all(p.client_id == holder for p in results[2][1])


@pytest.mark.parametrize(
    ("status", "valid_to", "expected"),
    [
        ("ACTIVE", date(2026, 11, 22), "ACTIVE"),
        ("ACTIVE", date(2026, 11, 21), "EXPIRED"),
        ("TERMINATED", date(2020, 1, 1), "TERMINATED"),
        ("EXPIRED", date(2020, 1, 1), "EXPIRED"),
    ],
)
def test_effective_policy_status(status: str, valid_to: date, expected: str) -> None:
    policy = Policy(status=status, valid_to=valid_to)
    assert domain.effective_policy_status(policy, date(2026, 11, 22)) == expected
