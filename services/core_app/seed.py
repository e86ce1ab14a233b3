"""Deterministic seed data: the shared catalog, tariffs for every product × insurer, and policies.

Everything is derived from ``services.common.catalog`` and ``random.Random(_SEED)`` and dated
relative to ``SEED_ANCHOR``, so seeding N clients twice gives identical rows (ids included).
About 30 % of clients hold one or two historic policies; those have no application id.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from services.common.catalog import (
    INSURERS,
    PRODUCTS,
    SEED_ANCHOR,
    SEED_NAMESPACE,
    client_seed_id,
    insurer_seed_id,
    product_seed_id,
)
from services.common.db import Database
from services.core_app.domain import policy_term
from services.core_app.models import Insurer, Policy, Product, Tariff

__all__ = ["BASE_PRICES", "POLICY_SHARE", "seed"]

_SEED = 20261101
_CHUNK = 5000

POLICY_SHARE = 0.30
"""Share of seeded clients that hold policies."""

BASE_PRICES: dict[str, tuple[int, float]] = {
    "LIFE-BASIC": (3_000, 0.35),
    "LIFE-FAMILY": (12_000, 0.60),
    "OSAGO-STD": (5_500, 0.0),
    "KASKO-FULL": (15_000, 4.50),
    "KASKO-LITE": (6_000, 1.80),
    "TRAVEL-WORLD": (900, 0.15),
    "PROPERTY-HOME": (1_500, 0.25),
}
"""Per product code: typical base premium (roubles) and yearly rate (% of sum insured)."""

_DEFAULT_PRICE = (2_000, 0.5)


def _seed_id(kind: str, *parts: object) -> str:
    return str(uuid.uuid5(SEED_NAMESPACE, "/".join([kind, *map(str, parts)])))


def _catalog_rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    products = [
        {
            "id": product_seed_id(p.code),
            "code": p.code,
            "name": p.name,
            "kind": p.kind,
            "description": p.description,
            "active": True,
        }
        for p in PRODUCTS
    ]
    insurers = [
        {
            "id": insurer_seed_id(i.code),
            "code": i.code,
            "name": i.name,
            "license_number": i.license_number,
            "rating": i.rating,
            "active": True,
        }
        for i in INSURERS
    ]
    return products, insurers


def _tariff_rows(rng: random.Random) -> tuple[list[dict[str, Any]], dict[tuple[str, str], int]]:
    """Two periods per product × insurer (last year's and the current one); returns current bases."""
    anchor = SEED_ANCHOR.date()
    periods = (
        ("previous", anchor - timedelta(days=730), anchor - timedelta(days=366), 0.92),
        ("current", anchor - timedelta(days=365), anchor + timedelta(days=730), 1.0),
    )
    rows: list[dict[str, Any]] = []
    current: dict[tuple[str, str], int] = {}
    for product in PRODUCTS:
        base_roubles, rate = BASE_PRICES.get(product.code, _DEFAULT_PRICE)
        for insurer in INSURERS:
            spread = rng.uniform(0.85, 1.2)
            for period, valid_from, valid_to, factor in periods:
                kopecks = round(base_roubles * spread * factor) * 100
                rows.append(
                    {
                        "id": _seed_id("tariff", product.code, insurer.code, period),
                        "product_id": product_seed_id(product.code),
                        "insurer_id": insurer_seed_id(insurer.code),
                        "base_premium_kopecks": kopecks,
                        "rate_percent": round(rate * spread * factor, 3),
                        "valid_from": valid_from,
                        "valid_to": valid_to,
                        "refreshed_at": SEED_ANCHOR,
                    }
                )
                if period == "current":
                    current[(product.code, insurer.code)] = kopecks
    return rows, current


def _policy_rows(
    rng: random.Random, clients: int, bases: dict[tuple[str, str], int]
) -> Iterator[dict[str, Any]]:
    anchor_day: date = SEED_ANCHOR.date()
    numbers: set[str] = set()
    for index in range(clients):
        if rng.random() >= POLICY_SHARE:
            continue
        for ordinal in range(1 + (rng.random() < 0.25)):
            product = rng.choice(PRODUCTS)
            insurer = rng.choice(INSURERS)
            issued_at = SEED_ANCHOR - timedelta(days=rng.randint(1, 720), seconds=rng.randint(0, 86_399))
            valid_from, valid_to = policy_term(issued_at.date())
            number = f"POL-{insurer.code}-{rng.randrange(10**8):08d}"
            while number in numbers:
                number = f"POL-{insurer.code}-{rng.randrange(10**8):08d}"
            numbers.add(number)
            premium = round(bases[(product.code, insurer.code)] * rng.uniform(0.8, 2.5) / 100) * 100
            yield {
                "id": _seed_id("policy", index, ordinal),
                "number": number,
                "client_id": client_seed_id(index),
                "product_id": product_seed_id(product.code),
                "insurer_id": insurer_seed_id(insurer.code),
                "application_id": None,
                "offer_id": None,
                "premium_kopecks": premium,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "status": "ACTIVE" if valid_to >= anchor_day else "EXPIRED",
                "issued_at": issued_at,
            }


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == _CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


async def seed(database: Database, clients: int) -> int:
    """Seed the catalog, tariffs and policies for clients ``0..clients-1``.

    Args:
        database: the migrated core_app database.
        clients: how many seeded clients (``client_seed_id(i)``) exist across services.

    Returns:
        Rows created; 0 (and nothing written) when the service already has products.
    """
    rng = random.Random(_SEED)
    async with database.transaction() as session:
        if await session.scalar(select(func.count()).select_from(Product)):
            return 0
        products, insurers = _catalog_rows()
        tariffs, bases = _tariff_rows(rng)
        await session.execute(insert(Product), products)
        await session.execute(insert(Insurer), insurers)
        await session.execute(insert(Tariff), tariffs)
        created = len(products) + len(insurers) + len(tariffs)
        for chunk in _chunks(_policy_rows(rng, clients, bases)):
            await session.execute(insert(Policy), chunk)
            created += len(chunk)
    return created
