"""Stemming for full-text search on SQLite, where FTS5 has no Russian morphology.

The FTS5 table holds each application's searchable text already reduced to Snowball stems
(Russian for Cyrillic words, English for Latin ones), and queries are stemmed the same way, so
"ложка" matches "ложки" and "ложкой" as ``to_tsvector('russian', …)`` does on PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer

__all__ = ["fts_match_expression", "search_document", "stem_words"]

_WORD = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile(r"[а-я]")
_LATIN = re.compile(r"[a-z]")
_russian = snowballstemmer.stemmer("russian")
_english = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    if _CYRILLIC.search(word):
        return str(_russian.stemWord(word))
    if _LATIN.search(word):
        return str(_english.stemWord(word))
    return word


def stem_words(text: str) -> list[str]:
    """The stems of every word in ``text``, lower-cased, with ё folded to е."""
    return [_stem(word) for word in _WORD.findall(text.lower().replace("ё", "е"))]


def search_document(parts: Iterable[str]) -> str:
    """The FTS5 body for an application: the stems of all searchable ``parts``, space-separated."""
    return " ".join(stem for part in parts for stem in stem_words(part))


def fts_match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression requiring every stem of ``query`` (None when it has no words).

    Each stem is quoted, so user input can never be read as FTS5 syntax.
    """
    stems = list(dict.fromkeys(stem_words(query)))
    if not stems:
        return None
    return " ".join(f'"{stem}"' for stem in stems)
