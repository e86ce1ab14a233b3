"""THE batching guarantees: one batch RPC per entity type and level, however many keys.

The first test resolves 1, 100 and 1,000 ``Client`` representations through ``_entities`` and
counts ``BatchGetClients`` calls in ``grpc_client_handled_total``: exactly one per request.
The second plays the gateway's part for a list query of N applications with ``client`` and
``product`` (and their policies and offers): each level costs one batch RPC per subgraph.
"""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import Any

from prometheus_client import CollectorRegistry

from services.common.catalog import client_seed_id
from tests.subgraphs.subgraph_harness import (
    Backends,
    DatabaseFactory,
    Harness,
    create_subgraph,
    running_backends,
    running_subgraph,
    serving,
)

CLIENTS = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Client { id fullName documents { type } } } }"


async def test_thousand_client_representations_make_one_batch_rpc(database_factory: DatabaseFactory) -> None:
    async with running_subgraph(database_factory, "client_info", clients=1000) as client_info:
        for count in (1, 100, 1000):
            before = client_info.handled("BatchGetClients")
            representations = [{"__typename": "Client", "id": client_seed_id(i)} for i in range(count)]
            representations += representations[: count // 2]  # duplicates are sent once
            entities = (await client_info.data(CLIENTS, {"r": representations}))["_entities"]
            assert len(entities) == len(representations)
            assert [e["id"] for e in entities] == [r["id"] for r in representations]
            assert client_info.handled("BatchGetClients") - before == 1, f"{count} representations"
        assert client_info.rpc_counts() == {"BatchGetClients": 3}


async def start(stack: AsyncExitStack, backends: Backends, name: str) -> Harness:
    registry = CollectorRegistry()
    app = create_subgraph(name, backends.addresses[name], registry)
    return await stack.enter_async_context(serving(name, app, registry, backends.databases[name], backends))


async def test_list_of_applications_costs_one_batch_rpc_per_level(database_factory: DatabaseFactory) -> None:
    async with AsyncExitStack() as stack:
        backends = await stack.enter_async_context(running_backends(database_factory, 60))
        applications = await start(stack, backends, "applications")
        client_info = await start(stack, backends, "client_info")
        core_app = await start(stack, backends, "core_app")

        # Level 0 (applications subgraph): the list with entity references.
        page = await applications.data(
            "{ applications(first: 100) { nodes { id client { id } product { id } } } }"
        )
        nodes: list[dict[str, Any]] = page["applications"]["nodes"]
        assert len(nodes) == 100

        # Level 1: every referenced client and product, in one fetch per subgraph.
        client_reps = [{"__typename": "Client", "id": n["client"]["id"]} for n in nodes]
        product_reps = [{"__typename": "Product", "id": n["product"]["id"]} for n in nodes]
        clients = (await client_info.data(CLIENTS, {"r": client_reps}))["_entities"]
        assert all(c is not None for c in clients)
        products = (
            await core_app.data(
                "query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id code } } }",
                {"r": product_reps},
            )
        )["_entities"]
        assert all(p is not None for p in products)

        # Level 1 too: what core_app contributes to Application and Client.
        application_reps = [{"__typename": "Application", "id": n["id"]} for n in nodes]
        contributed = await core_app.data(
            """query($a: [_Any!]!, $c: [_Any!]!) {
              apps: _entities(representations: $a) { ... on Application { offers { id insurer { name } } policy { id product { code } } } }
              clients: _entities(representations: $c) { ... on Client { policies { id insurer { name } product { code } } } }
            }""",
            {"a": application_reps, "c": client_reps},
        )
        assert len(contributed["apps"]) == 100

        # Level 2 (applications subgraph again): the clients' other applications.
        await applications.data(
            "query($r: [_Any!]!) { _entities(representations: $r) { ... on Client { applications(first: 3) { id number } } } }",
            {"r": client_reps},
        )

        assert applications.rpc_counts() == {"ListApplications": 1, "BatchListApplicationsByClient": 1}
        assert client_info.rpc_counts() == {"BatchGetClients": 1}
        core_counts = core_app.rpc_counts()
        assert (
            core_counts.pop("BatchGetProducts") == 2
        )  # the products level, then one for all nested products
        assert core_counts.pop("BatchGetInsurers", 1) == 1
        assert core_counts == {
            "BatchListOffersByApplication": 1,
            "BatchGetPoliciesByApplication": 1,
            "BatchListPoliciesByClient": 1,
        }
