from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from gateway.errors import (
    BadRequest,
    DepthLimitExceeded,
    PersistedQueryHashMismatch,
    PersistedQueryNotAllowed,
    PersistedQueryNotFound,
    QueryTooComplex,
    Unauthenticated,
)
from gateway.partner_errors import PartnerRateLimited
from gateway.partner_gate import OperationRequest, PartnerGate, persisted_hash
from gateway.partners import Partner, RegistrySource
from gateway.persisted_queries import InMemoryPersistedQueryStore, sha256_hex
from gateway.ratelimit import PartnerRateLimiter
from tests.gateway.partner_world import (
    ACME_KEY,
    APP_1,
    DEPLOY,
    TRAVEL_KEY,
    WEBAPP_KEY,
    make_gateway,
    write_partners,
)

GET_BY_NAME = f'query {{ application(id: "{APP_1}") {{ number }} }}'


def _gate(path: Path = DEPLOY / "partners.yaml", *, dev: bool = False) -> PartnerGate:
    return PartnerGate(
        make_gateway(dev=dev), RegistrySource(path), PartnerRateLimiter(), InMemoryPersistedQueryStore()
    )


@pytest.fixture(scope="module")
def gate() -> PartnerGate:
    return _gate()


def _partner(gate: PartnerGate, key: str) -> Partner:
    return gate.authenticate(key)


def _hash(ref: str) -> dict[str, object]:
    return {"persistedQuery": {"version": 1, "sha256Hash": ref}}


def test_keys_authenticate_partners(gate: PartnerGate) -> None:
    assert gate.authenticate(ACME_KEY).id == "acme-bank"
    with pytest.raises(Unauthenticated, match="no 'X-API-Key' header"):
        gate.authenticate(None)
    with pytest.raises(Unauthenticated, match="unknown or revoked key"):
        gate.authenticate("demo-acme-bank-key-2025")


@pytest.mark.parametrize(
    ("extensions", "message"),
    [
        ({"persistedQuery": "abc"}, "must be an object"),
        ({"persistedQuery": {"version": 2, "sha256Hash": "a"}}, "version 2"),
        ({"persistedQuery": {"version": 1}}, "non-empty string"),
    ],
)
def test_malformed_persisted_query_extensions_are_bad_requests(
    extensions: dict[str, object], message: str
) -> None:
    with pytest.raises(BadRequest, match=message):
        persisted_hash(extensions)


async def test_a_partner_runs_its_manifest_operations_by_id_hash_or_body(gate: PartnerGate) -> None:
    acme = _partner(gate, ACME_KEY)
    entry = gate.catalog.named("GetApplication")
    assert entry is not None
    by_id = await gate.resolve(acme, OperationRequest(None, extensions=_hash(entry.operation.id)))
    by_body = await gate.resolve(acme, OperationRequest(entry.operation.body))
    both = await gate.resolve(acme, OperationRequest(entry.operation.body, extensions=_hash(entry.sha256)))
    assert by_id.entry is by_body.entry is both.entry is entry


async def test_anything_outside_the_partners_manifests_is_not_allowed(gate: PartnerGate) -> None:
    travel = _partner(gate, TRAVEL_KEY)
    create = gate.catalog.named("CreateApplication")
    assert create is not None
    with pytest.raises(
        PersistedQueryNotAllowed, match="'travelshop' may run only the operations of its manifests"
    ):
        await gate.resolve(travel, OperationRequest(None, extensions=_hash(create.sha256)))
    with pytest.raises(PersistedQueryNotAllowed, match="the operation sent"):
        await gate.resolve(travel, OperationRequest(GET_BY_NAME))
    with pytest.raises(PersistedQueryNotAllowed):
        await gate.resolve(travel, OperationRequest("{ __schema { types { name } } }"))
    with pytest.raises(PersistedQueryNotAllowed):
        await gate.resolve(travel, OperationRequest(None, extensions=_hash("f" * 64)))
    assert PersistedQueryNotAllowed("x").status == 403


async def test_a_hash_that_is_not_the_bodys_sha256_is_refused(gate: PartnerGate) -> None:
    for key in (ACME_KEY, WEBAPP_KEY):
        with pytest.raises(
            PersistedQueryHashMismatch, match="is not the SHA-256 of the query sent"
        ) as caught:
            await gate.resolve(_partner(gate, key), OperationRequest(GET_BY_NAME, extensions=_hash("0" * 64)))
        assert caught.value.status == 400


async def test_apq_round_trip_for_first_party_clients() -> None:
    gate = _gate(dev=True)
    webapp = _partner(gate, WEBAPP_KEY)
    ref = sha256_hex(GET_BY_NAME)
    with pytest.raises(PersistedQueryNotFound, match="send it again with the full 'query'"):
        await gate.resolve(webapp, OperationRequest(None, extensions=_hash(ref)))
    stored = await gate.resolve(webapp, OperationRequest(GET_BY_NAME, extensions=_hash(ref)))
    assert stored.query == GET_BY_NAME
    assert stored.entry is None
    again = await gate.resolve(webapp, OperationRequest(None, extensions=_hash(ref)))
    assert again.query == GET_BY_NAME
    entry = gate.catalog.named("SearchApplications")
    assert entry is not None
    assert (await gate.resolve(webapp, OperationRequest(None, extensions=_hash(entry.sha256)))).entry is entry
    with pytest.raises(BadRequest, match="non-empty 'query' string or a persisted query hash"):
        await gate.resolve(webapp, OperationRequest(None))


async def test_the_web_app_runs_exactly_its_manifest_in_production(gate: PartnerGate) -> None:
    webapp = _partner(gate, WEBAPP_KEY)
    own = gate.catalog.named("RequestOsagoQuotes")
    assert own is not None
    assert (await gate.resolve(webapp, OperationRequest(None, extensions=_hash(own.sha256)))).entry is own
    assert (await gate.resolve(webapp, OperationRequest(own.operation.body))).entry is own
    partners_only = gate.catalog.named("GetApplication")
    assert partners_only is not None
    for request in (
        OperationRequest(GET_BY_NAME),
        OperationRequest(None, extensions=_hash(partners_only.sha256)),
    ):
        with pytest.raises(PersistedQueryNotAllowed, match="Partner 'webapp' may run only"):
            await gate.resolve(webapp, request)


async def test_the_web_app_may_send_free_form_graphql_to_a_dev_gateway() -> None:
    gate = _gate(dev=True)
    resolved = await gate.resolve(_partner(gate, WEBAPP_KEY), OperationRequest(GET_BY_NAME))
    assert resolved.query == GET_BY_NAME
    with pytest.raises(PersistedQueryNotAllowed):  # the flag is the web app's, not every partner's
        await gate.resolve(_partner(gate, TRAVEL_KEY), OperationRequest(GET_BY_NAME))


def test_persisted_subscriptions_are_vouched_for_but_not_planned(gate: PartnerGate) -> None:
    entry = gate.catalog.named("OsagoOffers")
    assert entry is not None
    assert entry.is_subscription
    assert entry.plan is None
    assert gate.catalog.allows(_partner(gate, WEBAPP_KEY).id, entry)


def test_free_form_documents_meet_the_default_limits(gate: PartnerGate) -> None:
    limits = gate.registry.default_limits
    deep = '{ application(id: "x") { ' + "client { applications { " * 6 + "id" + " } }" * 6 + " } }"
    with pytest.raises(DepthLimitExceeded, match="levels deep; the limit is 12"):
        gate.check_free_form(limits, OperationRequest(deep))
    wide = "{ " + " ".join(f"a{i}: __typename" for i in range(1200)) + " }"
    with pytest.raises(QueryTooComplex, match="tokens; the limit is 3000"):
        gate.check_free_form(limits, OperationRequest(wide))
    aliases = "{ " + " ".join(f"a{i}: __typename" for i in range(40)) + " }"
    with pytest.raises(QueryTooComplex, match="aliases is 40; the limit is 30"):
        gate.check_free_form(limits, OperationRequest(aliases))
    gate.check_free_form(limits, OperationRequest(GET_BY_NAME))


def test_persisted_cost_depends_on_the_variables(gate: PartnerGate) -> None:
    acme = _partner(gate, ACME_KEY)
    search = gate.catalog.named("SearchApplications")
    assert search is not None
    gate.check_persisted(acme, search, {"q": "x", "limit": 50})
    with pytest.raises(QueryTooComplex, match="estimated cost is"):
        gate.check_persisted(acme, search, {"q": "x", "limit": 100_000})


async def test_rate_limit_refuses_with_headers(tmp_path: Path) -> None:
    path = write_partners(
        tmp_path,
        f"""
  - id: tight
    name: Tight
    api_keys: ["sha256:{sha256_hex("tight-key")}"]
    rate_limit: 2/minute
    manifests: ["{{manifests}}/applications-read.json"]
""",
    )
    gate = _gate(path)
    tight = gate.authenticate("tight-key")
    assert (await gate.rate_limit(tight)).remaining == 1
    await gate.rate_limit(tight)
    with pytest.raises(PartnerRateLimited) as caught:
        await gate.rate_limit(tight)
    refused = caught.value
    assert refused.status == 429
    assert refused.code.name == "RATE_LIMITED"
    assert refused.headers["RateLimit-Limit"] == "2"
    assert refused.headers["RateLimit-Remaining"] == "0"
    assert int(refused.headers["Retry-After"]) >= 1
    assert "'tight' exceeded its rate limit of 2 requests per 60 s" in refused.message


def _entry(name: str, manifest: str = "{manifests}/applications-read.json") -> str:
    return f"""
  - id: {name}
    name: {name}
    api_keys: ["sha256:{sha256_hex(name + "-key")}"]
    manifests: ["{manifest}"]
"""


def test_reload_applies_good_changes_and_keeps_the_last_good_config(tmp_path: Path) -> None:
    entry = _entry("first")
    path = write_partners(tmp_path, entry)
    gate = _gate(path)
    assert not gate.reload_if_changed()
    second = _entry("second")
    write_partners(tmp_path, entry + second)
    assert gate.reload_if_changed()
    assert gate.authenticate("second-key").id == "second"
    broken = _entry("third", "{manifests}/missing.json")
    write_partners(tmp_path, entry + broken + "\n")
    assert not gate.reload_if_changed()
    assert gate.source.last_error is not None
    assert "missing.json" in gate.source.last_error
    assert gate.authenticate("second-key").id == "second"
    bad_op = tmp_path / "bad.json"
    bad_op.write_text(
        '{"format": "apollo-persisted-query-manifest", "version": 1, '
        '"operations": [{"id": "x", "name": "X", "type": "query", "body": "{ nope }"}]}'
    )
    write_partners(tmp_path, entry + second + _entry("fourth", str(bad_op)))
    assert not gate.reload_if_changed()
    assert "Cannot query field 'nope'" in (gate.source.last_error or "")
    assert gate.authenticate("second-key").id == "second"


async def test_a_partner_executes_at_most_max_in_flight_requests_at_once(gate: PartnerGate) -> None:
    acme = _partner(gate, ACME_KEY)
    running = peak = 0

    async def one() -> None:
        nonlocal running, peak
        async with gate.in_flight(acme):
            running += 1
            peak = max(peak, running)
            await asyncio.sleep(0.01)
            running -= 1

    await asyncio.gather(*(one() for _ in range(12)))
    assert peak == acme.max_in_flight == 4
    travel = _partner(gate, TRAVEL_KEY)
    async with gate.in_flight(acme), gate.in_flight(acme), gate.in_flight(acme), gate.in_flight(acme):
        await asyncio.wait_for(_enter(gate, travel), 1)  # acme's full slots never block another partner


async def _enter(gate: PartnerGate, partner: Partner) -> None:
    async with gate.in_flight(partner):
        pass
