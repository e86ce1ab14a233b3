"""Creates check their client and product with the owning services first (both backends).

The domain tests use ``KnownReferences`` to say what client_info and core_app answer; the last
test runs ``BackendReferences`` over real gRPC channels to a port where nothing listens.
"""

from __future__ import annotations

import pytest

from grpc_clients.caller import FIRST_PARTY
from grpc_clients.client_info import ClientInfoClient
from grpc_clients.core_app import CoreAppClient
from services.applications.operations import Applications, CreateOutcome, ItemFailure
from services.applications.references import BackendReferences
from services.common.db import Database
from services.common.errors import FailedPrecondition, NotFound, Unavailable
from services.common.peers import open_peer
from tests.conftest import free_port
from tests.services.applications.applications_harness import (
    CLIENT_ID,
    PRODUCT_ID,
    KnownReferences,
    ManualClock,
    make_input,
    table_counts,
)

UNKNOWN = "99999999-9999-4999-8999-999999999999"


async def test_an_unknown_client_or_product_is_not_found_and_nothing_is_written(
    applications: Applications, applications_database: Database, references: KnownReferences
) -> None:
    references.missing_clients.add(UNKNOWN)
    references.missing_products.add(UNKNOWN)
    with pytest.raises(NotFound, match=f"No client has id '{UNKNOWN}'"):
        await applications.create(make_input(client_id=UNKNOWN), caller=FIRST_PARTY)
    with pytest.raises(NotFound) as both:
        await applications.create(make_input(client_id=UNKNOWN, product_id=UNKNOWN), caller=FIRST_PARTY)
    assert "No client has id" in both.value.message
    assert "No product has id" in both.value.message
    assert await table_counts(applications_database) == (0, 0, 0)
    assert references.checks == [
        (frozenset({UNKNOWN}), frozenset({PRODUCT_ID})),
        (frozenset({UNKNOWN}), frozenset({UNKNOWN})),
    ]


async def test_a_product_no_longer_sold_is_refused(
    applications: Applications, applications_database: Database, references: KnownReferences
) -> None:
    references.inactive_products.add(PRODUCT_ID)
    with pytest.raises(FailedPrecondition, match="no longer sold"):
        await applications.create(make_input(), caller=FIRST_PARTY)
    assert await table_counts(applications_database) == (0, 0, 0)


async def test_a_batch_is_checked_in_one_call_and_fails_item_by_item(
    applications: Applications, applications_database: Database, references: KnownReferences
) -> None:
    references.missing_clients.add(UNKNOWN)
    raws = [
        make_input(),
        make_input(client_id=UNKNOWN),
        make_input(sum_insured_kopecks=0),  # invalid: never reaches the check
        make_input(),
    ]
    results = await applications.batch_create(raws, caller=FIRST_PARTY)
    assert [type(r.outcome) for r in results] == [CreateOutcome, ItemFailure, ItemFailure, CreateOutcome]
    failure = results[1].outcome
    assert isinstance(failure, ItemFailure)
    assert failure.code == "NOT_FOUND"
    assert [v.field for v in failure.violations] == ["inputs[1].client_id"]
    assert references.checks == [(frozenset({CLIENT_ID, UNKNOWN}), frozenset({PRODUCT_ID}))]
    assert await table_counts(applications_database) == (2, 2, 2)


async def test_a_replay_is_answered_without_asking_anyone(
    applications: Applications, references: KnownReferences
) -> None:
    raw = make_input()
    first = await applications.create(raw, caller=FIRST_PARTY)
    references.missing_clients.add(CLIENT_ID)  # the client went away since
    again = await applications.create(raw, caller=FIRST_PARTY)
    assert (again.application.id, again.created) == (first.application.id, False)
    assert len(references.checks) == 1


async def test_a_batch_with_nul_characters_fails_only_those_items(
    applications: Applications, applications_database: Database
) -> None:
    results = await applications.batch_create(
        [make_input(comment="a\x00b"), make_input(), make_input(idempotency_key="key-\x00-0001")],
        caller=FIRST_PARTY,
    )
    failures = [r.outcome for r in results if isinstance(r.outcome, ItemFailure)]
    assert [v.field for f in failures for v in f.violations] == [
        "inputs[0].comment",
        "inputs[2].idempotency_key",
    ]
    assert {f.code for f in failures} == {"INVALID_ARGUMENT"}
    assert await table_counts(applications_database) == (1, 1, 1)


async def test_an_unreachable_owner_refuses_the_create_and_writes_nothing(
    applications_database: Database, clock: ManualClock
) -> None:
    address = f"127.0.0.1:{free_port()}"
    clients, products = open_peer(ClientInfoClient, address), open_peer(CoreAppClient, address)
    try:
        applications = Applications(
            applications_database, references=BackendReferences(clients, products), clock=clock
        )
        with pytest.raises(Unavailable, match="could not be reached"):
            await applications.create(make_input(), caller=FIRST_PARTY)
        with pytest.raises(Unavailable):
            await applications.batch_create([make_input(), make_input()], caller=FIRST_PARTY)
    finally:
        await clients.channel.close()
        await products.channel.close()
    assert await table_counts(applications_database) == (0, 0, 0)
