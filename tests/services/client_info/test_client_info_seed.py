from __future__ import annotations

import re
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from services.client_info.app import MIGRATIONS_DIR
from services.client_info.documents import DocumentType, check_document_number
from services.client_info.records import RelationType
from services.client_info.rules import Violations, check_email, check_name, check_phone
from services.client_info.seed import seed
from services.client_info.seed_data import FEMALE_NAMES, MALE_NAMES, feminine_surname
from services.client_info.seed_people import generate_cards, transliterate
from services.client_info.seed_vehicles import is_valid_vin
from services.common.catalog import SEED_ANCHOR, client_seed_id
from services.common.db import Database
from services.common.migrations import upgrade
from tests.conftest import DatabaseFactory
from tests.services.client_info.client_info_harness import snapshot

PLATE = re.compile(r"[АВЕКМНОРСТУХ](?!000)[0-9]{3}[АВЕКМНОРСТУХ]{2}[0-9]{2,3}")
CARDS = generate_cards(1000)


def test_generation_is_deterministic_and_prefix_stable() -> None:
    assert generate_cards(1000) == CARDS
    assert generate_cards(40) == CARDS[:40]
    assert [card.id for card in CARDS[:5]] == [client_seed_id(i) for i in range(5)]


def test_people_are_valid_and_names_agree_in_gender() -> None:
    violations = Violations()
    sons = {m.son for m in MALE_NAMES}
    daughters = {m.daughter for m in MALE_NAMES}
    for card in CARDS:
        for field, value in (
            ("last_name", card.last_name),
            ("first_name", card.first_name),
            ("middle_name", card.middle_name),
        ):
            check_name(value, field, violations)
        assert check_phone(card.phone, "phone", violations) == card.phone
        assert re.fullmatch(r"\+79[0-9]{9}", card.phone)
        check_email(card.email, "email", violations)
        assert date(1950, 1, 1) <= card.birth_date <= date(2005, 12, 31)
        assert card.created_at <= card.updated_at <= SEED_ANCHOR
        female = card.first_name in FEMALE_NAMES
        assert card.middle_name in (daughters if female else sons), card
        if female:
            assert card.last_name.endswith(("а", "ая", "ко", "ук", "юк", "их", "ых")), card.last_name
        else:
            assert not card.last_name.endswith(("ова", "ева", "ина", "ская", "цкая")), card.last_name
    assert violations.items == []


def test_documents_have_valid_numbers_and_dates() -> None:
    numbers: Counter[tuple[DocumentType, str]] = Counter()
    for card in CARDS:
        kinds = [d.type for d in card.documents]
        assert kinds[:3] == [DocumentType.PASSPORT_RF, DocumentType.SNILS, DocumentType.INN]
        assert len(set(kinds)) == len(kinds)
        for document in card.documents:
            assert check_document_number(document.type, document.number) is None, document
            assert document.issue_date is not None
            assert card.birth_date < document.issue_date <= SEED_ANCHOR.date()
            assert document.expiry_date is None or document.expiry_date > document.issue_date
            numbers[document.type, document.number] += 1
        if card.vehicles:
            assert DocumentType.DRIVER_LICENSE in kinds
    assert max(numbers.values()) == 1


def test_vehicles_are_realistic_and_unique() -> None:
    owners = [card for card in CARDS if card.vehicles]
    assert 0.5 < len(owners) / len(CARDS) < 0.7
    vehicles = [v for card in owners for v in card.vehicles]
    assert {len(card.vehicles) for card in owners} == {1, 2}
    assert len({v.vin for v in vehicles}) == len({v.plate for v in vehicles}) == len(vehicles)
    for vehicle in vehicles:
        assert is_valid_vin(vehicle.vin)
        assert not set("IOQ") & set(vehicle.vin)
        assert PLATE.fullmatch(vehicle.plate), vehicle.plate
        assert 2009 <= vehicle.year <= SEED_ANCHOR.year
        assert 60 <= vehicle.engine_power_hp <= 400


def test_relatives_and_profile_sections() -> None:
    counts = Counter(len(card.relatives) for card in CARDS)
    assert set(counts) == {0, 1, 2, 3}
    for card in CARDS:
        assert card.employment is not None
        assert card.health is not None
        assert card.marketing is not None
        assert 140 <= card.health.height_cm <= 215
        assert card.addresses[0].kind.value == "REGISTRATION"
        assert sum(r.relation is RelationType.SPOUSE for r in card.relatives) <= 1
        male = card.first_name not in FEMALE_NAMES
        for relative in card.relatives:
            assert relative.birth_date < SEED_ANCHOR.date()
            if relative.relation is RelationType.CHILD:
                assert relative.birth_date > card.birth_date
                if male:
                    father = next(m for m in MALE_NAMES if m.name == card.first_name)
                    assert relative.middle_name in (father.son, father.daughter)
            if relative.relation is RelationType.PARENT:
                assert relative.birth_date < card.birth_date


def test_transliteration_follows_passport_rules() -> None:
    assert transliterate("Щербаков") == "shcherbakov"
    assert transliterate("Юлия") == "iuliia"
    assert transliterate("Фёдор") == "fedor"
    assert transliterate("Римский-Корсаков") == "rimskiikorsakov"
    assert feminine_surname("Толстой") == "Толстая"
    assert feminine_surname("Шевченко") == "Шевченко"


async def test_seed_is_deterministic_and_runs_once(database_factory: DatabaseFactory) -> None:
    first, second = await database_factory("client_info"), await database_factory("client_info")
    for database in (first, second):
        await upgrade(database, MIGRATIONS_DIR)
        rows = await seed(database, clients=60)
        assert rows > 60 * 5
    assert await snapshot(first) == await snapshot(second)
    assert await seed(first, clients=60) == 0
    assert await snapshot(first) == await snapshot(second)


@pytest.mark.slow
async def test_seeding_1000_clients_on_sqlite_is_fast(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'seed.db'}", "client_info")
    try:
        await upgrade(database, MIGRATIONS_DIR)
        started = time.perf_counter()
        rows = await seed(database, clients=1000)
        elapsed = time.perf_counter() - started
    finally:
        await database.dispose()
    assert rows > 5000
    assert elapsed < 15, f"seeding 1,000 clients took {elapsed:.1f} s"
