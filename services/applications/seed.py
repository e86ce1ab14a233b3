"""Deterministic demo data: 0–5 applications per seeded client, spread over every status.

Dates fall in the two years before ``SEED_ANCHOR`` and all randomness comes from one
``random.Random`` with a fixed seed, so the same ``clients`` gives identical rows on every run
and backend. Histories follow the state machine. Comments are Russian with varied word forms
(ложка, ложки, ложкой…) so search demos show morphology.

Seeded history is not event-sourced: no outbox rows are written for it (a relay has nothing to
publish). Later changes to seeded applications continue at ``sequence = version + 1``.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from grpc_clients.caller import FIRST_PARTY_OWNER
from services.applications.domain import NewApplication, VehicleInput
from services.applications.models import Application, metadata
from services.applications.search import SQLITE_INSERT
from services.applications.search_text import search_document
from services.common.catalog import PRODUCTS, SEED_ANCHOR, SEED_NAMESPACE, client_seed_id, product_seed_id
from services.common.db import Database

__all__ = ["SEED_PATHS", "seed", "seed_application_id"]

_RANDOM_SEED = 20_261_101
_PERIOD_SECONDS = 2 * 365 * 24 * 3600

_D, _S, _P, _O, _A = "DRAFT", "SUBMITTED", "PROCESSING", "OFFERED", "APPROVED"
SEED_PATHS: tuple[tuple[str, ...], ...] = (
    (_D,),
    (_D, _S),
    (_D, _S, _P),
    (_D, _S, _P, _O),
    (_D, _S, _P, _O, _A),
    (_D, _S, _P, _O, _A, "COMPLETED"),
    (_D, _S, _P, _O, _A, "COMPLETED"),
    (_D, _S, _P, "REJECTED"),
    (_D, _S, _P, _O, "REJECTED"),
    (_D, "CANCELLED"),
    (_D, _S, _P, _O, "CANCELLED"),
)
"""Status paths a seeded application may have taken (COMPLETED twice: the common outcome)."""

_KIND_BY_PRODUCT = {
    "LIFE": "person",
    "OSAGO": "vehicle",
    "KASKO": "vehicle",
    "TRAVEL": "trip",
    "PROPERTY": "property",
}
_COMMENTS = (
    "",
    "Клиент просит перезвонить после обеда.",
    "Подарок к свадьбе: серебряная ложка и чайный сервиз.",
    "Застраховать коллекцию серебряных ложек и вилок.",
    "В квартире хранится антикварная ложка девятнадцатого века.",
    "Залив соседями: испорчена посуда, погнуты ложки.",
    "Клиент шутит, что ест суп только деревянной ложкой.",
    "Нужна скидка за безаварийную езду.",
    "Автомобиль хранится в подземном гараже.",
    "Поездка в Турцию с детьми, нужна медицинская страховка.",
    "Клиент сравнивает предложения нескольких страховщиков.",
    "Машину поцарапали на парковке у торгового центра.",
    "Требуется полис для получения визы.",
    "Ремонт в квартире завершён, нужна новая оценка имущества.",
    "Просит прислать документы на электронную почту.",
)
_DESCRIPTIONS = {
    "person": (
        "Жизнь и здоровье застрахованного",
        "Застрахованный и члены семьи",
        "Жизнь заёмщика по ипотеке",
    ),
    "trip": ("Поездка в Турцию, 14 дней", "Горнолыжный курорт в Сочи", "Командировка в Казахстан"),
    "property": ("Квартира в Москве", "Загородный дом с баней", "Квартира с дорогой мебелью и посудой"),
}
_CANCEL_REASONS = (
    "Клиент передумал.",
    "Нашёл полис дешевле у другого страховщика.",
    "Автомобиль продан.",
    "Поездка отменена.",
)
_REASONS = {"REJECTED": "Риск не соответствует правилам страхования.", "CANCELLED": ""}
_VEHICLES = (
    ("Toyota", "Camry"),
    ("Lada", "Vesta"),
    ("Kia", "Rio"),
    ("Hyundai", "Solaris"),
    ("Skoda", "Octavia"),
)
_VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
_PLATE_LETTERS = "АВЕКМНОРСТУХ"


def seed_application_id(client_index: int, ordinal: int) -> str:
    """The id of the ``ordinal``-th seeded application of the ``client_index``-th client."""
    return str(uuid.uuid5(SEED_NAMESPACE, f"application/{client_index}/{ordinal}"))


def _vehicle(rng: random.Random) -> VehicleInput:
    make, model = rng.choice(_VEHICLES)
    plate = (
        f"{rng.choice(_PLATE_LETTERS)}{rng.randint(100, 999)}"
        f"{rng.choice(_PLATE_LETTERS)}{rng.choice(_PLATE_LETTERS)}{rng.choice((77, 78, 50, 16, 66))}"
    )
    vin = "".join(rng.choice(_VIN_CHARS) for _ in range(17))
    return VehicleInput(vin, plate, make, model, rng.randint(2005, 2026), rng.randint(70, 300))


def _build(
    rng: random.Random, client_index: int, ordinal: int
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    product = rng.choice(PRODUCTS)
    kind = _KIND_BY_PRODUCT[product.kind]
    vehicle = _vehicle(rng) if kind == "vehicle" else None
    description = (
        f"{vehicle.make} {vehicle.model} {vehicle.year}" if vehicle else rng.choice(_DESCRIPTIONS[kind])
    )
    term = {"person": rng.choice((12, 60, 120, 240)), "trip": 1, "vehicle": 12, "property": 12}[kind]
    checked = NewApplication(
        idempotency_key=f"seed-{client_index:06d}-{ordinal}",
        client_id=client_seed_id(client_index),
        product_id=product_seed_id(product.code),
        insured_kind=kind,
        insured_description=description,
        sum_insured_kopecks=rng.randint(1_000, 50_000) * 100_00,
        term_months=term,
        vehicle=vehicle,
        comment=rng.choice(_COMMENTS),
        submit=False,
    )
    application_id = seed_application_id(client_index, ordinal)
    applied_at = SEED_ANCHOR - timedelta(seconds=rng.randint(3600 * 24 * 30, _PERIOD_SECONDS))
    path = rng.choice(SEED_PATHS)
    history: list[dict[str, Any]] = []
    at = applied_at
    reason = ""
    for position, status in enumerate(path, start=1):
        if position > 1:
            at = at + timedelta(minutes=rng.randint(10, 3 * 24 * 60))
        reason = rng.choice(_CANCEL_REASONS) if status == "CANCELLED" else _REASONS.get(status, "")
        history.append(
            {
                "application_id": application_id,
                "position": position,
                "from_status": path[position - 2] if position > 1 else None,
                "status": status,
                "at": at,
                "reason": reason,
            }
        )
    fields = asdict(checked)
    del fields["vehicle"], fields["submit"]
    row = {
        **fields,
        "id": application_id,
        "owner": FIRST_PARTY_OWNER,  # the demo history came through the web app
        "number": "",
        "status": path[-1],
        "version": len(path),
        "applied_at": applied_at,
        "updated_at": at,
        "cancellation_reason": reason if path[-1] == "CANCELLED" else "",
        "request_fingerprint": checked.fingerprint,
        **{
            f"vehicle_{name}": (getattr(vehicle, name) if vehicle else None)
            for name in VehicleInput.__slots__
        },
    }
    return row, history


def _number(counters: dict[int, int], applied_at: datetime) -> str:
    counters[applied_at.year] = counters.get(applied_at.year, 0) + 1
    return f"APP-{applied_at.year}-{counters[applied_at.year]:06d}"


async def seed(database: Database, clients: int) -> int:
    """Seed the applications of the first ``clients`` seeded clients; returns applications written.

    Does nothing (returns 0) when the service already holds applications.
    """
    async with database.reader() as session:
        if (await session.scalar(select(func.count()).select_from(Application))) or clients <= 0:
            return 0
    rng = random.Random(_RANDOM_SEED)
    rows: list[dict[str, Any]] = []
    histories: list[dict[str, Any]] = []
    for client_index in range(clients):
        for ordinal in range(rng.randint(0, 5)):
            row, history = _build(rng, client_index, ordinal)
            rows.append(row)
            histories.extend(history)
    counters: dict[int, int] = {}
    for row in sorted(rows, key=lambda r: (r["applied_at"], r["id"])):
        row["number"] = _number(counters, row["applied_at"])
    async with database.transaction() as session:
        if rows:
            await session.execute(insert(metadata.tables["applications"]), rows)
            await session.execute(insert(metadata.tables["status_history"]), histories)
            await session.execute(
                insert(metadata.tables["application_number_counters"]),
                [{"year": year, "last_value": value} for year, value in sorted(counters.items())],
            )
        if not database.is_postgres and rows:
            documents = [
                {
                    "id": row["id"],
                    "body": search_document(
                        (
                            row["number"],
                            row["insured_description"],
                            row["comment"],
                            row["cancellation_reason"],
                        )
                    ),
                }
                for row in rows
            ]
            await session.execute(SQLITE_INSERT, documents)
    return len(rows)
