"""How a free-text client search is understood: a name part, phone digits, or a document number.

Operators paste whatever they have: ``"иванов"``, ``"+7 (916) 123"``, ``"4510 123456"``. The
query is planned once, purely: letters search the case-folded full name by substring; digits
(ignoring ``+``, spaces, hyphens and parentheses) search phone digits by substring and document
numbers exactly. Names are folded with ``str.casefold`` and ``ё`` → ``е`` in Python, on both the
stored key and the query, because SQLite's ``lower()`` folds ASCII only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["SearchPlan", "escape_like", "name_search_key", "plan_search"]

_SPACES = re.compile(r"\s+")
_NUMERIC = re.compile(r"[0-9+\-() \u00a0]+")


@dataclass(frozen=True, slots=True)
class SearchPlan:
    """What to match; each part that is set is OR-ed with the others."""

    name_part: str | None = None
    """Substring of the folded full name."""
    phone_digits: str | None = None
    """Substring of the phone's digits."""
    document_number: str | None = None
    """Exact document number (digits)."""


def name_search_key(*parts: str) -> str:
    """The folded, single-spaced name used for substring search (``'Ёлкина Анна'`` → ``'елкина анна'``)."""
    joined = " ".join(part for part in parts if part)
    return _SPACES.sub(" ", joined).strip().casefold().replace("ё", "е")


def plan_search(query: str) -> SearchPlan:
    """Decide what ``query`` (already known to be non-blank) should match."""
    text = query.strip()
    if _NUMERIC.fullmatch(text):
        digits = "".join(ch for ch in text if ch.isdigit())
        if digits:
            return SearchPlan(phone_digits=digits, document_number=digits)
    return SearchPlan(name_part=name_search_key(text))


def escape_like(value: str) -> str:
    """Escape ``LIKE`` wildcards so they match literally (escape character: backslash)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
