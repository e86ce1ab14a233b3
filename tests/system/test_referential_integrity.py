"""Issue 7, item 1: no dangling reference is ever written.

A create names a client (client_info) and a product (core_app). The applications backend asks
both before writing — one batch call per backend for a whole request — and refuses unknown ids
with NOT_FOUND (per item in a batch), leaving every table and the outbox as they were.
"""

from __future__ import annotations

import uuid
from typing import Any

from tests.system.system_calls import LIFE, life_input, new_key, run_persisted
from tests.system.system_world import World

UNKNOWN = "123e4567-e89b-42d3-a456-426614174000"


async def _counts(world: World) -> tuple[int, int, int]:
    return (
        await world.count("applications", "applications"),
        await world.count("applications", "status_history"),
        await world.count("applications", "outbox"),
    )


async def test_an_unknown_client_or_product_is_not_found_and_nothing_is_written(world: World) -> None:
    before = await _counts(world)
    async with world.client("acme-bank") as acme:
        cases: list[tuple[dict[str, Any], str]] = [
            ({"clientId": UNKNOWN}, "client"),
            ({"productId": UNKNOWN}, "product"),
            ({"clientId": UNKNOWN, "productId": str(uuid.uuid4())}, "client"),
        ]
        for overrides, named in cases:
            body = await run_persisted(
                acme, "CreateApplication", {"input": life_input(**overrides), "idempotencyKey": new_key()}
            )
            assert body["data"] is None, body
            (error,) = body["errors"]
            assert error["extensions"]["code"] == "NOT_FOUND"
            assert error["path"] == ["createApplication"]
            assert f"No {named} has id" in error["message"]
    assert await _counts(world) == before


async def test_rest_create_with_an_unknown_client_is_a_404_problem(world: World) -> None:
    before = await _counts(world)
    async with world.client("travelshop") as travel:
        response = await travel.post(
            "/api/v1/applications", json={"input": life_input(clientId=UNKNOWN), "idempotencyKey": new_key()}
        )
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (problem["status"], problem["code"]) == (404, "NOT_FOUND")
    assert UNKNOWN in problem["detail"]
    assert await _counts(world) == before


async def test_a_batch_asks_each_owner_once_and_refuses_only_the_items_that_point_nowhere(
    world: World,
) -> None:
    clients_before, products_before = (
        world.peer_calls("BatchGetClients"),
        world.peer_calls("BatchGetProducts"),
    )
    applications, history, outbox = await _counts(world)
    inputs = [
        {"idempotencyKey": new_key(), "application": life_input(client=1)},
        {"idempotencyKey": new_key(), "application": life_input(clientId=UNKNOWN)},
        {"idempotencyKey": new_key(), "application": life_input(client=2, productId=UNKNOWN)},
        {"idempotencyKey": new_key(), "application": life_input(client=3)},
        {"idempotencyKey": new_key(), "application": life_input(clientId=str(uuid.uuid4()), productId=LIFE)},
    ]
    async with world.client("acme-bank") as acme:
        body = await run_persisted(acme, "CreateApplications", {"inputs": inputs})
    assert "errors" not in body, body
    results = body["data"]["createApplications"]
    assert [r["created"] for r in results] == [True, False, False, True, False]
    errors = {r["index"]: r["error"] for r in results if r["error"] is not None}
    assert {index: error["code"] for index, error in errors.items()} == {
        1: "NOT_FOUND",
        2: "NOT_FOUND",
        4: "NOT_FOUND",
    }
    assert [f["field"] for f in errors[1]["fieldErrors"]] == ["inputs[1].application.clientId"]
    assert [f["field"] for f in errors[2]["fieldErrors"]] == ["inputs[2].application.productId"]
    # One BatchGetClients and one BatchGetProducts for the five items, not one per item.
    assert world.peer_calls("BatchGetClients") - clients_before == 1
    assert world.peer_calls("BatchGetProducts") - products_before == 1
    # Two applications, each with its history row and its outbox event; nothing for the others.
    assert await _counts(world) == (applications + 2, history + 2, outbox + 2)


async def test_an_idempotent_replay_needs_no_reference_check(world: World) -> None:
    key = new_key()
    variables = {"input": life_input(client=4), "idempotencyKey": key}
    async with world.client("acme-bank") as acme:
        first = await run_persisted(acme, "CreateApplication", variables)
        calls = world.peer_calls("BatchGetClients")
        again = await run_persisted(acme, "CreateApplication", variables)
    assert first["data"]["createApplication"]["created"] is True
    assert again["data"]["createApplication"]["created"] is False
    assert (
        again["data"]["createApplication"]["application"]["id"]
        == first["data"]["createApplication"]["application"]["id"]
    )
    assert world.peer_calls("BatchGetClients") == calls
