"""Every CoreAppService RPC and error status over a real in-process grpc.aio server."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import replace
from typing import TYPE_CHECKING

import grpc
import pytest
import redis.asyncio as redis_asyncio
from sqlalchemy import select

from schema.protos import core_app_pb2 as pb
from services.common.catalog import SEED_ANCHOR, client_seed_id, insurer_seed_id, product_seed_id
from services.common.db import Database
from services.core_app.app import build_spec
from services.core_app.models import Policy
from services.core_app.osago import OsagoConfig
from services.core_app.osago.aggregator import SHUTDOWN_REASON
from tests.conftest import REDIS_URL
from tests.services.core_app.core_app_harness import (
    APPLICATION_ID,
    CLIENT_ID,
    FAST_CONFIG,
    KnownApplications,
    ScriptedInsurer,
    count_statements,
    field_violations,
    grpc_stub,
    insert_offers,
    insurer_codes,
)

if TYPE_CHECKING:
    from schema.protos.core_app_pb2_grpc import CoreAppServiceAsyncStub as Stub

QUOTE_REQUEST = pb.RequestOsagoQuotesRequest(
    application_id=APPLICATION_ID,
    client_id=CLIENT_ID,
    engine_power_hp=150,
    region="77",
    driver_age=30,
    driver_experience_years=10,
)


def serve(
    database: Database,
    gateways: Mapping[str, ScriptedInsurer] | None = None,
    config: OsagoConfig = FAST_CONFIG,
) -> AbstractAsyncContextManager[Stub]:
    factory = None if gateways is None else (lambda insurer: gateways[insurer.code])
    spec = build_spec(database, config=config, gateway_factory=factory, applications=KnownApplications())
    return grpc_stub(spec)


@pytest.fixture
async def stub(catalog_database: Database) -> AsyncIterator[Stub]:
    """A client of a core_app server over the seeded database, with instant scripted insurers."""
    gateways = {code: ScriptedInsurer() for code in insurer_codes()}
    async with serve(catalog_database, gateways) as client:
        yield client


async def rpc_error(call: object) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await call  # type: ignore[misc]
    return info.value


async def test_list_products(stub: Stub) -> None:
    everything = await stub.ListProducts(pb.ListProductsRequest())
    assert len(everything.products) == 7
    osago = await stub.ListProducts(pb.ListProductsRequest(kind=pb.OSAGO))
    assert [p.code for p in osago.products] == ["OSAGO-STD"]
    assert osago.products[0].id == product_seed_id("OSAGO-STD")
    assert osago.products[0].active
    assert len((await stub.ListProducts(pb.ListProductsRequest(include_inactive=True))).products) == 7


async def test_list_products_rejects_an_unknown_kind(stub: Stub) -> None:
    error = await rpc_error(stub.ListProducts(pb.ListProductsRequest(kind=99)))  # type: ignore[arg-type]
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "OSAGO (2)" in field_violations(error)["kind"]


async def test_batch_get_products_and_insurers(stub: Stub) -> None:
    unknown = str(uuid.uuid4())
    products = await stub.BatchGetProducts(
        pb.BatchGetProductsRequest(ids=[product_seed_id("KASKO-FULL"), "junk", unknown])
    )
    assert [p.code for p in products.products] == ["KASKO-FULL"]
    assert list(products.missing_ids) == ["junk", unknown]
    insurers = await stub.BatchGetInsurers(
        pb.BatchGetInsurersRequest(ids=[insurer_seed_id("VOLGA"), unknown])
    )
    assert [i.name for i in insurers.insurers] == ["Волга-Страхование"]
    assert insurers.insurers[0].license_number == "СИ № 0207"
    assert list(insurers.missing_ids) == [unknown]


async def test_batch_over_the_limit_is_invalid(stub: Stub) -> None:
    ids = [str(uuid.uuid4()) for _ in range(1001)]
    error = await rpc_error(stub.BatchGetPolicies(pb.BatchGetPoliciesRequest(ids=ids)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "at most 1000" in field_violations(error)["ids"]


async def test_list_insurers(stub: Stub) -> None:
    insurers = (await stub.ListInsurers(pb.ListInsurersRequest())).insurers
    assert len(insurers) == 5
    assert all(0 <= i.rating <= 5 and i.active for i in insurers)


async def test_list_tariffs(stub: Stub) -> None:
    today = await stub.ListTariffs(pb.ListTariffsRequest())
    assert len(today.tariffs) == 35
    tariff = today.tariffs[0]
    assert tariff.valid_from <= SEED_ANCHOR.date().isoformat() <= tariff.valid_to
    assert tariff.refreshed_at.ToDatetime().year == SEED_ANCHOR.year
    filtered = await stub.ListTariffs(
        pb.ListTariffsRequest(product_id=product_seed_id("OSAGO-STD"), insurer_id=insurer_seed_id("URAL"))
    )
    assert len(filtered.tariffs) == 1
    assert filtered.tariffs[0].base_premium_kopecks > 0
    assert len((await stub.ListTariffs(pb.ListTariffsRequest(valid_on="2000-01-01"))).tariffs) == 0


async def test_list_tariffs_rejects_malformed_filters(stub: Stub) -> None:
    error = await rpc_error(stub.ListTariffs(pb.ListTariffsRequest(product_id="p", valid_on="tomorrow")))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(field_violations(error)) == {"product_id", "valid_on"}


async def test_policy_batches(stub: Stub, catalog_database: Database) -> None:
    async with catalog_database.reader() as session:
        policy = (await session.scalars(select(Policy).limit(1))).one()
    got = await stub.BatchGetPolicies(pb.BatchGetPoliciesRequest(ids=[policy.id, "junk"]))
    assert [p.number for p in got.policies] == [policy.number]
    assert got.policies[0].status in (pb.ACTIVE, pb.EXPIRED)
    assert got.policies[0].application_id == ""
    assert list(got.missing_ids) == ["junk"]
    by_client = await stub.BatchListPoliciesByClient(
        pb.BatchListPoliciesByClientRequest(client_ids=[client_seed_id(5000), policy.client_id])
    )
    assert [r.client_id for r in by_client.results] == [client_seed_id(5000), policy.client_id]
    assert list(by_client.results[0].policies) == []
    assert policy.id in {p.id for p in by_client.results[1].policies}


async def test_quote_session_lifecycle_and_policy_issue(stub: Stub) -> None:
    session = await stub.RequestOsagoQuotes(QUOTE_REQUEST)
    assert session.application_id == APPLICATION_ID
    assert len(session.offers) == 5
    assert {o.status for o in session.offers} <= {pb.PENDING, pb.OFFERED}
    watched = [offer async for offer in stub.WatchQuoteSession(pb.GetQuoteSessionRequest(id=session.id))]
    assert len(watched) == 5
    done = await stub.GetQuoteSession(pb.GetQuoteSessionRequest(id=session.id))
    assert done.complete
    assert {o.status for o in done.offers} == {pb.OFFERED}
    offer = done.offers[0]
    assert offer.valid_until.ToSeconds() - offer.settled_at.ToSeconds() == 3 * 24 * 3600
    assert offer.premium_kopecks > 0
    policy = await stub.IssuePolicy(pb.IssuePolicyRequest(offer_id=offer.id, client_id=CLIENT_ID))
    assert policy.number.startswith("POL-")
    assert policy.status == pb.ACTIVE
    assert (policy.application_id, policy.client_id, policy.premium_kopecks) == (
        APPLICATION_ID,
        CLIENT_ID,
        offer.premium_kopecks,
    )
    again = await stub.IssuePolicy(pb.IssuePolicyRequest(offer_id=offer.id, client_id=CLIENT_ID))
    assert again == policy
    by_application = await stub.BatchGetPoliciesByApplication(
        pb.BatchGetPoliciesByApplicationRequest(application_ids=[APPLICATION_ID, "junk"])
    )
    assert [p.id for p in by_application.policies] == [policy.id]
    offers = await stub.BatchListOffersByApplication(
        pb.BatchListOffersByApplicationRequest(application_ids=[APPLICATION_ID, str(uuid.uuid4())])
    )
    assert [len(r.offers) for r in offers.results] == [5, 0]
    statuses = {o.id: o.status for o in offers.results[0].offers}
    assert statuses[offer.id] == pb.ACCEPTED
    other = next(o for o in done.offers if o.id != offer.id)
    with pytest.raises(grpc.aio.AioRpcError) as refused:  # one application takes one policy
        await stub.IssuePolicy(pb.IssuePolicyRequest(offer_id=other.id))
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "already has a policy" in (refused.value.details() or "")


async def test_watch_streams_offers_in_arrival_order(catalog_database: Database) -> None:
    # 0.25 s apart, so a slow database delaying the watch's start cannot bunch the offers together
    delays = {"URAL": 0.05, "SEVSHIELD": 0.3, "BALTIC": 0.55, "GARANT": 0.8, "VOLGA": 1.05}
    gateways = {code: ScriptedInsurer(delay_s=delay) for code, delay in delays.items()}
    config = replace(FAST_CONFIG, watch_poll_s=5.0, call_timeout_s=1.5)
    async with serve(catalog_database, gateways, config) as client:
        session = await client.RequestOsagoQuotes(QUOTE_REQUEST)
        arrivals = []
        async for offer in client.WatchQuoteSession(pb.GetQuoteSessionRequest(id=session.id)):
            arrivals.append((offer.insurer_id, asyncio.get_running_loop().time()))
            assert offer.status == pb.OFFERED
    assert [insurer for insurer, _ in arrivals] == [insurer_seed_id(code) for code in delays]
    assert arrivals[-1][1] - arrivals[0][1] > 0.5, "offers were streamed as they arrived, not at the end"


async def test_slow_insurer_times_out_over_grpc(catalog_database: Database) -> None:
    gateways = {code: ScriptedInsurer() for code in insurer_codes()}
    gateways["GARANT"] = ScriptedInsurer(delay_s=10)
    # The deadline leaves the four prompt insurers a full second: at 0.2 s, one of them settled after
    # the deadline's TIMED_OUT on a machine at load average 12.
    async with serve(catalog_database, gateways, replace(FAST_CONFIG, deadline_s=1.0)) as client:
        session = await client.RequestOsagoQuotes(QUOTE_REQUEST)
        watched = [o async for o in client.WatchQuoteSession(pb.GetQuoteSessionRequest(id=session.id))]
    assert [o.status for o in watched] == [pb.OFFERED] * 4 + [pb.TIMED_OUT]
    assert watched[-1].insurer_id == insurer_seed_id("GARANT")
    assert watched[-1].failure_reason


async def test_request_quotes_validates_every_field(stub: Stub) -> None:
    bad = pb.RequestOsagoQuotesRequest(
        application_id="x", client_id=CLIENT_ID, engine_power_hp=0, region="Moscow", driver_age=17
    )
    error = await rpc_error(stub.RequestOsagoQuotes(bad))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(field_violations(error)) == {"application_id", "engine_power_hp", "region", "driver_age"}
    assert "'application_id'" in (error.details() or "")


async def test_request_quotes_without_catalog_is_a_failed_precondition(core_app_database: Database) -> None:
    async with serve(core_app_database, {}) as client:
        error = await rpc_error(client.RequestOsagoQuotes(QUOTE_REQUEST))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION


@pytest.mark.parametrize("method", ["GetQuoteSession", "WatchQuoteSession"])
async def test_session_reads_report_unknown_and_malformed_ids(stub: Stub, method: str) -> None:
    async def call(session_id: str) -> None:
        result = getattr(stub, method)(pb.GetQuoteSessionRequest(id=session_id))
        if method == "WatchQuoteSession":
            [_ async for _ in result]
        else:
            await result

    unknown = str(uuid.uuid4())
    not_found = await rpc_error(call(unknown))
    assert not_found.code() == grpc.StatusCode.NOT_FOUND
    assert unknown in (not_found.details() or "")
    malformed = await rpc_error(call("nope"))
    assert malformed.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "not a valid id" in field_violations(malformed)["id"]


async def test_issue_policy_errors(stub: Stub, catalog_database: Database) -> None:
    _, offers = await insert_offers(catalog_database, ["DECLINED", "OFFERED"])
    declined = await rpc_error(stub.IssuePolicy(pb.IssuePolicyRequest(offer_id=offers[0].id)))
    assert declined.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "DECLINED" in (declined.details() or "")
    mismatch = await rpc_error(
        stub.IssuePolicy(pb.IssuePolicyRequest(offer_id=offers[1].id, client_id=client_seed_id(3)))
    )
    assert mismatch.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "another client" in (mismatch.details() or "")
    unknown = str(uuid.uuid4())
    missing = await rpc_error(stub.IssuePolicy(pb.IssuePolicyRequest(offer_id=unknown)))
    assert missing.code() == grpc.StatusCode.NOT_FOUND
    assert unknown in (missing.details() or "")
    malformed = await rpc_error(stub.IssuePolicy(pb.IssuePolicyRequest(offer_id="x", client_id="y")))
    assert malformed.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(field_violations(malformed)) == {"offer_id", "client_id"}


async def test_batch_rpcs_run_one_query_for_a_thousand_ids(stub: Stub, catalog_database: Database) -> None:
    ids = [str(uuid.uuid4()) for _ in range(1000)]
    calls: list[Callable[[], Awaitable[object]]] = [
        lambda: stub.BatchGetProducts(pb.BatchGetProductsRequest(ids=ids)),
        lambda: stub.BatchGetInsurers(pb.BatchGetInsurersRequest(ids=ids)),
        lambda: stub.BatchGetPolicies(pb.BatchGetPoliciesRequest(ids=ids)),
        lambda: stub.BatchListPoliciesByClient(pb.BatchListPoliciesByClientRequest(client_ids=ids)),
        lambda: stub.BatchGetPoliciesByApplication(
            pb.BatchGetPoliciesByApplicationRequest(application_ids=ids)
        ),
        lambda: stub.BatchListOffersByApplication(
            pb.BatchListOffersByApplicationRequest(application_ids=ids)
        ),
    ]
    for call in calls:
        with count_statements(catalog_database) as counter:
            response = await call()
        assert len(counter.statements) == 1, (type(response).__name__, counter.statements)


async def test_shutdown_cancels_background_quotes(catalog_database: Database) -> None:
    gateways = {code: ScriptedInsurer(delay_s=30) for code in insurer_codes()}
    async with serve(catalog_database, gateways) as client:
        session = await client.RequestOsagoQuotes(QUOTE_REQUEST)
    async with serve(catalog_database, gateways) as client:
        after = await client.GetQuoteSession(pb.GetQuoteSessionRequest(id=session.id))
    assert after.complete
    assert {(o.status, o.failure_reason) for o in after.offers} == {(pb.FAILED, SHUTDOWN_REASON)}


async def test_redis_url_enables_the_quote_cache(
    catalog_database: Database, redis_client: redis_asyncio.Redis
) -> None:
    prefix = f"test:core_app:{uuid.uuid4().hex}:"
    config = replace(FAST_CONFIG, redis_url=REDIS_URL, cache_prefix=prefix)
    try:
        first = {code: ScriptedInsurer() for code in insurer_codes()}
        async with serve(catalog_database, first, config) as client:
            session = await client.RequestOsagoQuotes(QUOTE_REQUEST)
            [_ async for _ in client.WatchQuoteSession(pb.GetQuoteSessionRequest(id=session.id))]
        second = {code: ScriptedInsurer() for code in insurer_codes()}
        async with serve(catalog_database, second, config) as client:
            again = await client.RequestOsagoQuotes(QUOTE_REQUEST)
            offers = [o async for o in client.WatchQuoteSession(pb.GetQuoteSessionRequest(id=again.id))]
        assert all(gateway.calls for gateway in first.values())
        assert all(gateway.calls == [] for gateway in second.values()), "the second request asked no insurer"
        assert {o.status for o in offers} == {pb.OFFERED}
    finally:
        keys = [key async for key in redis_client.scan_iter(match=prefix + "*")]
        if keys:
            await redis_client.delete(*keys)
