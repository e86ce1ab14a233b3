"""SQLAlchemy queries of the client card; no validation or business rules live here.

Cards are read in a constant number of statements whatever their count: one for the client rows
and one per child table (``WHERE client_id IN (…)``), never one per client. Writes use Core
``INSERT`` with lists of parameter sets, so seeding thousands of clients is a handful of
``executemany`` calls.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Select, delete, insert, literal, or_, select, tuple_, update
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


async def load_cards(session: AsyncSession, ids: Sequence[str]) -> list[ClientCard]:
    """The cards of the clients among ``ids`` that exist, in no particular order."""
    if not ids:
        return []
    rows = (await session.scalars(select(ClientRow).where(ClientRow.id.in_(ids)))).all()
    return await _assemble(session, rows)


async def search_cards(session: AsyncSession, plan: SearchPlan, limit: int) -> list[ClientCard]:
    """Clients matching ``plan``, ordered like the listing, at most ``limit``."""
    conditions = []
    if plan.name_part is not None:
        conditions.append(ClientRow.search_key.like(f"%{escape_like(plan.name_part)}%", escape="\\"))
    if plan.phone_digits is not None:
        conditions.append(ClientRow.phone_digits.like(f"%{escape_like(plan.phone_digits)}%", escape="\\"))
    if plan.document_number is not None:
        owners = select(DocumentRow.client_id).where(DocumentRow.number == plan.document_number)
        conditions.append(ClientRow.id.in_(owners))
    if not conditions:
        return []
    query = _in_listing_order(select(ClientRow).where(or_(*conditions))).limit(limit)
    return await _assemble(session, (await session.scalars(query)).all())


async def list_cards(session: AsyncSession, after: Keyset | None, limit: int) -> list[ClientCard]:
    """Up to ``limit`` clients in (last_name, first_name, id) order, strictly after ``after``."""
    query = select(ClientRow)
    if after is not None:
        key = tuple_(ClientRow.last_name, ClientRow.first_name, ClientRow.id)
        query = query.where(
            key > tuple_(literal(after.last_name), literal(after.first_name), literal(after.id))
        )
    rows = (await session.scalars(_in_listing_order(query).limit(limit))).all()
    return await _assemble(session, rows)


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


def _in_listing_order(query: Select[ClientRow]) -> Select[ClientRow]:
    return query.order_by(ClientRow.last_name, ClientRow.first_name, ClientRow.id)


async def _children(
    session: AsyncSession, model: Any, ids: list[str], order: Sequence[Any]
) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for row in (await session.scalars(select(model).where(model.client_id.in_(ids)).order_by(*order))).all():
        grouped[row.client_id].append(row)
    return grouped


async def _assemble(session: AsyncSession, rows: Sequence[ClientRow]) -> list[ClientCard]:
    """Cards for ``rows``: one statement per child table for all of them."""
    if not rows:
        return []
    ids = [row.id for row in rows]
    addresses = await _children(session, AddressRow, ids, [AddressRow.kind])
    documents = await _children(session, DocumentRow, ids, [DocumentRow.type])
    relatives = await _children(session, RelativeRow, ids, [RelativeRow.created_at, RelativeRow.id])
    vehicles = await _children(session, VehicleRow, ids, [VehicleRow.year, VehicleRow.vin])
    return [
        ClientCard(
            id=row.id,
            last_name=row.last_name,
            first_name=row.first_name,
            middle_name=row.middle_name,
            birth_date=row.birth_date,
            phone=row.phone,
            email=row.email,
            created_at=row.created_at,
            updated_at=row.updated_at,
            addresses=tuple(_address(a) for a in addresses[row.id]),
            documents=tuple(_document(d) for d in documents[row.id]),
            relatives=tuple(_relative(r) for r in relatives[row.id]),
            vehicles=tuple(_vehicle(v) for v in vehicles[row.id]),
            employment=_load_section(Employment, row.employment),
            health=_load_section(Health, row.health),
            marketing=_load_section(Marketing, row.marketing),
        )
        for row in rows
    ]


def _section(value: Employment | Health | Marketing | None) -> dict[str, Any] | None:
    return None if value is None else dataclasses.asdict(value)


def _load_section(cls: type[_S], value: dict[str, Any] | None) -> _S | None:
    if value is None:
        return None
    known = {field.name for field in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{key: item for key, item in value.items() if key in known})


def _address(row: AddressRow) -> Address:
    return Address(
        AddressKind(row.kind), row.region, row.city, row.street, row.house, row.apartment, row.postal_code
    )


def _document(row: DocumentRow) -> Document:
    return Document(row.id, DocumentType(row.type), row.number, row.issue_date, row.expiry_date, row.issuer)


def _relative(row: RelativeRow) -> Relative:
    relation = RelationType(row.relation)
    return Relative(row.id, relation, row.last_name, row.first_name, row.middle_name, row.birth_date)


def _vehicle(row: VehicleRow) -> Vehicle:
    return Vehicle(row.id, row.vin, row.plate, row.make, row.model, row.year, row.engine_power_hp)


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
