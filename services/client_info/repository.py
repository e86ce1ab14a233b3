"""SQLAlchemy queries of the client card; no validation or business rules live here.

Cards are read in a constant number of statements whatever their count: one for the client rows
and one per requested child table (``WHERE client_id IN (…)``), never one per client. Reads are
Core selects of plain rows, not ORM objects: a batch of 1,000 full cards is about 8,000 rows,
and ORM identity-map bookkeeping per row cost several times the SQL itself. Only the sections a
caller asks for (``services.client_info.sections``) are read at all. Writes use Core ``INSERT``
with lists of parameter sets, so seeding thousands of clients is a handful of ``executemany``
calls.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, TypeVar

from sqlalchemy import ColumnElement, Select, Table, delete, insert, literal, or_, select, tuple_, update
from sqlalchemy.exc import IntegrityError

from services.client_info.documents import DocumentType
from services.client_info.models import AddressRow, ClientRow, DocumentRow, RelativeRow, VehicleRow
from services.client_info.paging import Keyset
from services.client_info.records import (
    Address,
    AddressKind,
    ClientCard,
    Document,
    Employment,
    Health,
    Marketing,
    RelationType,
    Relative,
    Vehicle,
)
from services.client_info.search import SearchPlan, escape_like, name_search_key
from services.client_info.sections import ALL_SECTIONS, CARD_FIELD_NAMES, CardSection
from services.common.errors import AlreadyExists

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = [
    "add_relative",
    "client_values",
    "document_owner",
    "has_clients",
    "insert_cards",
    "list_cards",
    "load_cards",
    "lock_client",
    "replace_addresses",
    "search_cards",
    "update_client",
    "upsert_document",
]

_S = TypeVar("_S")


async def has_clients(session: AsyncSession) -> bool:
    """Whether any client exists (seeding is skipped then)."""
    return await session.scalar(select(ClientRow.id).limit(1)) is not None


async def load_cards(
    session: AsyncSession, ids: Sequence[str], sections: frozenset[CardSection] = ALL_SECTIONS
) -> list[ClientCard]:
    """The cards of the clients among ``ids`` that exist, in no particular order.

    Only ``sections`` are read; the others stay empty (``()`` or ``None``) on the cards.
    """
    if not ids:
        return []
    query = _select_clients(sections).where(_CLIENTS.c.id.in_(ids))
    return await _assemble(session, (await session.execute(query)).all(), sections)


async def search_cards(session: AsyncSession, plan: SearchPlan, limit: int) -> list[ClientCard]:
    """Clients matching ``plan``, ordered like the listing, at most ``limit``."""
    conditions: list[ColumnElement[bool]] = []
    if plan.name_part is not None:
        conditions.append(_CLIENTS.c.search_key.like(f"%{escape_like(plan.name_part)}%", escape="\\"))
    if plan.phone_digits is not None:
        conditions.append(_CLIENTS.c.phone_digits.like(f"%{escape_like(plan.phone_digits)}%", escape="\\"))
    if plan.document_number is not None:
        owners = select(DocumentRow.client_id).where(DocumentRow.number == plan.document_number)
        conditions.append(_CLIENTS.c.id.in_(owners))
    if not conditions:
        return []
    query = _in_listing_order(_select_clients(ALL_SECTIONS).where(or_(*conditions))).limit(limit)
    return await _assemble(session, (await session.execute(query)).all(), ALL_SECTIONS)


async def list_cards(session: AsyncSession, after: Keyset | None, limit: int) -> list[ClientCard]:
    """Up to ``limit`` clients in (last_name, first_name, id) order, strictly after ``after``."""
    query = _select_clients(ALL_SECTIONS)
    if after is not None:
        key = tuple_(_CLIENTS.c.last_name, _CLIENTS.c.first_name, _CLIENTS.c.id)
        query = query.where(
            key > tuple_(literal(after.last_name), literal(after.first_name), literal(after.id))
        )
    rows = (await session.execute(_in_listing_order(query).limit(limit))).all()
    return await _assemble(session, rows, ALL_SECTIONS)


async def lock_client(session: AsyncSession, client_id: str) -> ClientRow | None:
    """The client row, locked for the rest of the transaction on PostgreSQL."""
    return await session.scalar(select(ClientRow).where(ClientRow.id == client_id).with_for_update())


async def document_owner(session: AsyncSession, kind: DocumentType, number: str) -> str | None:
    """The id of the client holding document (``kind``, ``number``), if anyone does."""
    query = select(DocumentRow.client_id).where(DocumentRow.type == kind.value, DocumentRow.number == number)
    return await session.scalar(query)


async def insert_cards(session: AsyncSession, cards: Sequence[ClientCard]) -> int:
    """Insert whole cards (client rows and all children) in bulk; returns the rows written.

    Raises:
        AlreadyExists: a document or VIN is already registered to someone.
    """
    tables: list[tuple[Any, list[dict[str, Any]]]] = [
        (ClientRow, [client_values(card) for card in cards]),
        (AddressRow, [_address_values(c.id, a) for c in cards for a in c.addresses]),
        (DocumentRow, [_document_values(c.id, d, c.updated_at) for c in cards for d in c.documents]),
        (RelativeRow, [_relative_values(c.id, r, c.updated_at) for c in cards for r in c.relatives]),
        (VehicleRow, [_vehicle_values(c.id, v, c.updated_at) for c in cards for v in c.vehicles]),
    ]
    written = 0
    for model, values in tables:
        if values:
            await _insert(session, model, values)
            written += len(values)
    return written


async def update_client(session: AsyncSession, client_id: str, **values: Any) -> None:
    """Set columns of one client (``phone`` also refreshes ``phone_digits``)."""
    if "phone" in values:
        values["phone_digits"] = values["phone"].lstrip("+")
    await session.execute(update(ClientRow).where(ClientRow.id == client_id).values(**values))


async def replace_addresses(session: AsyncSession, client_id: str, addresses: Iterable[Address]) -> None:
    """Make ``addresses`` the client's only addresses."""
    await session.execute(delete(AddressRow).where(AddressRow.client_id == client_id))
    values = [_address_values(client_id, address) for address in addresses]
    if values:
        await session.execute(insert(AddressRow), values)


async def upsert_document(session: AsyncSession, client_id: str, document: Document, now: datetime) -> None:
    """Store ``document``, replacing the client's document of the same type if there is one.

    Raises:
        AlreadyExists: another client holds a document with the same type and number.
    """
    current = await session.scalar(
        select(DocumentRow.id).where(
            DocumentRow.client_id == client_id, DocumentRow.type == document.type.value
        )
    )
    if current is None:
        await _insert(session, DocumentRow, [_document_values(client_id, document, now)])
        return
    values = _document_values(client_id, document, now)
    for unchanged in ("id", "client_id", "type", "created_at"):
        del values[unchanged]
    try:
        await session.execute(update(DocumentRow).where(DocumentRow.id == current).values(**values))
    except IntegrityError as exc:
        raise _document_clash(document) from exc


async def add_relative(session: AsyncSession, client_id: str, relative: Relative, now: datetime) -> None:
    """Add a relative to a client."""
    await session.execute(insert(RelativeRow), [_relative_values(client_id, relative, now)])


def client_values(card: ClientCard) -> dict[str, Any]:
    """The ``clients`` row of a card."""
    return {
        "id": card.id,
        "last_name": card.last_name,
        "first_name": card.first_name,
        "middle_name": card.middle_name,
        "birth_date": card.birth_date,
        "phone": card.phone,
        "phone_digits": card.phone.lstrip("+"),
        "email": card.email,
        "search_key": name_search_key(card.last_name, card.first_name, card.middle_name),
        "employment": _section(card.employment),
        "health": _section(card.health),
        "marketing": _section(card.marketing),
        "created_at": card.created_at,
        "updated_at": card.updated_at,
    }


async def _insert(session: AsyncSession, model: Any, values: list[dict[str, Any]]) -> None:
    try:
        await session.execute(insert(model), values)
    except IntegrityError as exc:
        if model is DocumentRow:
            raise AlreadyExists(
                "A document in this request is already registered to another client; "
                "look the client up by the document number instead of registering it again."
            ) from exc
        if model is VehicleRow:
            raise AlreadyExists("A vehicle with this VIN is already registered.") from exc
        raise


def _document_clash(document: Document) -> AlreadyExists:
    return AlreadyExists(
        f"A {document.type.value} numbered {document.number!r} is already registered to another client."
    )


def _in_listing_order(query: Select[Any]) -> Select[Any]:
    return query.order_by(_CLIENTS.c.last_name, _CLIENTS.c.first_name, _CLIENTS.c.id)


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


_CLIENTS: Final = _table(ClientRow)
_BASE_COLUMNS: Final = tuple(_CLIENTS.c[name] for name in CARD_FIELD_NAMES)
_PROFILE: Final = (
    (CardSection.EMPLOYMENT, Employment),
    (CardSection.HEALTH, Health),
    (CardSection.MARKETING, Marketing),
)


def _select_clients(sections: frozenset[CardSection]) -> Select[Any]:
    """The card's own columns, then the JSON column of each requested profile section."""
    profile = [_CLIENTS.c[section.value] for section, _cls in _PROFILE if section in sections]
    return select(*_BASE_COLUMNS, *profile)


class _Child:
    """How one child table is read: its columns in record order and its order within a card."""

    def __init__(self, model: Any, columns: Sequence[str], order: Sequence[str], build: Any) -> None:
        table = _table(model)
        self.table = table
        self.select = select(table.c.client_id, *(table.c[name] for name in columns)).order_by(
            table.c.client_id, *(table.c[name] for name in order)
        )
        self.build = build


_ADDRESS_KINDS: Final = {kind.value: kind for kind in AddressKind}
_DOCUMENT_TYPES: Final = {kind.value: kind for kind in DocumentType}
_RELATION_TYPES: Final = {kind.value: kind for kind in RelationType}
"""Enum members by stored value: a dict look-up is ~10x cheaper than calling the enum class."""


def _address_row(row: Any) -> Address:
    return Address(_ADDRESS_KINDS[row[1]], *row[2:])


def _document_row(row: Any) -> Document:
    return Document(row[1], _DOCUMENT_TYPES[row[2]], *row[3:])


def _relative_row(row: Any) -> Relative:
    return Relative(row[1], _RELATION_TYPES[row[2]], *row[3:])


def _vehicle_row(row: Any) -> Vehicle:
    return Vehicle(*row[1:])


_CHILDREN: Final = {
    CardSection.ADDRESSES: _Child(
        AddressRow,
        ["kind", "region", "city", "street", "house", "apartment", "postal_code"],
        ["kind"],
        _address_row,
    ),
    CardSection.DOCUMENTS: _Child(
        DocumentRow, ["id", "type", "number", "issue_date", "expiry_date", "issuer"], ["type"], _document_row
    ),
    CardSection.RELATIVES: _Child(
        RelativeRow,
        ["id", "relation", "last_name", "first_name", "middle_name", "birth_date"],
        ["created_at", "id"],
        _relative_row,
    ),
    CardSection.VEHICLES: _Child(
        VehicleRow,
        ["id", "vin", "plate", "make", "model", "year", "engine_power_hp"],
        ["year", "vin"],
        _vehicle_row,
    ),
}


async def _children(session: AsyncSession, child: _Child, ids: list[str]) -> dict[str, tuple[Any, ...]]:
    """The records of one child table for ``ids``, grouped by client, in one statement."""
    grouped: dict[str, list[Any]] = defaultdict(list)
    build = child.build
    for row in (await session.execute(child.select.where(child.table.c.client_id.in_(ids)))).all():
        grouped[row[0]].append(build(row))
    return {client_id: tuple(records) for client_id, records in grouped.items()}


async def _assemble(
    session: AsyncSession, rows: Sequence[Any], sections: frozenset[CardSection]
) -> list[ClientCard]:
    """Cards for client ``rows``: one statement per requested child table for all of them."""
    if not rows:
        return []
    ids = [row[0] for row in rows]
    children: dict[CardSection, dict[str, tuple[Any, ...]]] = {}
    for section, child in _CHILDREN.items():
        if section in sections:
            children[section] = await _children(session, child, ids)
    none: dict[str, tuple[Any, ...]] = {}
    addresses = children.get(CardSection.ADDRESSES, none)
    documents = children.get(CardSection.DOCUMENTS, none)
    relatives = children.get(CardSection.RELATIVES, none)
    vehicles = children.get(CardSection.VEHICLES, none)
    profile = [cls for section, cls in _PROFILE if section in sections]
    cards = []
    for row in rows:
        client_id, last_name, first_name, middle_name, birth_date, phone, email, created, updated, *rest = row
        loaded: dict[type[Any], Any] = {
            cls: _load_section(cls, value) for cls, value in zip(profile, rest, strict=True)
        }
        cards.append(
            ClientCard(
                client_id,
                last_name,
                first_name,
                middle_name,
                birth_date,
                phone,
                email,
                created,
                updated,
                addresses=addresses.get(client_id, ()),
                documents=documents.get(client_id, ()),
                relatives=relatives.get(client_id, ()),
                vehicles=vehicles.get(client_id, ()),
                employment=loaded.get(Employment),
                health=loaded.get(Health),
                marketing=loaded.get(Marketing),
            )
        )
    return cards


def _section(value: Employment | Health | Marketing | None) -> dict[str, Any] | None:
    return None if value is None else dataclasses.asdict(value)


def _load_section(cls: type[_S], value: dict[str, Any] | None) -> _S | None:
    if value is None:
        return None
    known = _SECTION_FIELDS[cls]
    return cls(**{key: item for key, item in value.items() if key in known})


_SECTION_FIELDS: Final[dict[type[Any], frozenset[str]]] = {
    cls: frozenset(field.name for field in dataclasses.fields(cls)) for cls in (Employment, Health, Marketing)
}


def _address_values(client_id: str, address: Address) -> dict[str, Any]:
    return {"client_id": client_id, **dataclasses.asdict(address), "kind": address.kind.value}


def _document_values(client_id: str, document: Document, now: datetime) -> dict[str, Any]:
    values = dataclasses.asdict(document)
    values.update(client_id=client_id, type=document.type.value, created_at=now, updated_at=now)
    return values


def _relative_values(client_id: str, relative: Relative, now: datetime) -> dict[str, Any]:
    values = dataclasses.asdict(relative)
    values.update(client_id=client_id, relation=relative.relation.value, created_at=now)
    return values


def _vehicle_values(client_id: str, vehicle: Vehicle, now: datetime) -> dict[str, Any]:
    return {"client_id": client_id, **dataclasses.asdict(vehicle), "created_at": now}
