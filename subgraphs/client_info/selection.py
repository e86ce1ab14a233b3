"""Which card sections a GraphQL selection needs: the ``read_mask`` of ``BatchGetClients``.

``Client.addresses``, ``documents``, ``relatives`` and ``vehicles`` each need their section;
``Client.profile { employment health marketing }`` needs the sections selected under it. Every
other field (names, contacts, ``fullName``, ``age``, timestamps, ``__typename``) comes with
every card. Fragments are flattened and ``@skip``/``@include`` ignored (``resolvers.selection``).

The selection is the same for every representation of an ``_entities`` call, and Strawberry
passes all of them the same ``Info``, so the result is memoized per ``Info`` for the request.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from strawberry.types import Info
from strawberry.types.nodes import Selection

from resolvers.client_info import CARD_SECTIONS
from resolvers.context import RequestContext
from resolvers.selection import selected_fields

__all__ = ["card_sections", "sections_of"]

_COLLECTIONS: Final = {
    "addresses": "addresses",
    "documents": "documents",
    "relatives": "relatives",
    "vehicles": "vehicles",
}
"""``Client`` fields (GraphQL names) that need one section each."""

_PROFILE_SECTIONS: Final = {"employment": "employment", "health": "health", "marketing": "marketing"}
"""``ClientProfile`` fields (GraphQL names) and their sections."""


def sections_of(client_selections: Iterable[Selection]) -> frozenset[str]:
    """The sections needed by a selection set on ``Client``."""
    wanted: set[str] = set()
    for selected in selected_fields(client_selections):
        if selected.name in _COLLECTIONS:
            wanted.add(_COLLECTIONS[selected.name])
        elif selected.name == "profile":
            wanted.update(
                _PROFILE_SECTIONS[field.name]
                for field in selected_fields(selected.selections)
                if field.name in _PROFILE_SECTIONS
            )
    return frozenset(wanted)


def card_sections(info: Info[RequestContext[Any], Any]) -> frozenset[str]:
    """The sections the current field's ``Client`` selection needs (memoized per ``Info``).

    The current field is one returning ``Client`` objects (``client``, ``clients``,
    ``_entities``); its sub-selection is what the clients will be asked for.
    """
    memo = info.context.memo
    cached = memo.get(("card_sections", id(info)))
    if cached is not None and cached[0] is info:
        sections: frozenset[str] = cached[1]
        return sections
    sections = sections_of(selection for field in info.selected_fields for selection in field.selections)
    if not sections <= CARD_SECTIONS:  # pragma: no cover - the maps above only name card sections
        sections = CARD_SECTIONS
    memo[("card_sections", id(info))] = (info, sections)  # the Info is kept so its id is not reused
    return sections
