"""The client card's use cases: look-ups, search, listing and the four changes a client service makes.

Each change validates the whole request first (every violation in one ``InvalidArgument``), then
runs in one transaction: nothing is written unless everything is. Uniqueness of documents is
checked up front for a clear message and enforced again by the database's unique constraint.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from services.client_info import repository
from services.client_info.inputs import ContactsUpdate, DocumentInput, NewClient, RelativeInput
from services.client_info.paging import Keyset, decode_page_token, encode_page_token
from services.client_info.records import ClientCard, Document
from services.client_info.rules import (
    Violations,
    check_addresses,
    check_birth_date,
    check_document,
    check_email,
    check_name,
    check_phone,
    check_relative,
)
from services.client_info.search import plan_search
from services.client_info.sections import parse_read_mask
from services.common.errors import AlreadyExists, FieldViolation, NotFound
from services.common.validation import new_id, parse_id, utcnow

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from services.common.db import Database

__all__ = ["DEFAULT_PAGE_SIZE", "MAX_BATCH_IDS", "MAX_PAGE_SIZE", "ClientDirectory", "ClientPage"]

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_BATCH_IDS = 1000
"""A dataloader batch larger than this is a bug in the caller; it is refused, not truncated."""


@dataclass(frozen=True, slots=True)
class ClientPage:
    """One page of the listing; ``next_page_token`` is empty on the last page."""

    clients: list[ClientCard]
    next_page_token: str


class ClientDirectory:
    """The client card's operations over one database.

    Args:
        database: the service's database.
        clock: the current instant (UTC); "today" for date rules is derived from it.
    """

    def __init__(self, database: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.database = database
        self.clock = clock

    async def get_client(self, client_id: str) -> ClientCard:
        """One client by id.

        Raises:
            InvalidArgument: ``client_id`` is not a UUID.
            NotFound: no client has this id.
        """
        parsed = _require_id(client_id, "id")
        async with self.database.reader() as session:
            cards = await repository.load_cards(session, [parsed])
        if not cards:
            raise _not_found(parsed)
        return cards[0]

    async def batch_get_clients(
        self, ids: Sequence[str], read_mask: Sequence[str] | None = None
    ) -> tuple[list[ClientCard], list[str]]:
        """The clients among ``ids`` in request order (duplicates once), and the ids not found.

        Ids that are not UUIDs are reported missing, as written; the look-up is one batch.
        ``read_mask`` names the card sections to return (``services.client_info.sections``);
        ``None`` means the whole card.

        Raises:
            InvalidArgument: more than ``MAX_BATCH_IDS`` ids, or an unknown read-mask path.
        """
        violations = Violations()
        if len(ids) > MAX_BATCH_IDS:
            violations.add("ids", f"At most {MAX_BATCH_IDS} ids per call; got {len(ids)}. Split the batch.")
        sections = parse_read_mask(read_mask, violations)
        violations.raise_if_any()
        canonical = {raw: _canonical_id(raw) for raw in ids}
        wanted = list(dict.fromkeys(value for value in canonical.values() if value is not None))
        async with self.database.reader() as session:
            found = {card.id: card for card in await repository.load_cards(session, wanted, sections)}
        clients = [found[value] for value in wanted if value in found]
        missing = list(dict.fromkeys(raw for raw, value in canonical.items() if value not in found))
        return clients, missing

    async def search_clients(self, query: str, limit: int) -> list[ClientCard]:
        """Clients whose name contains ``query``, whose phone contains its digits, or who hold a
        document with exactly that number.

        Raises:
            InvalidArgument: blank query, or a limit outside 0–100 (0 means the default).
        """
        violations = Violations()
        if not query.strip():
            violations.add("query", "'query' is required: part of a name, a phone or a document number.")
        if len(query) > 200:
            violations.add("query", "'query' is longer than 200 characters.")
        size = _page_size(limit, "limit", violations)
        violations.raise_if_any()
        async with self.database.reader() as session:
            return await repository.search_cards(session, plan_search(query), size)

    async def list_clients(self, page_size: int, page_token: str) -> ClientPage:
        """A page of clients ordered by (last_name, first_name, id).

        Raises:
            InvalidArgument: a page size outside 0–100 (0 means the default) or a foreign token.
        """
        violations = Violations()
        size = _page_size(page_size, "page_size", violations)
        after: Keyset | None = None
        if page_token:
            decoded = decode_page_token(page_token, "page_token")
            if isinstance(decoded, FieldViolation):
                violations.add(decoded.field, decoded.description)
            else:
                after = decoded
        violations.raise_if_any()
        async with self.database.reader() as session:
            cards = await repository.list_cards(session, after, size + 1)
        if len(cards) <= size:
            return ClientPage(cards, "")
        last = cards[size - 1]
        return ClientPage(cards[:size], encode_page_token(Keyset(last.last_name, last.first_name, last.id)))

    async def register_client(self, new: NewClient) -> ClientCard:
        """Create a client with their addresses and documents.

        Raises:
            InvalidArgument: any field is invalid (all are reported).
            AlreadyExists: one of the documents belongs to another client.
        """
        now = self.clock()
        today = now.date()
        violations = Violations()
        last_name = check_name(new.last_name, "last_name", violations)
        first_name = check_name(new.first_name, "first_name", violations)
        middle_name = check_name(new.middle_name, "middle_name", violations, required=False)
        born = check_birth_date(new.birth_date, "birth_date", violations, today=today)
        phone = check_phone(new.phone, "phone", violations)
        email = check_email(new.email, "email", violations)
        addresses = check_addresses(new.addresses, "addresses", violations)
        documents = self._check_documents(new.documents, violations, today=today, birth_date=born)
        violations.raise_if_any()
        assert born is not None  # reported as violations otherwise
        assert phone is not None
        card = ClientCard(
            id=new_id(),
            last_name=last_name,
            first_name=first_name,
            middle_name=middle_name,
            birth_date=born,
            phone=phone,
            email=email,
            created_at=now,
            updated_at=now,
            addresses=addresses,
            documents=documents,
        )
        async with self.database.transaction() as session:
            for document in documents:
                await _ensure_document_free(session, document, card.id)
            await repository.insert_cards(session, [card])
            return (await repository.load_cards(session, [card.id]))[0]

    async def update_contacts(self, change: ContactsUpdate) -> ClientCard:
        """Change a client's phone, e-mail and/or addresses (non-empty addresses replace all).

        Raises:
            InvalidArgument: a bad id or contact, or nothing to change.
            NotFound: no client has this id.
        """
        violations = Violations()
        client_id = _check_id(change.client_id, "client_id", violations)
        values: dict[str, object] = {}
        if change.phone is not None:
            values["phone"] = check_phone(change.phone, "phone", violations)
        if change.email is not None:
            values["email"] = check_email(change.email, "email", violations)
        addresses = check_addresses(change.addresses, "addresses", violations)
        if change.phone is None and change.email is None and not change.addresses:
            violations.add("phone", "Nothing to update: give a phone, an e-mail or addresses.")
        violations.raise_if_any()
        assert client_id is not None
        async with self.database.transaction() as session:
            await self._locked(session, client_id)
            if addresses:
                await repository.replace_addresses(session, client_id, addresses)
            await repository.update_client(session, client_id, **values, updated_at=self.clock())
            return (await repository.load_cards(session, [client_id]))[0]

    async def upsert_document(self, client_id: str, raw: DocumentInput) -> ClientCard:
        """Add a document, or replace the client's document of the same type.

        Raises:
            InvalidArgument: a bad id or document (issue date must follow the client's birth).
            NotFound: no client has this id.
            AlreadyExists: another client holds this document.
        """
        now = self.clock()
        violations = Violations()
        parsed_id = _check_id(client_id, "client_id", violations)
        async with self.database.transaction() as session:
            client = None if parsed_id is None else await repository.lock_client(session, parsed_id)
            birth_date = None if client is None else client.birth_date
            document = check_document(
                raw, "document", violations, document_id=new_id(), today=now.date(), birth_date=birth_date
            )
            violations.raise_if_any()
            if client is None:
                raise _not_found(str(parsed_id))
            assert document is not None  # a None document was reported as a violation
            await _ensure_document_free(session, document, client.id)
            await repository.upsert_document(session, client.id, document, now)
            await repository.update_client(session, client.id, updated_at=now)
            return (await repository.load_cards(session, [client.id]))[0]

    async def add_relative(self, client_id: str, raw: RelativeInput) -> ClientCard:
        """Add a relative to a client's card.

        Raises:
            InvalidArgument: a bad id or relative.
            NotFound: no client has this id.
        """
        now = self.clock()
        violations = Violations()
        parsed_id = _check_id(client_id, "client_id", violations)
        relative = check_relative(raw, "relative", violations, relative_id=new_id(), today=now.date())
        violations.raise_if_any()
        assert parsed_id is not None
        assert relative is not None
        async with self.database.transaction() as session:
            await self._locked(session, parsed_id)
            await repository.add_relative(session, parsed_id, relative, now)
            await repository.update_client(session, parsed_id, updated_at=now)
            return (await repository.load_cards(session, [parsed_id]))[0]

    @staticmethod
    def _check_documents(
        raws: Sequence[DocumentInput], violations: Violations, *, today: date, birth_date: date | None
    ) -> tuple[Document, ...]:
        documents: list[Document] = []
        for index, raw in enumerate(raws):
            field = f"documents[{index}]"
            document = check_document(
                raw, field, violations, document_id=new_id(), today=today, birth_date=birth_date
            )
            if document is None:
                continue
            if any(seen.type is document.type for seen in documents):
                violations.add(
                    f"{field}.type", f"A client has one {document.type.value}; it is listed twice."
                )
            documents.append(document)
        return tuple(documents)

    @staticmethod
    async def _locked(session: AsyncSession, client_id: str) -> None:
        if await repository.lock_client(session, client_id) is None:
            raise _not_found(client_id)


async def _ensure_document_free(session: AsyncSession, document: Document, client_id: str) -> None:
    owner = await repository.document_owner(session, document.type, document.number)
    if owner is not None and owner != client_id:
        raise AlreadyExists(
            f"A {document.type.value} numbered {document.number!r} is already registered to another "
            "client; search by the document number to find that client."
        )


def _page_size(value: int, field: str, violations: Violations) -> int:
    if value == 0:
        return DEFAULT_PAGE_SIZE
    if not 0 < value <= MAX_PAGE_SIZE:
        violations.add(
            field,
            f"{field!r} must be between 1 and {MAX_PAGE_SIZE} (0 means {DEFAULT_PAGE_SIZE}); got {value}.",
        )
    return value


def _canonical_id(value: str) -> str | None:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def _check_id(value: str, field: str, violations: Violations) -> str | None:
    parsed = parse_id(value, field)
    if isinstance(parsed, FieldViolation):
        violations.add(parsed.field, parsed.description)
        return None
    return parsed


def _require_id(value: str, field: str) -> str:
    violations = Violations()
    parsed = _check_id(value, field, violations)
    violations.raise_if_any()
    assert parsed is not None
    return parsed


def _not_found(client_id: str) -> NotFound:
    return NotFound(f"No client has id {client_id!r}; it may never have existed or the id is mistyped.")
