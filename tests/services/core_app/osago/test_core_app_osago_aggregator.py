"""The aggregator end to end on both databases: parallel insurers, settlement, watch, cache, shutdown."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Mapping
from dataclasses import replace
from datetime import timedelta

import pytest
import redis.asyncio as redis_asyncio
from sqlalchemy import update

from services.common.catalog import insurer_seed_id, product_seed_id
from services.common.db import Database
from services.common.errors import FailedPrecondition
from services.common.validation import utcnow
from services.core_app import repository
from services.core_app.models import Insurer, Offer, QuoteSession
from services.core_app.osago import (
    OsagoConfig,
    QuoteAggregator,
    QuoteCache,
    QuoteInput,
    RedisQuoteCache,
    load_session,
    osago_premium,
    watch_session,
)
from services.core_app.osago.aggregator import SHUTDOWN_REASON
from services.core_app.osago.sessions import STALE_REASON
from tests.services.core_app.core_app_harness import (
    APPLICATION_ID,
    CLIENT_ID,
    FAST_CONFIG,
    ScriptedInsurer,
    insert_offers,
    insurer_codes,
)

QUOTE = QuoteInput(
    application_id=APPLICATION_ID,
    client_id=CLIENT_ID,
    engine_power_hp=150,
    region="77",
    driver_age=30,
    driver_experience_years=10,
)


def scripted(**per_code: ScriptedInsurer) -> dict[str, ScriptedInsurer]:
    """A scripted insurer for every seeded insurer, with overrides by code."""
    return {code: per_code.get(code, ScriptedInsurer()) for code in insurer_codes()}


def aggregator_for(
    database: Database,
    gateways: Mapping[str, ScriptedInsurer] | None = None,
    config: OsagoConfig = FAST_CONFIG,
    cache: QuoteCache | None = None,
) -> QuoteAggregator:
    factory = None if gateways is None else (lambda insurer: gateways[insurer.code])
    return QuoteAggregator(database, config, gateway_factory=factory, cache=cache)


@pytest.fixture
async def aggregators() -> AsyncIterator[list[QuoteAggregator]]:
    """Aggregators registered here are closed after the test."""
    created: list[QuoteAggregator] = []
    yield created
    for aggregator in created:
        await aggregator.close()


async def osago_bases(database: Database) -> dict[str, int]:
    async with database.reader() as session:
        rows = await repository.list_tariffs_with_insurers(
            session, product_id=product_seed_id("OSAGO-STD"), valid_on=utcnow().date()
        )
    return {insurer.code: tariff.base_premium_kopecks for tariff, insurer in rows}


def expected_premium(base: int) -> int:
    return osago_premium(base, engine_power_hp=150, region="77", driver_age=30, driver_experience_years=10)


async def test_returns_pending_offers_at_once_then_records_each_answer(
    catalog_database: Database, aggregators: list[QuoteAggregator]
) -> None:
    gateways = scripted(**{code: ScriptedInsurer(delay_s=0.05) for code in insurer_codes()})
    aggregator = aggregator_for(catalog_database, gateways)
    aggregators.append(aggregator)
    view = await aggregator.start_session(QUOTE)
    assert [o.status for o in view.offers] == ["PENDING"] * 5
    assert not view.complete
    assert aggregator.running == 5
    await aggregator.wait_idle()
    final = await load_session(catalog_database, view.session.id, FAST_CONFIG)
    assert final.complete
    bases = await osago_bases(catalog_database)
    codes = {insurer_seed_id(code): code for code in insurer_codes()}
    for offer in final.offers:
        assert offer.status == "OFFERED"
        assert offer.premium_kopecks == expected_premium(bases[codes[offer.insurer_id]])
        assert offer.settled_at is not None
        assert offer.valid_until == offer.settled_at + timedelta(days=3)
    assert len({o.premium_kopecks for o in final.offers}) == 5, "premiums differ per insurer"


async def test_insurers_are_asked_in_parallel(
    catalog_database: Database, aggregators: list[QuoteAggregator]
) -> None:
    gateways = scripted(**{code: ScriptedInsurer(delay_s=0.2) for code in insurer_codes()})
    aggregator = aggregator_for(catalog_database, gateways)
    aggregators.append(aggregator)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await aggregator.start_session(QUOTE)
    await aggregator.wait_idle()
    assert loop.time() - started < 0.2 * 5 * 0.6


async def test_slow_insurer_times_out_while_the_others_arrive(
    catalog_database: Database, aggregators: list[QuoteAggregator]
) -> None:
    # A 1 s deadline: the four prompt insurers must settle before it even on a loaded machine.
    config = replace(FAST_CONFIG, deadline_s=1.0, call_timeout_s=5.0)
    gateways = scripted(URAL=ScriptedInsurer(delay_s=10.0))
    aggregator = aggregator_for(catalog_database, gateways, config)
    aggregators.append(aggregator)
    view = await aggregator.start_session(QUOTE)
    for _ in range(90):
        partial = await load_session(catalog_database, view.session.id, config)
        if sum(o.status != "PENDING" for o in partial.offers) == 4:
            break
        await asyncio.sleep(0.01)
    ural = insurer_seed_id("URAL")
    assert {o.insurer_id: o.status for o in partial.offers}[ural] == "PENDING", "what has arrived so far"
    assert not partial.complete
    await aggregator.wait_idle()
    final = await load_session(catalog_database, view.session.id, config)
    statuses = {o.insurer_id: o.status for o in final.offers}
    assert statuses.pop(ural) == "TIMED_OUT"
    assert set(statuses.values()) == {"OFFERED"}
    assert final.offers[-1].insurer_id == ural, "the timed-out offer arrived last"
    assert "within 1 s" in final.offers[-1].failure_reason


async def test_watch_streams_offers_in_arrival_order(
    catalog_database: Database, aggregators: list[QuoteAggregator]
) -> None:
    # 0.3 s apart: the order must come from the insurers' answers, not from scheduling jitter, which
    # reached tens of milliseconds (SQLite commits under a load average of 10) with 50 ms spacing.
    delays = {"GARANT": 0.01, "BALTIC": 0.31, "SEVSHIELD": 0.61, "VOLGA": 0.91, "URAL": 1.21}
    gateways = scripted(**{code: ScriptedInsurer(delay_s=delay) for code, delay in delays.items()})
    config = replace(FAST_CONFIG, watch_poll_s=5.0, call_timeout_s=3.0, deadline_s=6.0)
    aggregator = aggregator_for(catalog_database, gateways, config)
    aggregators.append(aggregator)
    view = await aggregator.start_session(QUOTE)
    watched = [
        offer
        async for offer in watch_session(catalog_database, aggregator.hub, view.session.id, aggregator.config)
    ]
    assert [o.insurer_id for o in watched] == [insurer_seed_id(code) for code in delays]
    assert len({o.id for o in watched}) == len(delays)
    assert aggregator.hub.watcher_count(view.session.id) == 0


async def test_watch_falls_back_to_polling_without_notifications(catalog_database: Database) -> None:
    quote, offers = await insert_offers(catalog_database, ["OFFERED", "PENDING"])
    config = replace(FAST_CONFIG, watch_poll_s=0.02)
    other_instance_hub = QuoteAggregator(catalog_database, config).hub

    async def settle_later() -> None:
        await asyncio.sleep(0.1)
        async with catalog_database.transaction() as session:
            await repository.settle_offer(session, offers[1].id, status="DECLINED", settled_at=utcnow())

    settler = asyncio.create_task(settle_later())
    watched = [o.id async for o in watch_session(catalog_database, other_instance_hub, quote.id, config)]
    await settler
    assert watched == [offers[0].id, offers[1].id]


async def test_breaker_opens_after_failures_and_fails_next_sessions_at_once(
    catalog_database: Database, aggregators: list[QuoteAggregator]
) -> None:
    failing = ScriptedInsurer(create_failures=1000)
    config = replace(FAST_CONFIG, breaker_failure_threshold=3)
    aggregator = aggregator_for(catalog_database, scripted(VOLGA=failing), config)
    aggregators.append(aggregator)
    first = await aggregator.start_session(QUOTE)
    await aggregator.wait_idle()
    volga = insurer_seed_id("VOLGA")
    first_final = await load_session(catalog_database, first.session.id, config)
    assert {o.insurer_id: o.status for o in first_final.offers}[volga] == "FAILED"
    calls_before = len(failing.calls)
    second = await aggregator.start_session(QUOTE)
    await aggregator.wait_idle()
    second_final = await load_session(catalog_database, second.session.id, config)
    offer = next(o for o in second_final.offers if o.insurer_id == volga)
    assert (offer.status, offer.failure_reason) == ("FAILED", "circuit open")
    assert len(failing.calls) == calls_before


async def test_close_cancels_calls_and_settles_them_failed(catalog_database: Database) -> None:
    aggregator = aggregator_for(
        catalog_database, scripted(**{c: ScriptedInsurer(delay_s=30) for c in insurer_codes()})
    )
    view = await aggregator.start_session(QUOTE)
    await aggregator.close()
    assert aggregator.running == 0
    final = await load_session(catalog_database, view.session.id, FAST_CONFIG)
    assert {(o.status, o.failure_reason) for o in final.offers} == {("FAILED", SHUTDOWN_REASON)}
    with pytest.raises(FailedPrecondition, match="shutting down"):
        await aggregator.start_session(QUOTE)


async def test_without_osago_tariffs_quotes_are_unavailable(core_app_database: Database) -> None:
    aggregator = aggregator_for(core_app_database, scripted())
    with pytest.raises(FailedPrecondition, match="No active OSAGO product"):
        await aggregator.start_session(QUOTE)


async def test_without_active_insurers_quotes_are_unavailable(catalog_database: Database) -> None:
    async with catalog_database.transaction() as session:
        await session.execute(update(Insurer).values(active=False))
    with pytest.raises(FailedPrecondition, match="No active insurer has an OSAGO tariff"):
        await aggregator_for(catalog_database, scripted()).start_session(QUOTE)


async def test_offers_left_pending_by_a_dead_worker_time_out_on_read(catalog_database: Database) -> None:
    quote, offers = await insert_offers(catalog_database, ["PENDING", "OFFERED"])
    long_ago = utcnow() - timedelta(minutes=10)
    async with catalog_database.transaction() as session:
        await session.execute(
            update(QuoteSession).where(QuoteSession.id == quote.id).values(created_at=long_ago)
        )
        await session.execute(update(Offer).where(Offer.session_id == quote.id).values(requested_at=long_ago))
    view = await load_session(catalog_database, quote.id, FAST_CONFIG)
    assert view.complete
    stale = next(o for o in view.offers if o.id == offers[0].id)
    assert (stale.status, stale.failure_reason) == ("TIMED_OUT", STALE_REASON)


async def test_simulated_insurers_by_default(
    catalog_database: Database, aggregators: list[QuoteAggregator]
) -> None:
    aggregator = aggregator_for(catalog_database)
    aggregators.append(aggregator)
    view = await aggregator.start_session(QUOTE)
    await aggregator.wait_idle()
    final = await load_session(catalog_database, view.session.id, FAST_CONFIG)
    bases = await osago_bases(catalog_database)
    assert sorted(o.premium_kopecks or 0 for o in final.offers) == sorted(
        expected_premium(b) for b in bases.values()
    )


async def test_redis_cache_hit_calls_no_insurer(
    catalog_database: Database, redis_client: redis_asyncio.Redis, aggregators: list[QuoteAggregator]
) -> None:
    prefix = f"test:core_app:{uuid.uuid4().hex}:"
    try:
        first_gateways = scripted()
        first = aggregator_for(
            catalog_database, first_gateways, cache=RedisQuoteCache(redis_client, prefix=prefix)
        )
        aggregators.append(first)
        view = await first.start_session(QUOTE)
        await first.wait_idle()
        assert all(g.calls for g in first_gateways.values())
        # Another instance (fresh aggregator, same Redis) gets identical inputs.
        second_gateways = scripted()
        second = aggregator_for(
            catalog_database, second_gateways, cache=RedisQuoteCache(redis_client, prefix=prefix)
        )
        aggregators.append(second)
        again = await second.start_session(QUOTE)
        await second.wait_idle()
        assert all(g.calls == [] for g in second_gateways.values())
        before = await load_session(catalog_database, view.session.id, FAST_CONFIG)
        after = await load_session(catalog_database, again.session.id, FAST_CONFIG)
        assert sorted((o.insurer_id, o.premium_kopecks) for o in before.offers) == sorted(
            (o.insurer_id, o.premium_kopecks) for o in after.offers
        )
        assert len([key async for key in redis_client.scan_iter(match=prefix + "*")]) == 5
    finally:
        keys = [key async for key in redis_client.scan_iter(match=prefix + "*")]
        if keys:
            await redis_client.delete(*keys)


async def test_broken_redis_does_not_fail_the_quote(
    catalog_database: Database, aggregators: list[QuoteAggregator]
) -> None:
    cache = RedisQuoteCache.from_url("redis://127.0.0.1:1/0")
    aggregator = aggregator_for(catalog_database, scripted(), cache=cache)
    aggregators.append(aggregator)
    view = await aggregator.start_session(QUOTE)
    await aggregator.wait_idle()
    final = await load_session(catalog_database, view.session.id, FAST_CONFIG)
    assert {o.status for o in final.offers} == {"OFFERED"}


class ExplodingCache:
    """A cache whose reads raise something unexpected (not a Redis error)."""

    async def get(self, key: str) -> None:
        raise RuntimeError("boom")

    async def put(self, key: str, decision: object) -> None:
        return None

    async def close(self) -> None:
        return None


async def test_unexpected_error_settles_the_offer_failed(
    catalog_database: Database, aggregators: list[QuoteAggregator], caplog: pytest.LogCaptureFixture
) -> None:
    aggregator = aggregator_for(catalog_database, scripted(), cache=ExplodingCache())
    aggregators.append(aggregator)
    view = await aggregator.start_session(QUOTE)
    await aggregator.wait_idle()
    final = await load_session(catalog_database, view.session.id, FAST_CONFIG)
    assert {(o.status, o.failure_reason) for o in final.offers} == {
        ("FAILED", "Internal error while asking the insurer.")
    }
    assert "failed unexpectedly" in caplog.text
