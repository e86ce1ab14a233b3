from __future__ import annotations

from dataclasses import replace
from datetime import UTC

import pytest

from services.client_info import repository
from services.client_info.documents import DocumentType
from services.client_info.paging import Keyset
from services.client_info.records import ClientCard, Document
from services.client_info.search import SearchPlan
from services.client_info.seed_people import generate_cards
from services.common.db import Database
from services.common.errors import AlreadyExists
from tests.services.client_info.client_info_harness import count_statements


def _comparable(card: ClientCard) -> ClientCard:
    """The card with timestamps as naive UTC (SQLite drops the zone)."""
    created = (
        card.created_at.astimezone(UTC) if card.created_at.tzinfo else card.created_at.replace(tzinfo=UTC)
    )
    updated = (
        card.updated_at.astimezone(UTC) if card.updated_at.tzinfo else card.updated_at.replace(tzinfo=UTC)
    )
    return replace(card, created_at=created, updated_at=updated)


def _sorted_children(card: ClientCard) -> ClientCard:
    return replace(
        card,
        addresses=tuple(sorted(card.addresses, key=lambda a: a.kind.value)),
        documents=tuple(sorted(card.documents, key=lambda d: d.type.value)),
        relatives=tuple(sorted(card.relatives, key=lambda r: r.id)),
        vehicles=tuple(sorted(card.vehicles, key=lambda v: (v.year, v.vin))),
    )


async def _insert(database: Database, cards: list[ClientCard]) -> None:
    async with database.transaction() as session:
        await repository.insert_cards(session, cards)


async def test_cards_round_trip(client_info_database: Database) -> None:
    cards = generate_cards(25)
    await _insert(client_info_database, cards)
    async with client_info_database.reader() as session:
        loaded = {card.id: card for card in await repository.load_cards(session, [c.id for c in cards])}
        assert await repository.has_clients(session)
    for card in cards:
        assert _comparable(loaded[card.id]) == _sorted_children(_comparable(card))


async def test_load_cards_uses_a_constant_number_of_statements(client_info_database: Database) -> None:
    cards = generate_cards(1000)
    await _insert(client_info_database, cards)
    counts = []
    for size in (1, 10, 1000):
        async with client_info_database.reader() as session:
            with count_statements(client_info_database) as statements:
                loaded = await repository.load_cards(session, [c.id for c in cards[:size]])
        assert len(loaded) == size
        counts.append(len(statements))
    assert counts == [5, 5, 5]  # clients + addresses + documents + relatives + vehicles


async def test_empty_database_and_empty_requests(client_info_database: Database) -> None:
    async with client_info_database.reader() as session:
        assert not await repository.has_clients(session)
        with count_statements(client_info_database) as statements:
            assert await repository.load_cards(session, []) == []
            assert await repository.search_cards(session, SearchPlan(), 20) == []
        assert statements == []


def _plan(name: str | None = None, digits: str | None = None) -> SearchPlan:
    return SearchPlan(name_part=name, phone_digits=digits, document_number=digits)


async def test_search_by_folded_name_phone_and_exact_document(client_info_database: Database) -> None:
    base = generate_cards(3)
    cards = [
        replace(base[0], last_name="Ёлкина", first_name="Анна", middle_name="Петровна", phone="+79160000001"),
        replace(base[1], last_name="Елкин", first_name="Пётр", middle_name="", phone="+79160000002"),
        replace(base[2], last_name="Smith", first_name="John", middle_name="", phone="+441234567890"),
    ]
    await _insert(client_info_database, cards)
    passport = next(d for d in cards[2].documents if d.type is DocumentType.PASSPORT_RF)
    async with client_info_database.reader() as session:

        async def names(plan: SearchPlan, limit: int = 20) -> list[str]:
            return [c.last_name for c in await repository.search_cards(session, plan, limit)]

        assert set(await names(_plan("елкин"))) == {"Елкин", "Ёлкина"}
        assert await names(_plan("ёлкина анна")) == []  # the query is folded by plan_search, not here
        assert await names(_plan("елкина анна петр")) == ["Ёлкина"]
        assert await names(_plan("smith")) == ["Smith"]
        assert set(await names(_plan(digits="9160000"))) == {"Елкин", "Ёлкина"}
        assert len(await names(_plan(digits="9160000"), limit=1)) == 1
        assert await names(_plan(digits=passport.number)) == ["Smith"]
        assert await names(_plan(digits=passport.number[:-1] + "%")) == []
        assert await names(_plan("%")) == []
        assert await names(_plan("_")) == []


async def test_listing_walks_every_client_once_in_key_order(client_info_database: Database) -> None:
    base = generate_cards(11)
    cards = [
        replace(card, last_name="Петров" if i % 2 else "Иванов", first_name="Иван")
        for i, card in enumerate(base)
    ]
    await _insert(client_info_database, cards)
    async with client_info_database.reader() as session:
        everything = await repository.list_cards(session, None, 100)
        walked: list[ClientCard] = []
        after = None
        while True:
            page = await repository.list_cards(session, after, 3)
            walked += page
            if len(page) < 3:
                break
            after = Keyset(page[-1].last_name, page[-1].first_name, page[-1].id)
    assert [c.id for c in walked] == [c.id for c in everything]
    assert len({c.id for c in walked}) == 11
    keys = [(c.last_name, c.first_name, c.id) for c in everything]
    assert [k[0] for k in keys] == ["Иванов"] * 6 + ["Петров"] * 5
    assert keys[:6] == sorted(keys[:6])


async def test_unique_documents_and_vins_are_enforced_by_the_database(client_info_database: Database) -> None:
    first, second = generate_cards(2)
    await _insert(client_info_database, [first])
    clash = replace(second, documents=(replace(second.documents[0], number=first.documents[0].number),))
    with pytest.raises(AlreadyExists, match="already registered"):
        await _insert(client_info_database, [clash])
    vin_owner = next(c for c in generate_cards(20) if c.vehicles)
    await _insert(client_info_database, [vin_owner])
    other = generate_cards(40)[-1]
    stolen = replace(other, vehicles=(replace(vin_owner.vehicles[0], id="v-x"),))
    with pytest.raises(AlreadyExists, match="VIN"):
        await _insert(client_info_database, [stolen])


async def test_upsert_document_replaces_in_place_and_catches_races(client_info_database: Database) -> None:
    first, second = generate_cards(2)
    await _insert(client_info_database, [first, second])
    old = next(d for d in first.documents if d.type is DocumentType.PASSPORT_RF)
    taken = next(d for d in second.documents if d.type is DocumentType.PASSPORT_RF)
    async with client_info_database.transaction() as session:
        await repository.upsert_document(
            session, first.id, replace(old, id="ignored", number="4510123456"), first.updated_at
        )
    async with client_info_database.reader() as session:
        (card,) = await repository.load_cards(session, [first.id])
    stored = next(d for d in card.documents if d.type is DocumentType.PASSPORT_RF)
    assert (stored.id, stored.number) == (old.id, "4510123456")
    # the domain checks first; this is the constraint behind it, as when two requests race
    with pytest.raises(AlreadyExists, match=taken.number):
        async with client_info_database.transaction() as session:
            await repository.upsert_document(
                session, first.id, replace(old, number=taken.number), first.updated_at
            )
    new_kind = Document("d-new", DocumentType.FOREIGN_PASSPORT, taken.number[:9])
    async with client_info_database.transaction() as session:
        await repository.upsert_document(session, second.id, new_kind, second.updated_at)
