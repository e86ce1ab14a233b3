"""Every RPC and every error status over a real in-process gRPC server (both backends)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable
from typing import Any

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from schema.protos import applications_pb2 as pb
from schema.protos import applications_pb2_grpc as pb_grpc
from services.applications.app import build_spec
from services.common.db import Database
from services.common.server import build_server
from tests.services.applications.applications_harness import KnownReferences

CLIENT = "11111111-1111-4111-8111-111111111111"
PRODUCT = "22222222-2222-4222-8222-222222222222"


@pytest.fixture
async def stub(applications_database: Database) -> AsyncIterator[Any]:
    """An ``ApplicationsService`` stub talking to an in-process server on a free port."""
    server, port = await build_server(
        build_spec(applications_database, references=KnownReferences()), "127.0.0.1:0"
    )
    await server.start()
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        yield pb_grpc.ApplicationsServiceStub(channel)
    await server.stop(grace=None)


def an_input(**overrides: Any) -> pb.ApplicationInput:
    values: dict[str, Any] = {
        "idempotency_key": f"key-{uuid.uuid4().hex}",
        "client_id": CLIENT,
        "product_id": PRODUCT,
        "insured_object": pb.InsuredObject(kind="person", description="Жизнь"),
        "sum_insured_kopecks": 500_000_00,
        "term_months": 12,
        "comment": "Серебряные ложки",
        **overrides,
    }
    return pb.ApplicationInput(**values)


async def expect_error(call: Awaitable[Any], code: grpc.StatusCode) -> tuple[str, list[str]]:
    """Await a failing call; return its message and the BadRequest field paths."""
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call
    error = caught.value
    assert error.code() == code, error.details()
    fields: list[str] = []
    status = rpc_status.from_call(error)
    if status is not None:
        for detail in status.details:
            bad_request = error_details_pb2.BadRequest()
            assert detail.Unpack(bad_request)
            fields += [v.field for v in bad_request.field_violations]
    return str(error.details()), fields


async def create(stub: Any, **overrides: Any) -> pb.Application:
    response = await stub.CreateApplication(pb.CreateApplicationRequest(input=an_input(**overrides)))
    application: pb.Application = response.application
    return application


async def test_create_and_idempotent_replay(stub: Any) -> None:
    request = pb.CreateApplicationRequest(
        input=an_input(
            insured_object=pb.InsuredObject(kind="vehicle", description="Toyota Camry"),
            vehicle=pb.VehicleInfo(
                vin="JTDBR32E720123456", plate="А123ВС77", make="Toyota", year=2020, engine_power_hp=150
            ),
            submit=True,
        )
    )
    first = await stub.CreateApplication(request)
    again = await stub.CreateApplication(request)
    assert first.created
    assert not again.created
    assert again.application == first.application
    application = first.application
    assert application.status == pb.SUBMITTED
    assert application.number.startswith("APP-")
    assert application.vehicle.vin == "JTDBR32E720123456"
    assert [h.status for h in application.status_history] == [pb.SUBMITTED]
    assert application.applied_at.seconds > 0
    assert application.idempotency_key == request.input.idempotency_key
    plain = await create(stub)
    assert not plain.HasField("vehicle")


async def test_create_errors(stub: Any) -> None:
    message, fields = await expect_error(
        stub.CreateApplication(
            pb.CreateApplicationRequest(
                input=an_input(
                    idempotency_key="",
                    client_id="nope",
                    term_months=0,
                    insured_object=pb.InsuredObject(kind="vehicle"),
                    sum_insured_kopecks=10**12 + 1,
                )
            )
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert fields == [
        "input.idempotency_key",
        "input.client_id",
        "input.sum_insured_kopecks",
        "input.term_months",
        "input.vehicle",
    ]
    assert "'input.client_id'" in message
    _, fields = await expect_error(
        stub.CreateApplication(
            pb.CreateApplicationRequest(
                input=an_input(vehicle=pb.VehicleInfo(vin="BAD", year=1900, engine_power_hp=0))
            )
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert fields == ["input.vehicle.vin", "input.vehicle.year", "input.vehicle.engine_power_hp"]
    original = an_input()
    await stub.CreateApplication(pb.CreateApplicationRequest(input=original))
    changed = pb.ApplicationInput()
    changed.CopyFrom(original)
    changed.term_months = 24
    message, _ = await expect_error(
        stub.CreateApplication(pb.CreateApplicationRequest(input=changed)), grpc.StatusCode.ALREADY_EXISTS
    )
    assert original.idempotency_key in message


async def test_batch_create(stub: Any) -> None:
    inputs = [an_input(), an_input(term_months=601, comment="c" * 2001), an_input()]
    response = await stub.BatchCreateApplications(pb.BatchCreateApplicationsRequest(inputs=inputs))
    outcomes = [r.WhichOneof("outcome") for r in response.results]
    assert outcomes == ["application", "error", "application"]
    assert [r.index for r in response.results] == [0, 1, 2]
    assert response.results[0].created
    error = response.results[1].error
    assert error.code == "INVALID_ARGUMENT"
    assert [v.field for v in error.field_violations] == ["inputs[1].term_months", "inputs[1].comment"]
    for size in (0, 101):
        _, fields = await expect_error(
            stub.BatchCreateApplications(
                pb.BatchCreateApplicationsRequest(inputs=[an_input() for _ in range(size)])
            ),
            grpc.StatusCode.INVALID_ARGUMENT,
        )
        assert fields == ["inputs"]
    listed = await stub.ListApplications(pb.ListApplicationsRequest(page_size=100))
    assert len(listed.applications) == 2


async def test_transition_and_cancel(stub: Any) -> None:
    application = await create(stub)
    submitted = await stub.TransitionApplication(
        pb.TransitionApplicationRequest(id=application.id, to_status=pb.SUBMITTED)
    )
    assert submitted.status == pb.SUBMITTED
    cancelled = await stub.CancelApplication(
        pb.CancelApplicationRequest(id=application.id, reason="Передумал")
    )
    assert cancelled.status == pb.CANCELLED
    assert cancelled.cancellation_reason == "Передумал"
    assert [h.status for h in cancelled.status_history] == [pb.DRAFT, pb.SUBMITTED, pb.CANCELLED]
    assert cancelled.status_history[-1].reason == "Передумал"
    again = await stub.CancelApplication(pb.CancelApplicationRequest(id=application.id, reason="Ещё раз"))
    assert again == cancelled  # a repeated cancel answers the application as it stands
    message, _ = await expect_error(
        stub.TransitionApplication(pb.TransitionApplicationRequest(id=application.id, to_status=pb.APPROVED)),
        grpc.StatusCode.FAILED_PRECONDITION,
    )
    assert "final status" in message


async def test_transition_and_cancel_errors(stub: Any) -> None:
    application = await create(stub)
    _, fields = await expect_error(
        stub.CancelApplication(pb.CancelApplicationRequest(id=application.id)),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert fields == ["reason"]
    _, fields = await expect_error(
        stub.TransitionApplication(pb.TransitionApplicationRequest(id="x", reason="r" * 501)),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert fields == ["id", "to_status", "reason"]
    message, fields = await expect_error(
        stub.TransitionApplication(
            pb.TransitionApplicationRequest(id=application.id, to_status=99)  # type: ignore[arg-type]
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert fields == ["to_status"]
    missing = str(uuid.uuid4())
    message, _ = await expect_error(
        stub.CancelApplication(pb.CancelApplicationRequest(id=missing, reason="r")), grpc.StatusCode.NOT_FOUND
    )
    assert missing in message
    message, _ = await expect_error(
        stub.TransitionApplication(
            pb.TransitionApplicationRequest(id=application.id, to_status=pb.COMPLETED)
        ),
        grpc.StatusCode.FAILED_PRECONDITION,
    )
    assert "allowed from DRAFT: SUBMITTED, CANCELLED" in message


async def test_get_and_batch_get(stub: Any) -> None:
    application = await create(stub)
    assert await stub.GetApplication(pb.GetApplicationRequest(id=application.id)) == application
    _, fields = await expect_error(
        stub.GetApplication(pb.GetApplicationRequest(id="42")), grpc.StatusCode.INVALID_ARGUMENT
    )
    assert fields == ["id"]
    missing = str(uuid.uuid4())
    message, _ = await expect_error(
        stub.GetApplication(pb.GetApplicationRequest(id=missing)), grpc.StatusCode.NOT_FOUND
    )
    assert missing in message
    batch = await stub.BatchGetApplications(
        pb.BatchGetApplicationsRequest(ids=[missing, application.id, "bad"])
    )
    assert [a.id for a in batch.applications] == [application.id]
    assert list(batch.missing_ids) == [missing, "bad"]
    _, fields = await expect_error(
        stub.BatchGetApplications(pb.BatchGetApplicationsRequest(ids=[missing] * 1001)),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert fields == ["ids"]


async def test_list_pages_and_errors(stub: Any) -> None:
    created = [await create(stub) for _ in range(5)]
    await stub.TransitionApplication(
        pb.TransitionApplicationRequest(id=created[0].id, to_status=pb.SUBMITTED)
    )
    seen: list[str] = []
    token = ""
    while True:
        response = await stub.ListApplications(pb.ListApplicationsRequest(page_size=2, page_token=token))
        seen += [a.id for a in response.applications]
        token = response.next_page_token
        if not token:
            break
    assert seen == [a.id for a in reversed(created)]
    filtered = await stub.ListApplications(
        pb.ListApplicationsRequest(filter=pb.ApplicationFilter(statuses=[pb.SUBMITTED], client_id=CLIENT))
    )
    assert [a.id for a in filtered.applications] == [created[0].id]
    for request, expected in (
        (
            pb.ListApplicationsRequest(filter=pb.ApplicationFilter(applied_from="2025-02-30")),
            ["filter.applied_from"],
        ),
        (
            pb.ListApplicationsRequest(
                filter=pb.ApplicationFilter(applied_from="2025-03-02", applied_to="2025-03-01")
            ),
            ["filter.applied_from"],
        ),
        (
            pb.ListApplicationsRequest(filter=pb.ApplicationFilter(statuses=[0])),  # type: ignore[list-item]
            ["filter.statuses[0]"],
        ),
        (pb.ListApplicationsRequest(page_size=101), ["page_size"]),
        (pb.ListApplicationsRequest(page_token="xyz"), ["page_token"]),
        (pb.ListApplicationsRequest(filter=pb.ApplicationFilter(product_id="p")), ["filter.product_id"]),
    ):
        _, fields = await expect_error(stub.ListApplications(request), grpc.StatusCode.INVALID_ARGUMENT)
        assert fields == expected


async def test_search(stub: Any) -> None:
    spoon = await create(stub, comment="Ест суп ложкой")
    await create(stub, comment="Вилка")
    response = await stub.SearchApplications(pb.SearchApplicationsRequest(query="ложка"))
    assert [a.id for a in response.applications] == [spoon.id]
    for request, expected in (
        (pb.SearchApplicationsRequest(query="  "), ["query"]),
        (pb.SearchApplicationsRequest(query="ложка", limit=101), ["limit"]),
    ):
        _, fields = await expect_error(stub.SearchApplications(request), grpc.StatusCode.INVALID_ARGUMENT)
        assert fields == expected


async def test_batch_list_by_client(stub: Any) -> None:
    other = str(uuid.uuid4())
    mine = [await create(stub) for _ in range(3)]
    theirs = await create(stub, client_id=other)
    response = await stub.BatchListApplicationsByClient(
        pb.BatchListApplicationsByClientRequest(client_ids=[CLIENT, "bad", other], limit_per_client=2)
    )
    assert [r.client_id for r in response.results] == [CLIENT, "bad", other]
    assert [a.id for a in response.results[0].applications] == [mine[2].id, mine[1].id]
    assert list(response.results[1].applications) == []
    assert [a.id for a in response.results[2].applications] == [theirs.id]
    _, fields = await expect_error(
        stub.BatchListApplicationsByClient(
            pb.BatchListApplicationsByClientRequest(client_ids=[CLIENT], limit_per_client=-1)
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert fields == ["limit_per_client"]
