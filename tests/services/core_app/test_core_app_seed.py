"""Deterministic seed data: catalog, tariffs for every product × insurer, policies for ~30 % of clients."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from services.common.catalog import INSURERS, PRODUCTS, client_seed_id, insurer_seed_id, product_seed_id
from services.common.db import Database
from services.common.migrations import upgrade
from services.core_app.app import MIGRATIONS_DIR
from services.core_app.models import Insurer, Policy, Product, Tariff
from services.core_app.seed import seed
from tests.conftest import DatabaseFactory


async def dump(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    tables: dict[str, list[tuple[Any, ...]]] = {}
    async with database.reader() as session:
        for model in (Product, Insurer, Tariff, Policy):
            columns = [c for c in model.__table__.columns]
            rows = (await session.execute(select(*columns).order_by(model.__table__.c.id))).all()
            tables[model.__tablename__] = [tuple(row) for row in rows]
    return tables


async def test_seed_is_deterministic(database_factory: DatabaseFactory) -> None:
    first, second = await database_factory("core_app"), await database_factory("core_app")
    for database in (first, second):
        await upgrade(database, MIGRATIONS_DIR)
    created = await seed(first, clients=200)
    assert await seed(second, clients=200) == created
    assert await dump(first) == await dump(second)


async def test_seed_uses_the_shared_catalog_ids(core_app_database: Database) -> None:
    await seed(core_app_database, clients=50)
    async with core_app_database.reader() as session:
        product_ids = set((await session.scalars(select(Product.id))).all())
        insurer_ids = set((await session.scalars(select(Insurer.id))).all())
        pairs = set((await session.execute(select(Tariff.product_id, Tariff.insurer_id))).all())
    assert product_ids == {product_seed_id(p.code) for p in PRODUCTS}
    assert insurer_ids == {insurer_seed_id(i.code) for i in INSURERS}
    assert pairs == {(p, i) for p in product_ids for i in insurer_ids}


async def test_about_thirty_percent_of_clients_hold_policies(core_app_database: Database) -> None:
    clients = 1000
    created = await seed(core_app_database, clients=clients)
    async with core_app_database.reader() as session:
        holders = set((await session.scalars(select(Policy.client_id).distinct())).all())
        policies = (await session.scalars(select(Policy))).all()
    assert 0.25 * clients <= len(holders) <= 0.35 * clients
    assert holders <= {client_seed_id(i) for i in range(clients)}
    assert created == len(PRODUCTS) + len(INSURERS) + 2 * len(PRODUCTS) * len(INSURERS) + len(policies)
    for policy in policies:
        code = policy.number.split("-")[1]
        assert policy.number.startswith(f"POL-{code}-")
        assert len(policy.number.rsplit("-", 1)[1]) == 8
        assert policy.insurer_id == insurer_seed_id(code)
        assert policy.application_id is None
        assert policy.premium_kopecks > 0
        assert policy.premium_kopecks % 100 == 0
        assert policy.status in {"ACTIVE", "EXPIRED"}
    assert {p.status for p in policies} == {"ACTIVE", "EXPIRED"}


async def test_seed_twice_does_nothing(core_app_database: Database) -> None:
    assert await seed(core_app_database, clients=10) > 0
    assert await seed(core_app_database, clients=10) == 0
    async with core_app_database.reader() as session:
        assert await session.scalar(select(func.count()).select_from(Product)) == len(PRODUCTS)
