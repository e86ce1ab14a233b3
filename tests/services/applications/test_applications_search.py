"""Full-text search with Russian morphology on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from grpc_clients.caller import FIRST_PARTY
from services.applications.operations import Applications
from services.common.db import Database
from services.common.errors import InvalidArgument
from tests.services.applications.applications_harness import make_input


async def create(applications: Applications, comment: str, description: str = "Квартира") -> str:
    raw = make_input(comment=comment, insured_kind="property", insured_description=description)
    return (await applications.create(raw, caller=FIRST_PARTY)).application.id


async def found(applications: Applications, query: str, limit: int = 0) -> set[str]:
    return {a.id for a in await applications.search(query, limit, caller=FIRST_PARTY)}


async def test_word_forms_match(applications: Applications) -> None:
    plural = await create(applications, "Погнуты серебряные ложки.")
    instrumental = await create(applications, "Ест суп деревянной ложкой.")
    nominative = await create(applications, "Антикварная ложка.")
    await create(applications, "Пропала вилка.")
    assert await found(applications, "ложка") == {plural, instrumental, nominative}
    assert await found(applications, "ложками") == {plural, instrumental, nominative}
    assert await found(applications, "деревянная ложка") == {instrumental}


async def test_number_description_and_cancellation_reason_are_searchable(applications: Applications) -> None:
    application = (
        await applications.create(
            make_input(insured_kind="trip", insured_description="Поездка в Турцию"), caller=FIRST_PARTY
        )
    ).application
    other = await create(applications, "", description="Дача")
    assert await found(applications, application.number) == {application.id}
    assert await found(applications, "поездки турция") == {application.id}
    assert await found(applications, "дешевле") == set()
    await applications.cancel(application.id, "Нашёл полис дешевле", caller=FIRST_PARTY)
    assert await found(applications, "дешевле") == {application.id}
    assert await found(applications, "дача") == {other}


async def test_english_words_are_stemmed(applications: Applications) -> None:
    cars = await create(applications, "Two cars in the garage")
    assert await found(applications, "car") == {cars}


async def test_limit_and_ranking_order(applications: Applications) -> None:
    for index in range(5):
        await create(applications, f"Ложка номер {index}")
    results = await applications.search("ложка", 3, caller=FIRST_PARTY)
    assert len(results) == 3
    assert len(await applications.search("ложка", 0, caller=FIRST_PARTY)) == 5


async def test_quoting_cannot_inject_query_syntax(applications: Applications) -> None:
    spoon = await create(applications, "Ложка")
    assert await found(applications, 'ложка" * -') == {spoon}
    assert await found(applications, "NEAR(ложка") == set()
    assert await found(applications, "ложка -вилка") == set()  # no operators: "вилка" is required


@pytest.mark.parametrize(
    ("query", "limit", "fields"),
    [
        ("", 0, ["query"]),
        ("   ", 0, ["query"]),
        ("q" * 501, 0, ["query"]),
        ("ложка", 101, ["limit"]),
        ("", -1, ["query", "limit"]),
    ],
)
async def test_invalid_search(applications: Applications, query: str, limit: int, fields: list[str]) -> None:
    with pytest.raises(InvalidArgument) as caught:
        await applications.search(query, limit, caller=FIRST_PARTY)
    assert [v.field for v in caught.value.violations] == fields


async def test_search_documents_are_replaced_not_duplicated(
    applications: Applications, applications_database: Database
) -> None:
    first = await create(applications, "Ложка")
    await create(applications, "Вилка")
    await applications.cancel(first, "Передумал", caller=FIRST_PARTY)
    assert await found(applications, "передумал ложка") == {first}
    if not applications_database.is_postgres:
        async with applications_database.reader() as session:
            rows = (await session.execute(text("SELECT application_id FROM applications_fts"))).all()
        assert sorted(r[0] for r in rows) == sorted([first, *(await found(applications, "вилка"))])


async def test_stop_words_only_query_finds_nothing_quietly(applications: Applications) -> None:
    await create(applications, "и в на")
    results = await applications.search("и", 0, caller=FIRST_PARTY)
    assert isinstance(results, list)
