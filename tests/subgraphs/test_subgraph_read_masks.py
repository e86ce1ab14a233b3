"""Subgraphs ask their backends only for what the selection needs, and still one RPC per level.

The backend's SQL statements show what was asked for: a list of client names reads only the
``clients`` table, a selection of documents adds exactly the ``documents`` table, and an
applications listing without ``statusHistory`` never touches ``status_history``.
"""

from __future__ import annotations

import re
from typing import Any

from services.common.catalog import client_seed_id
from tests.services.client_info.client_info_harness import count_statements
from tests.subgraphs.subgraph_harness import DatabaseFactory, running_subgraph

CLIENTS = 25


def _tables(statements: list[str]) -> set[str]:
    return {match for statement in statements for match in re.findall(r"\b(?:FROM|JOIN) (\w+)", statement)}


def _ids() -> list[str]:
    return [client_seed_id(i) for i in range(CLIENTS)]


async def test_client_selections_become_read_masks(database_factory: DatabaseFactory) -> None:
    async with running_subgraph(database_factory, "client_info", clients=CLIENTS) as client_info:
        query = "query($ids: [ID!]!) { clients(ids: $ids) { id fullName age lastName createdAt } }"
        with count_statements(client_info.database) as statements:
            names = (await client_info.data(query, {"ids": _ids()}))["clients"]
        assert _tables(statements) == {"clients"}
        assert [c["id"] for c in names] == _ids()
        assert all(c["fullName"].startswith(c["lastName"]) and c["age"] > 0 for c in names)

        full_query = """query($ids: [ID!]!) { clients(ids: $ids) {
          id fullName documents { type number } vehicles { vin } addresses { kind } relatives { fullName }
          profile { employment { employer } health { smoker } marketing { segment } } } }"""
        full = (await client_info.data(full_query, {"ids": _ids()}))["clients"]
        query = """query($ids: [ID!]!) { clients(ids: $ids) {
          id ...Docs profile { ... on ClientProfile { health { smoker } } } } }
          fragment Docs on Client { documents { type number } }"""
        with count_statements(client_info.database) as statements:
            some = (await client_info.data(query, {"ids": _ids()}))["clients"]
        assert _tables(statements) == {"clients", "documents"}
        assert [c["documents"] for c in some] == [c["documents"] for c in full]
        assert [c["profile"]["health"] for c in some] == [c["profile"]["health"] for c in full]
        assert any(c["documents"] for c in some)
        assert any(c["vehicles"] for c in full)
        assert any(c["profile"]["employment"] for c in full)


async def test_different_selections_in_one_request_share_one_rpc(database_factory: DatabaseFactory) -> None:
    async with running_subgraph(database_factory, "client_info", clients=CLIENTS) as client_info:
        query = """query($ids: [ID!]!, $r: [_Any!]!) {
          names: clients(ids: $ids) { id fullName }
          cars: clients(ids: $ids) { id vehicles { vin } }
          _entities(representations: $r) { ... on Client { id documents { number } } }
        }"""
        representations = [{"__typename": "Client", "id": i} for i in _ids()]
        before = client_info.handled("BatchGetClients")
        with count_statements(client_info.database) as statements:
            data = await client_info.data(query, {"ids": _ids(), "r": representations})
        assert client_info.handled("BatchGetClients") - before == 1
        assert _tables(statements) == {"clients", "documents", "vehicles"}
        assert [c["id"] for c in data["names"]] == [c["id"] for c in data["cars"]] == _ids()
        assert [e["id"] for e in data["_entities"]] == _ids()
        assert any(c["vehicles"] for c in data["cars"])
        assert all(e["documents"] for e in data["_entities"])


async def test_entities_of_clients_read_only_their_sections(database_factory: DatabaseFactory) -> None:
    async with running_subgraph(database_factory, "client_info", clients=CLIENTS) as client_info:
        representations = [{"__typename": "Client", "id": i} for i in _ids()]
        query = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Client { id fullName } } }"
        with count_statements(client_info.database) as statements:
            entities = (await client_info.data(query, {"r": representations}))["_entities"]
        assert _tables(statements) == {"clients"}
        assert [e["id"] for e in entities] == _ids()


async def test_client_applications_read_histories_only_when_selected(
    database_factory: DatabaseFactory,
) -> None:
    async with running_subgraph(database_factory, "applications", clients=CLIENTS) as applications:
        representations = [{"__typename": "Client", "id": i} for i in _ids()]
        query = """query($r: [_Any!]!) { _entities(representations: $r) {
          ... on Client { applications(first: 5) { id number status %s } } } }"""
        with count_statements(applications.database) as statements:
            bare = (await applications.data(query % "", {"r": representations}))["_entities"]
        assert len(statements) == 1
        assert "status_history" not in _tables(statements)
        with count_statements(applications.database) as statements:
            full = (await applications.data(query % "statusHistory { status }", {"r": representations}))[
                "_entities"
            ]
        assert len(statements) == 1
        assert "status_history" in _tables(statements)
        assert applications.rpc_counts() == {"BatchListApplicationsByClient": 2}

        def strip(entities: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
            return [
                [{k: v for k, v in a.items() if k != "statusHistory"} for a in e["applications"]]
                for e in entities
            ]

        assert strip(full) == strip(bare)
        assert sum(len(e["applications"]) for e in full) > 0
        assert all(a["statusHistory"] for e in full for a in e["applications"])
