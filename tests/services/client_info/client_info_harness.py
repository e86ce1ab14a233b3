"""Builders and assertions shared by the client_info tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, select

from services.client_info.inputs import AddressInput, DocumentInput, NewClient, RelativeInput
from services.client_info.models import AddressRow, ClientRow, DocumentRow, RelativeRow, VehicleRow
from services.common.db import Database
from services.common.errors import InvalidArgument

__all__ = [
    "FIXED_NOW",
    "INN",
    "PASSPORT",
    "SNILS",
    "count_statements",
    "fields_of",
    "make_client",
    "passport",
    "relative",
    "snapshot",
]

FIXED_NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
PASSPORT = "4510 123456"
SNILS = "112-233-445 95"
INN = "500100732259"


def passport(number: str = PASSPORT, **overrides: Any) -> DocumentInput:
    """A valid Russian passport, with ``overrides``."""
    return replace(
        DocumentInput("PASSPORT_RF", number, "2006-05-20", "", "ГУ МВД России по г. Москве"), **overrides
    )


def make_client(**overrides: Any) -> NewClient:
    """A valid registration (Иванов Иван Петрович with a passport and SNILS), with ``overrides``."""
    base = NewClient(
        last_name="Иванов",
        first_name="Иван",
        middle_name="Петрович",
        birth_date="1985-04-12",
        phone="+7 (916) 123-45-67",
        email="ivan.ivanov@example.ru",
        addresses=(AddressInput("REGISTRATION", "г. Москва", "Москва", "ул. Ленина", "1", "15", "101000"),),
        documents=(passport(), DocumentInput("SNILS", SNILS, "2001-02-03")),
    )
    return replace(base, **overrides)


def relative(**overrides: Any) -> RelativeInput:
    """A valid relative (a daughter), with ``overrides``."""
    return replace(RelativeInput("CHILD", "Иванова", "Мария", "Ивановна", "2012-09-01"), **overrides)


def fields_of(error: InvalidArgument) -> list[str]:
    """The field names of an ``InvalidArgument``'s violations, in order."""
    return [violation.field for violation in error.violations]


async def snapshot(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every client_info table, sorted, to prove a rejected write changed nothing."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    async with database.reader() as session:
        for model in (ClientRow, AddressRow, DocumentRow, RelativeRow, VehicleRow):
            columns = list(model.__table__.columns)
            rows = (await session.execute(select(*columns))).all()
            tables[model.__tablename__] = sorted(tuple(map(repr, row)) for row in rows)
    return tables


@contextmanager
def count_statements(database: Database) -> Iterator[list[str]]:
    """Collect the SQL statements ``database`` sends while the block runs."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", record)
