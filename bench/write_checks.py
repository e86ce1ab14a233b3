"""Write checks benchmark: what checking a create's client and product costs (decision 0014).

Runs the three backends in-process on PostgreSQL (fresh schemas, dropped afterwards) and two
applications servers over the same database: ``checked`` asks client_info and core_app before
writing (``BackendReferences``, as deployed), ``unchecked`` trusts every id (what main did).
Rounds alternate which server goes first; each round sends ``--creates`` single creates and
``--batches`` batches of 100, one at a time, and the medians of the per-call latencies are
compared in the same run, with the load average beside them.

    python bench/write_checks.py [--rounds 5] [--creates 50] [--batches 5] [--batch-size 100]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable, Collection

from prometheus_client import CollectorRegistry
from sqlalchemy import text

from grpc_clients.applications import ApplicationsClient
from grpc_clients.channels import APPLICATIONS, ChannelSettings, open_channel
from grpc_clients.client_info import ClientInfoClient
from grpc_clients.core_app import CoreAppClient
from grpc_clients.metrics import ClientMetrics
from schema.protos import applications_pb2 as pb
from services.applications.app import MIGRATIONS_DIR as APPLICATIONS_MIGRATIONS
from services.applications.app import build_spec as applications_spec
from services.applications.references import BackendReferences, Policy, ReferenceCheck
from services.client_info.app import MIGRATIONS_DIR as CLIENT_INFO_MIGRATIONS
from services.client_info.app import build_spec as client_info_spec
from services.client_info.seed import seed as seed_clients
from services.common.catalog import client_seed_id, product_seed_id
from services.common.db import Database
from services.common.migrations import upgrade
from services.common.peers import open_peer
from services.common.server import ServiceSpec, build_server
from services.core_app.app import MIGRATIONS_DIR as CORE_APP_MIGRATIONS
from services.core_app.app import build_spec as core_app_spec
from services.core_app.seed import seed as seed_catalog

POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
CLIENTS = 200
"""Seeded clients; creates cycle through them."""


class Trusting:
    """References that believe every id (no call): the create path without the check."""

    async def check(self, client_ids: Collection[str], product_ids: Collection[str]) -> ReferenceCheck:
        return ReferenceCheck()

    async def policy_of(self, application_id: str) -> Policy | None:
        return None


def _input(index: int, clients: int) -> pb.ApplicationInput:
    return pb.ApplicationInput(
        idempotency_key=f"bench-{uuid.uuid4().hex}",
        client_id=client_seed_id(index % clients),
        product_id=product_seed_id("LIFE-BASIC"),
        insured_object=pb.InsuredObject(kind="person", description="bench"),
        sum_insured_kopecks=100_000_00,
        term_months=12,
    )


def _creates(client: ApplicationsClient, clients: int) -> Callable[[int], Awaitable[object]]:
    return lambda index: client.create_application(_input(index, clients))


def _batches(client: ApplicationsClient, clients: int, size: int) -> Callable[[int], Awaitable[object]]:
    return lambda index: client.batch_create_applications(
        [_input(index * size + k, clients) for k in range(size)]
    )


async def _timed(calls: int, make: Callable[[int], Awaitable[object]]) -> list[float]:
    out = []
    for index in range(calls):
        started = time.perf_counter()
        await make(index)
        out.append((time.perf_counter() - started) * 1000)
    return out


async def main(
    rounds: int, creates: int, batches: int, clients: int = CLIENTS, batch_size: int = 100
) -> None:
    run = uuid.uuid4().hex[:8]
    databases = {
        name: Database(POSTGRES, f"bench_{name}_{run}")
        for name in ("client_info", "core_app", "applications")
    }
    servers = []
    specs: list[ServiceSpec] = []
    peers: list[ClientInfoClient | CoreAppClient | ApplicationsClient] = []
    try:
        await upgrade(databases["client_info"], CLIENT_INFO_MIGRATIONS)
        await seed_clients(databases["client_info"], clients)
        await upgrade(databases["core_app"], CORE_APP_MIGRATIONS)
        await seed_catalog(databases["core_app"], 0)
        await upgrade(databases["applications"], APPLICATIONS_MIGRATIONS)

        async def serve(spec: ServiceSpec) -> str:
            server, port = await build_server(spec, "127.0.0.1:0")
            await server.start()
            servers.append(server)
            specs.append(spec)
            return f"127.0.0.1:{port}"

        client_info = open_peer(ClientInfoClient, await serve(client_info_spec(databases["client_info"])))
        products = open_peer(CoreAppClient, await serve(core_app_spec(databases["core_app"])))
        peers += [client_info, products]
        targets: dict[str, ApplicationsClient] = {}
        for name, references in (
            ("checked", BackendReferences(client_info, products)),
            ("unchecked", Trusting()),
        ):
            spec = applications_spec(databases["applications"], references=references)
            address = await serve(spec)
            # A batch of 100 on a busy machine may outlast the default 5 s deadline.
            channel = open_channel(
                APPLICATIONS, ChannelSettings(address, timeout=120), ClientMetrics.create(CollectorRegistry())
            )
            targets[name] = ApplicationsClient(channel)
            peers.append(targets[name])
        single: dict[str, list[float]] = {name: [] for name in targets}
        batch: dict[str, list[float]] = {name: [] for name in targets}
        for client in targets.values():  # warm-up: connections, statement caches
            await _timed(5, _creates(client, clients))
        for round_index in range(rounds):
            order = list(targets) if round_index % 2 == 0 else list(reversed(targets))
            for name in order:
                single[name] += await _timed(creates, _creates(targets[name], clients))
                batch[name] += await _timed(batches, _batches(targets[name], clients, batch_size))
        load = os.getloadavg()
        print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {rounds} interleaved rounds")
        print(f"{'':<26}{'checked':>12}{'unchecked':>12}{'ratio':>8}")
        for label, samples in (("create, p50 ms", single), (f"batch of {batch_size}, p50 ms", batch)):
            checked, unchecked = (
                statistics.median(samples["checked"]),
                statistics.median(samples["unchecked"]),
            )
            print(f"{label:<26}{checked:>12.2f}{unchecked:>12.2f}{checked / unchecked:>8.2f}")
        for label, samples in (("create, p90 ms", single), (f"batch of {batch_size}, p90 ms", batch)):
            checked = statistics.quantiles(samples["checked"], n=10)[-1]
            unchecked = statistics.quantiles(samples["unchecked"], n=10)[-1]
            print(f"{label:<26}{checked:>12.2f}{unchecked:>12.2f}{checked / unchecked:>8.2f}")
    finally:
        for server in servers:
            await server.stop(None)
        for spec in specs:
            if spec.on_stop is not None:
                await spec.on_stop()
        for peer in peers:
            await peer.channel.close()
        for database in databases.values():
            async with database.engine.begin() as connection:
                await connection.execute(text(f'DROP SCHEMA IF EXISTS "{database.schema}" CASCADE'))
            await database.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--creates", type=int, default=50)
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--batch-size", type=int, default=100)
    arguments = parser.parse_args()
    asyncio.run(
        main(arguments.rounds, arguments.creates, arguments.batches, arguments.clients, arguments.batch_size)
    )
