"""The parts of a client card a reader can ask for: the ``read_mask`` of ``BatchGetClients``.

A card is one ``clients`` row plus four child tables and three profile sections (JSON columns).
Most readers need only a few of them — a list of 1,000 names needs none — and loading a child
table for 1,000 clients costs a statement, thousands of rows and thousands of messages. So a
reader names the sections it needs; the card's own fields (names, birth date, contacts,
timestamps) come with every card, since they are in the row that is read anyway.

See https://google.aip.dev/157 (partial responses with a read mask).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Final

from services.client_info.rules import Violations

__all__ = ["ALL_SECTIONS", "CARD_FIELDS", "CARD_FIELD_NAMES", "CardSection", "parse_read_mask"]


class CardSection(StrEnum):
    """A part of the card that is read only on request; values are the proto field names."""

    ADDRESSES = "addresses"
    DOCUMENTS = "documents"
    RELATIVES = "relatives"
    VEHICLES = "vehicles"
    EMPLOYMENT = "employment"
    HEALTH = "health"
    MARKETING = "marketing"


ALL_SECTIONS: Final = frozenset(CardSection)
"""Every section: the whole card (what a request without a read mask gets)."""

CARD_FIELD_NAMES: Final = (
    "id",
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "phone",
    "email",
    "created_at",
    "updated_at",
)
"""The ``Client`` fields every card carries, in column order (the repository selects exactly these)."""

CARD_FIELDS: Final = frozenset(CARD_FIELD_NAMES)
"""The same fields as a set; naming them in a read mask is allowed and changes nothing."""

_KNOWN_PATHS: Final = sorted(CARD_FIELDS | {section.value for section in CardSection})


def parse_read_mask(paths: Iterable[str] | None, violations: Violations) -> frozenset[CardSection]:
    """The sections a read mask asks for; ``None`` (no mask) means all of them.

    Every unknown path is added to ``violations`` as ``read_mask.paths[i]``.
    """
    if paths is None:
        return ALL_SECTIONS
    wanted: set[CardSection] = set()
    for index, path in enumerate(paths):
        if path in CARD_FIELDS:
            continue
        try:
            wanted.add(CardSection(path))
        except ValueError:
            violations.add(
                f"read_mask.paths[{index}]",
                f"Unknown path {path!r}; a read mask names fields of 'Client': {', '.join(_KNOWN_PATHS)}.",
            )
    return frozenset(wanted)
