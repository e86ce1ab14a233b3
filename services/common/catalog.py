"""The deterministic identities shared by every service's seed data.

Services own their data but reference each other's entities by id (an application names a
client and a product). Seed ids are UUID5 values derived from stable names, so each service
can seed its own data independently and the references still line up.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

__all__ = [
    "INSURERS",
    "PRODUCTS",
    "SEED_ANCHOR",
    "SEED_NAMESPACE",
    "InsurerSeed",
    "ProductSeed",
    "client_seed_id",
    "insurer_seed_id",
    "product_seed_id",
]

SEED_NAMESPACE = uuid.UUID("6f1d3c52-3b7e-4c1e-9a57-2f3e8d0b9a11")

SEED_ANCHOR = datetime(2026, 11, 1, tzinfo=UTC)
"""Seed data is dated relative to this instant (never the clock), so every run is identical."""


@dataclass(frozen=True, slots=True)
class ProductSeed:
    code: str
    name: str
    kind: str  # a core_app ProductKind name: LIFE, OSAGO, KASKO, TRAVEL, PROPERTY
    description: str


@dataclass(frozen=True, slots=True)
class InsurerSeed:
    code: str
    name: str
    license_number: str
    rating: float


PRODUCTS: tuple[ProductSeed, ...] = (
    ProductSeed("LIFE-BASIC", "Жизнь Базовый", "LIFE", "Страхование жизни на случай смерти и инвалидности."),
    ProductSeed("LIFE-FAMILY", "Жизнь Семейный", "LIFE", "Накопительное страхование жизни для семьи."),
    ProductSeed("OSAGO-STD", "ОСАГО", "OSAGO", "Обязательное страхование автогражданской ответственности."),
    ProductSeed("KASKO-FULL", "КАСКО Полное", "KASKO", "Ущерб и угон транспортного средства."),
    ProductSeed("KASKO-LITE", "КАСКО Лайт", "KASKO", "Только полная гибель и угон."),
    ProductSeed("TRAVEL-WORLD", "Путешествия Мир", "TRAVEL", "Медицинские расходы за рубежом."),
    ProductSeed("PROPERTY-HOME", "Квартира", "PROPERTY", "Страхование квартиры и имущества."),
)

INSURERS: tuple[InsurerSeed, ...] = (
    InsurerSeed("SEVSHIELD", "Северный Щит", "СИ № 0101", 4.6),
    InsurerSeed("VOLGA", "Волга-Страхование", "СИ № 0207", 4.2),
    InsurerSeed("GARANT", "Гарант-Полис", "СИ № 0315", 4.4),
    InsurerSeed("URAL", "Уральская страховая", "СИ № 0422", 3.9),
    InsurerSeed("BALTIC", "Балтийский Альянс", "СИ № 0530", 4.1),
)


def client_seed_id(index: int) -> str:
    """The id of the ``index``-th seeded client (0-based)."""
    return str(uuid.uuid5(SEED_NAMESPACE, f"client/{index}"))


def product_seed_id(code: str) -> str:
    """The id of the seeded product with ``code``."""
    return str(uuid.uuid5(SEED_NAMESPACE, f"product/{code}"))


def insurer_seed_id(code: str) -> str:
    """The id of the seeded insurer with ``code``."""
    return str(uuid.uuid5(SEED_NAMESPACE, f"insurer/{code}"))
