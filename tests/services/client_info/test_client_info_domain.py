from __future__ import annotations

from datetime import date

import pytest

from services.client_info.documents import DocumentType
from services.client_info.domain import MAX_BATCH_IDS, ClientDirectory
from services.client_info.inputs import AddressInput, ContactsUpdate, DocumentInput
from services.client_info.records import AddressKind, RelationType
from services.client_info.seed import seed
from services.common.errors import AlreadyExists, InvalidArgument, NotFound
from tests.services.client_info.client_info_harness import (
    FIXED_NOW,
    INN,
    SNILS,
    fields_of,
    make_client,
    passport,
    relative,
    snapshot,
)

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


async def test_register_normalizes_and_stores_the_card(directory: ClientDirectory) -> None:
    card = await directory.register_client(make_client(last_name=" Иванов "))
    assert (card.last_name, card.first_name, card.middle_name) == ("Иванов", "Иван", "Петрович")
    assert card.birth_date == date(1985, 4, 12)
    assert card.phone == "+79161234567"
    assert {d.type: d.number for d in card.documents} == {
        DocumentType.PASSPORT_RF: "4510123456",
        DocumentType.SNILS: "11223344595",
    }
    assert [a.kind for a in card.addresses] == [AddressKind.REGISTRATION]
    assert card.employment is None
    assert await directory.get_client(card.id) == card


async def test_register_reports_every_violation_and_writes_nothing(directory: ClientDirectory) -> None:
    await directory.register_client(make_client())
    before = await snapshot(directory.database)
    bad = make_client(
        last_name="",
        first_name="Ivan1",
        birth_date="2026-11-23",
        phone="8 916 123 45 67",
        email="ivan@",
        addresses=(AddressInput("ADDRESS_KIND_UNSPECIFIED", city="Москва"),),
        documents=(
            passport("4510 654321"),
            DocumentInput("SNILS", "112-233-445 96"),
            DocumentInput("PASSPORT_RF", "4510 111111", "2006-01-01"),
        ),
    )
    with pytest.raises(InvalidArgument) as caught:
        await directory.register_client(bad)
    assert fields_of(caught.value) == [
        "last_name",
        "first_name",
        "birth_date",
        "phone",
        "email",
        "addresses[0].kind",
        "documents[1].number",
        "documents[2].type",
    ]
    assert await snapshot(directory.database) == before


async def test_issue_date_must_follow_birth(directory: ClientDirectory) -> None:
    with pytest.raises(InvalidArgument) as caught:
        await directory.register_client(make_client(documents=(passport(issue_date="1985-04-12"),)))
    assert fields_of(caught.value) == ["documents[0].issue_date"]
    assert "not after the birth date" in caught.value.violations[0].description


async def test_duplicate_document_is_already_exists_and_writes_nothing(directory: ClientDirectory) -> None:
    await directory.register_client(make_client())
    before = await snapshot(directory.database)
    with pytest.raises(AlreadyExists, match="4510123456"):
        await directory.register_client(make_client(first_name="Пётр", documents=(passport(),)))
    assert await snapshot(directory.database) == before


async def test_get_client_errors(directory: ClientDirectory) -> None:
    with pytest.raises(InvalidArgument) as caught:
        await directory.get_client("42")
    assert fields_of(caught.value) == ["id"]
    with pytest.raises(NotFound, match=UNKNOWN_ID):
        await directory.get_client(UNKNOWN_ID)


async def test_batch_get_keeps_order_and_reports_missing(directory: ClientDirectory) -> None:
    first = await directory.register_client(make_client())
    second = await directory.register_client(make_client(documents=()))
    ids = [second.id, "junk", first.id.upper(), UNKNOWN_ID, second.id, "junk"]
    clients, missing = await directory.batch_get_clients(ids)
    assert [c.id for c in clients] == [second.id, first.id]
    assert missing == ["junk", UNKNOWN_ID]
    assert await directory.batch_get_clients([]) == ([], [])
    with pytest.raises(InvalidArgument) as caught:
        await directory.batch_get_clients([UNKNOWN_ID] * (MAX_BATCH_IDS + 1))
    assert fields_of(caught.value) == ["ids"]


async def test_search_and_its_limits(directory: ClientDirectory) -> None:
    card = await directory.register_client(make_client())
    await directory.register_client(
        make_client(last_name="Петрова", first_name="Анна", middle_name="", documents=())
    )
    assert [c.id for c in await directory.search_clients("ИВАНОВ", 0)] == [card.id]
    assert [c.id for c in await directory.search_clients("иван петр", 0)] == [card.id]
    assert len(await directory.search_clients("916 123", 0)) == 2
    assert [c.id for c in await directory.search_clients(SNILS, 0)] == [card.id]
    assert await directory.search_clients("11223344", 0) == []  # documents match exactly
    assert len(await directory.search_clients("+7916", 1)) == 1
    for query, limit, fields in [
        ("  ", 0, ["query"]),
        ("иван", 101, ["limit"]),
        ("", -1, ["query", "limit"]),
    ]:
        with pytest.raises(InvalidArgument) as caught:
            await directory.search_clients(query, limit)
        assert fields_of(caught.value) == fields


async def test_list_pages_and_errors(directory: ClientDirectory) -> None:
    await seed(directory.database, clients=7)
    page = await directory.list_clients(3, "")
    seen = [c.id for c in page.clients]
    while page.next_page_token:
        page = await directory.list_clients(3, page.next_page_token)
        seen += [c.id for c in page.clients]
    assert len(seen) == len(set(seen)) == 7
    assert len((await directory.list_clients(0, "")).clients) == 7
    assert (await directory.list_clients(7, "")).next_page_token == ""
    for size, token, fields in [(101, "", ["page_size"]), (-5, "x", ["page_size", "page_token"])]:
        with pytest.raises(InvalidArgument) as caught:
            await directory.list_clients(size, token)
        assert fields_of(caught.value) == fields


async def test_update_contacts(directory: ClientDirectory) -> None:
    card = await directory.register_client(make_client())
    later = ClientDirectory(directory.database, clock=lambda: FIXED_NOW.replace(hour=13))
    updated = await later.update_contacts(ContactsUpdate(card.id, phone="+49 30 123456", email=""))
    assert (updated.phone, updated.email) == ("+4930123456", "")
    assert updated.addresses == card.addresses
    assert updated.updated_at.hour == 13
    assert updated.created_at.hour == 12
    moved = await directory.update_contacts(
        ContactsUpdate(
            card.id, addresses=(AddressInput("RESIDENCE", "Омская область", "Омск", postal_code="644000"),)
        )
    )
    assert [(a.kind, a.city) for a in moved.addresses] == [(AddressKind.RESIDENCE, "Омск")]
    assert moved.email == ""
    assert [c.id for c in await directory.search_clients("4930", 0)] == [card.id]


async def test_update_contacts_errors_write_nothing(directory: ClientDirectory) -> None:
    card = await directory.register_client(make_client())
    before = await snapshot(directory.database)
    cases = [
        (ContactsUpdate(card.id), InvalidArgument, ["phone"]),
        (ContactsUpdate(card.id, phone="+7 916", email="x@y.ru"), InvalidArgument, ["phone"]),
        (ContactsUpdate("nope", email="bad"), InvalidArgument, ["client_id", "email"]),
        (ContactsUpdate(UNKNOWN_ID, email="a@b.ru"), NotFound, []),
    ]
    for change, error, fields in cases:
        with pytest.raises(error) as caught:
            await directory.update_contacts(change)
        if isinstance(caught.value, InvalidArgument):
            assert fields_of(caught.value) == fields
    assert await snapshot(directory.database) == before


async def test_upsert_document_adds_and_replaces(directory: ClientDirectory) -> None:
    card = await directory.register_client(make_client())
    old = next(d for d in card.documents if d.type is DocumentType.PASSPORT_RF)
    with_inn = await directory.upsert_document(card.id, DocumentInput("INN", INN))
    assert {d.type for d in with_inn.documents} == {
        DocumentType.PASSPORT_RF,
        DocumentType.SNILS,
        DocumentType.INN,
    }
    replaced = await directory.upsert_document(card.id, passport("4511 000001", issue_date="2010-01-01"))
    new = next(d for d in replaced.documents if d.type is DocumentType.PASSPORT_RF)
    assert (new.id, new.number, new.issue_date) == (old.id, "4511000001", date(2010, 1, 1))
    assert len(replaced.documents) == 3
    same = await directory.upsert_document(card.id, passport("4511 000001", issue_date="2010-01-01"))
    assert same.documents == replaced.documents


async def test_upsert_document_errors_write_nothing(directory: ClientDirectory) -> None:
    card = await directory.register_client(make_client())
    other = await directory.register_client(make_client(documents=(passport("4512 999999"),)))
    before = await snapshot(directory.database)
    with pytest.raises(AlreadyExists, match="4512999999"):
        await directory.upsert_document(card.id, passport("4512 999999"))
    with pytest.raises(InvalidArgument) as caught:
        await directory.upsert_document(card.id, passport(issue_date="1980-01-01"))
    assert fields_of(caught.value) == ["document.issue_date"]
    with pytest.raises(InvalidArgument) as caught:
        await directory.upsert_document("x", DocumentInput("SNILS", "112-233-445 96"))
    assert fields_of(caught.value) == ["client_id", "document.number"]
    with pytest.raises(NotFound):
        await directory.upsert_document(UNKNOWN_ID, passport("4513 000000"))
    assert await snapshot(directory.database) == before
    assert other.id != card.id


async def test_add_relative(directory: ClientDirectory) -> None:
    card = await directory.register_client(make_client())
    updated = await directory.add_relative(card.id, relative())
    (daughter,) = updated.relatives
    assert (daughter.relation, daughter.first_name, daughter.birth_date) == (
        RelationType.CHILD,
        "Мария",
        date(2012, 9, 1),
    )
    before = await snapshot(directory.database)
    with pytest.raises(InvalidArgument) as caught:
        await directory.add_relative(
            card.id, relative(birth_date="2026-12-01", relation="RELATION_TYPE_UNSPECIFIED")
        )
    assert fields_of(caught.value) == ["relative.relation", "relative.birth_date"]
    with pytest.raises(NotFound):
        await directory.add_relative(UNKNOWN_ID, relative())
    assert await snapshot(directory.database) == before
