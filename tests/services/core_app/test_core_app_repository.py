"""Repository queries on both backends: filters, ordering, and one statement per batch."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from services.common.catalog import SEED_ANCHOR, insurer_seed_id, product_seed_id
from services.common.db import Database
from services.common.validation import utcnow
from services.core_app import repository
from services.core_app.models import Offer
from tests.services.core_app.core_app_harness import count_statements, insert_offers

ANCHOR = SEED_ANCHOR.date()


async def test_list_tariffs_filters_by_validity_product_and_insurer(catalog_database: Database) -> None:
    osago, volga = product_seed_id("OSAGO-STD"), insurer_seed_id("VOLGA")
    async with catalog_database.reader() as session:
        current = await repository.list_tariffs(session, product_id=None, insurer_id=None, valid_on=ANCHOR)
        previous = await repository.list_tariffs(
            session, product_id=None, insurer_id=None, valid_on=ANCHOR - timedelta(days=400)
        )
        ancient = await repository.list_tariffs(
            session, product_id=None, insurer_id=None, valid_on=date(2000, 1, 1)
        )
        one = await repository.list_tariffs(session, product_id=osago, insurer_id=volga, valid_on=ANCHOR)
        by_product = await repository.list_tariffs(
            session, product_id=osago, insurer_id=None, valid_on=ANCHOR
        )
    assert len(current) == 35
    assert len(previous) == 35
    assert {t.id for t in current}.isdisjoint({t.id for t in previous})
    assert ancient == []
    assert [(t.product_id, t.insurer_id) for t in one] == [(osago, volga)]
    assert len(by_product) == 5
    assert len({t.base_premium_kopecks for t in by_product}) == 5, "each insurer has its own OSAGO base rate"


async def test_tariffs_with_insurers_skips_inactive_insurers(catalog_database: Database) -> None:
    osago = product_seed_id("OSAGO-STD")
    async with catalog_database.transaction() as session:
        rows = await repository.list_tariffs_with_insurers(session, product_id=osago, valid_on=ANCHOR)
        assert len(rows) == 5
        rows[0][1].active = False
    async with catalog_database.reader() as session:
        assert (
            len(await repository.list_tariffs_with_insurers(session, product_id=osago, valid_on=ANCHOR)) == 4
        )


async def test_find_osago_product(catalog_database: Database) -> None:
    async with catalog_database.reader() as session:
        product = await repository.find_osago_product(session)
    assert product is not None
    assert product.code == "OSAGO-STD"


async def test_settle_offer_only_changes_pending_offers(catalog_database: Database) -> None:
    _, offers = await insert_offers(catalog_database, ["PENDING", "DECLINED"])
    now = utcnow()
    async with catalog_database.transaction() as session:
        assert await repository.settle_offer(
            session, offers[0].id, status="OFFERED", settled_at=now, premium_kopecks=100
        )
        assert not await repository.settle_offer(session, offers[0].id, status="FAILED", settled_at=now)
        assert not await repository.settle_offer(session, offers[1].id, status="FAILED", settled_at=now)
    async with catalog_database.reader() as session:
        stored = await session.get(Offer, offers[0].id)
    assert stored is not None
    assert stored.status == "OFFERED"
    assert stored.settled_at == now


async def test_session_offers_come_in_arrival_order_then_pending(catalog_database: Database) -> None:
    quote, offers = await insert_offers(catalog_database, ["PENDING", "OFFERED", "DECLINED"])
    async with catalog_database.transaction() as session:
        await repository.settle_offer(
            session, offers[0].id, status="FAILED", settled_at=utcnow() - timedelta(hours=1)
        )
        listed = await repository.list_session_offers(session, quote.id)
    assert [o.id for o in listed] == [offers[0].id, offers[1].id, offers[2].id]


async def test_expire_stale_offers(catalog_database: Database) -> None:
    quote, _ = await insert_offers(catalog_database, ["PENDING", "OFFERED"])
    now = utcnow()
    async with catalog_database.transaction() as session:
        kept = await repository.expire_stale_offers(
            session, quote.id, requested_before=now - timedelta(minutes=5), now=now, reason="stale"
        )
        expired = await repository.expire_stale_offers(
            session, quote.id, requested_before=now + timedelta(minutes=5), now=now, reason="stale"
        )
    assert (kept, expired) == (0, 1)


async def test_batches_run_one_statement_for_a_thousand_ids(catalog_database: Database) -> None:
    ids = [str(uuid.uuid4()) for _ in range(999)] + [product_seed_id("LIFE-BASIC")]
    async with catalog_database.reader() as session:
        for query in (
            repository.get_products,
            repository.get_insurers,
            repository.get_policies,
            repository.list_policies_by_clients,
            repository.list_policies_by_applications,
            repository.list_offers_by_applications,
        ):
            with count_statements(catalog_database) as counter:
                await query(session, ids)
            assert len(counter.statements) == 1, (query.__name__, counter.statements)
