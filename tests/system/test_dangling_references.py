"""Issue 7, item 2: one bad row never poisons a list.

A reference that cannot be resolved — an application written before creates were checked, or
whose client was removed — gives that one field a null and a NOT_FOUND error at its path; the
list, and every other item in it, is answered. ``Application.client`` and ``.product`` are
nullable on purpose (``docs/decisions/0015-nullability-of-references.md``).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from services.common.catalog import client_seed_id
from tests.system.system_calls import LIFE, graphql
from tests.system.system_world import World

LIST = """{ applications(first: 100) { nodes { id number client { id fullName } product { id name } } } }"""


async def _insert_dangling(world: World, *, client_id: str, product_id: str) -> str:
    """An application row as written before references were checked (pointing nowhere)."""
    application_id = str(uuid.uuid4())
    now = datetime.now(UTC) + timedelta(days=1)  # newest of all, so first in the list
    number = f"APP-LEGACY-{application_id[:6]}"
    async with world.database("applications") as database, database.transaction() as session:
        await session.execute(
            text(
                """INSERT INTO applications (id, number, owner, client_id, product_id, status, version,
                applied_at, updated_at, insured_kind, insured_description, sum_insured_kopecks,
                term_months, comment, cancellation_reason, idempotency_key, request_fingerprint)
                VALUES (:id, :number, 'first-party', :client, :product, 'DRAFT', 1, :now, :now,
                'person', 'legacy row', 100000, 12, '', '', :key, 'legacy')"""
            ),
            {
                "id": application_id,
                "number": number,
                "client": client_id,
                "product": product_id,
                "now": now,
                "key": f"legacy-{application_id}",
            },
        )
        await session.execute(
            text(
                "INSERT INTO status_history (application_id, position, from_status, status, at, reason) "
                "VALUES (:id, 1, NULL, 'DRAFT', :now, '')"
            ),
            {"id": application_id, "now": now},
        )
    return application_id


def _node(body: dict[str, Any], application_id: str) -> tuple[int, dict[str, Any]]:
    nodes = body["data"]["applications"]["nodes"]
    index = next(i for i, node in enumerate(nodes) if node["id"] == application_id)
    return index, nodes[index]


@pytest.mark.parametrize("field", ["client", "product"])
async def test_a_dangling_reference_nulls_one_field_not_the_list(world: World, field: str) -> None:
    unknown = str(uuid.uuid4())
    dangling = await _insert_dangling(
        world,
        client_id=unknown if field == "client" else client_seed_id(0),
        product_id=unknown if field == "product" else LIFE,
    )
    async with world.client("webapp") as web:
        body = await graphql(web, LIST)
    assert body["data"] is not None, body
    index, node = _node(body, dangling)
    assert node[field] is None
    nodes = body["data"]["applications"]["nodes"]
    sound = [n for n in nodes if not n["number"].startswith("APP-LEGACY")]  # this module's other rows
    assert sound
    assert all(n["client"]["fullName"] and n["product"]["name"] for n in sound)
    (error,) = [e for e in body["errors"] if e["path"][:3] == ["applications", "nodes", index]]
    assert error["path"] == ["applications", "nodes", index, field]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert unknown in error["message"]
    assert all(e["extensions"]["code"] == "NOT_FOUND" for e in body["errors"])
    assert len(body["errors"]) == len(nodes) - len(sound)  # one error per row pointing nowhere


async def test_a_single_read_keeps_the_application_and_reports_the_missing_client(world: World) -> None:
    unknown = str(uuid.uuid4())
    dangling = await _insert_dangling(world, client_id=unknown, product_id=LIFE)
    query = "query($id: ID!) { application(id: $id) { id number client { fullName } product { code } } }"
    async with world.client("webapp") as web:
        body = await graphql(web, query, {"id": dangling})
    assert body["data"]["application"]["id"] == dangling
    assert body["data"]["application"]["client"] is None
    assert body["data"]["application"]["product"] == {"code": "LIFE-BASIC"}
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["application", "client"], "NOT_FOUND")
    ]
