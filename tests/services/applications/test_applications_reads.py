"""Reads on both backends: get, batch get, filters with keyset pagination, per-client batches."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from grpc_clients.caller import FIRST_PARTY
from services.applications.models import Application
from services.applications.operations import Applications, ListFilterRequest
from services.common.db import Database
from services.common.errors import InvalidArgument, NotFound
from tests.services.applications.applications_harness import ManualClock, count_statements, make_input

CLIENTS = [str(uuid.UUID(int=i + 1)) for i in range(3)]
PRODUCTS = [str(uuid.UUID(int=100 + i)) for i in range(2)]


async def populate(applications: Applications, clock: ManualClock, count: int = 30) -> list[Application]:
    """``count`` applications over 3 clients and 2 products, some sharing an instant, some moved on."""
    created: list[Application] = []
    clock.now = datetime(2025, 2, 27, 0, 0, tzinfo=UTC)
    for index in range(count):
        if index % 3 != 0:  # every third shares the previous instant: ties are broken by id
            clock.advance(hours=7)
        raw = make_input(client_id=CLIENTS[index % 3], product_id=PRODUCTS[index % 2], submit=index % 4 == 0)
        application = (await applications.create(raw, caller=FIRST_PARTY)).application
        if index % 5 == 0:
            application = await applications.cancel(application.id, "Передумал", caller=FIRST_PARTY)
        created.append(application)
    return created


def newest_first(items: list[Application]) -> list[str]:
    return [a.id for a in sorted(items, key=lambda a: (a.applied_at, a.id), reverse=True)]


async def walk(applications: Applications, request: ListFilterRequest, page_size: int) -> list[str]:
    seen: list[str] = []
    token = ""
    while True:
        page, token = await applications.list_page(request, page_size, token, caller=FIRST_PARTY)
        assert len(page) <= page_size
        seen += [a.id for a in page]
        if not token:
            return seen
        assert len(page) == page_size


@pytest.mark.parametrize(
    "request_",
    [
        ListFilterRequest(),
        ListFilterRequest(applied_from="2025-03-01", applied_to="2025-03-02"),
        ListFilterRequest(applied_from="2025-03-03"),
        ListFilterRequest(applied_to="2025-02-28"),
        ListFilterRequest(statuses=("CANCELLED", "SUBMITTED")),
        ListFilterRequest(client_id=CLIENTS[1], product_id=PRODUCTS[0]),
    ],
)
async def test_walk_all_pages_without_duplicates_or_gaps(
    applications: Applications, clock: ManualClock, request_: ListFilterRequest
) -> None:
    created = await populate(applications, clock)

    def matches(a: Application) -> bool:
        day = a.applied_at.date().isoformat()
        return (
            (not request_.applied_from or day >= request_.applied_from)
            and (not request_.applied_to or day <= request_.applied_to)
            and (not request_.statuses or a.status in request_.statuses)
            and (not request_.client_id or a.client_id == request_.client_id)
            and (not request_.product_id or a.product_id == request_.product_id)
        )

    expected = newest_first([a for a in created if matches(a)])
    assert expected
    for page_size in (1, 4, 100):
        assert await walk(applications, request_, page_size) == expected


async def test_date_bounds_are_inclusive_whole_days(applications: Applications, clock: ManualClock) -> None:
    instants = [
        datetime(2025, 2, 28, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2025, 3, 1, 0, 0, tzinfo=UTC),
        datetime(2025, 3, 2, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2025, 3, 3, 0, 0, tzinfo=UTC),
    ]
    ids = []
    for instant in instants:
        clock.now = instant
        ids.append((await applications.create(make_input(), caller=FIRST_PARTY)).application.id)
    page, token = await applications.list_page(
        ListFilterRequest(applied_from="2025-03-01", applied_to="2025-03-02"), 0, "", caller=FIRST_PARTY
    )
    assert ([a.id for a in page], token) == ([ids[2], ids[1]], "")


async def test_default_page_size_is_20(applications: Applications, clock: ManualClock) -> None:
    await populate(applications, clock, count=21)
    page, token = await applications.list_page(ListFilterRequest(), 0, "", caller=FIRST_PARTY)
    assert len(page) == 20
    assert token


@pytest.mark.parametrize(
    ("request_", "page_size", "token", "fields"),
    [
        (ListFilterRequest(applied_from="2025-02-30"), 0, "", ["filter.applied_from"]),
        (
            ListFilterRequest(applied_from="2025-03-02", applied_to="2025-03-01"),
            0,
            "",
            ["filter.applied_from"],
        ),
        (ListFilterRequest(statuses=("LOST",)), 101, "", ["filter.statuses[0]", "page_size"]),
        (ListFilterRequest(), 0, "tampered", ["page_token"]),
    ],
)
async def test_invalid_list_requests(
    applications: Applications, request_: ListFilterRequest, page_size: int, token: str, fields: list[str]
) -> None:
    with pytest.raises(InvalidArgument) as caught:
        await applications.list_page(request_, page_size, token, caller=FIRST_PARTY)
    assert [v.field for v in caught.value.violations] == fields


async def test_token_of_another_filter_is_rejected(applications: Applications, clock: ManualClock) -> None:
    await populate(applications, clock, count=5)
    _, token = await applications.list_page(ListFilterRequest(), 2, "", caller=FIRST_PARTY)
    with pytest.raises(InvalidArgument, match="different filter"):
        await applications.list_page(ListFilterRequest(client_id=CLIENTS[0]), 2, token, caller=FIRST_PARTY)


async def test_get_and_errors(applications: Applications) -> None:
    created = (await applications.create(make_input(), caller=FIRST_PARTY)).application
    fetched = await applications.get(created.id.upper(), caller=FIRST_PARTY)
    assert (fetched.id, [h.status for h in fetched.history]) == (created.id, ["DRAFT"])
    with pytest.raises(InvalidArgument) as caught:
        await applications.get("12", caller=FIRST_PARTY)
    assert [v.field for v in caught.value.violations] == ["id"]
    missing = str(uuid.uuid4())
    with pytest.raises(NotFound, match=missing):
        await applications.get(missing, caller=FIRST_PARTY)


async def test_batch_get_reports_missing_and_malformed_ids(
    applications: Applications, clock: ManualClock
) -> None:
    created = await populate(applications, clock, count=3)
    unknown = str(uuid.uuid4())
    found, missing = await applications.batch_get(
        [created[2].id, "bad", unknown, created[0].id, created[2].id], caller=FIRST_PARTY
    )
    assert [a.id for a in found] == [created[2].id, created[0].id]
    assert missing == ["bad", unknown]
    with pytest.raises(InvalidArgument):
        await applications.batch_get([str(uuid.uuid4()) for _ in range(1001)], caller=FIRST_PARTY)


async def test_list_by_clients_newest_first_with_limit(
    applications: Applications, clock: ManualClock
) -> None:
    created = await populate(applications, clock, count=12)
    results = await applications.list_by_clients(
        [CLIENTS[2], "bad", CLIENTS[0], str(uuid.uuid4())], 3, caller=FIRST_PARTY
    )
    assert [client for client, _ in results][:3] == [CLIENTS[2], "bad", CLIENTS[0]]
    assert results[1][1] == []
    assert results[3][1] == []
    for client, found in (results[0], results[2]):
        expected = newest_first([a for a in created if a.client_id == client])[:3]
        assert [a.id for a in found] == expected
        assert all(a.history for a in found)
    with pytest.raises(InvalidArgument) as caught:
        await applications.list_by_clients(CLIENTS, 101, caller=FIRST_PARTY)
    assert [v.field for v in caught.value.violations] == ["limit_per_client"]


async def test_batch_reads_of_1000_ids_are_one_statement(
    applications: Applications, applications_database: Database, clock: ManualClock
) -> None:
    created = await populate(applications, clock, count=15)
    client_ids = [str(uuid.uuid4()) for _ in range(997)] + CLIENTS
    ids = [str(uuid.uuid4()) for _ in range(985)] + [a.id for a in created]
    with count_statements(applications_database) as by_client:
        results = await applications.list_by_clients(client_ids, 20, caller=FIRST_PARTY)
    with count_statements(applications_database) as by_id:
        found, missing = await applications.batch_get(ids, caller=FIRST_PARTY)
    assert len(by_client) == 1, by_client
    assert len(by_id) == 1, by_id
    assert sum(len(found) for _, found in results) == 15
    assert (len(found), len(missing)) == (15, 985)


async def test_page_of_100_is_one_statement(
    applications: Applications, applications_database: Database, clock: ManualClock
) -> None:
    await populate(applications, clock, count=30)
    with count_statements(applications_database) as statements:
        page, _ = await applications.list_page(
            ListFilterRequest(statuses=("DRAFT", "SUBMITTED")), 100, "", caller=FIRST_PARTY
        )
    assert len(statements) == 1
    assert page
    assert all(a.history for a in page)
