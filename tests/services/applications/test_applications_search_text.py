"""Snowball stemming for SQLite full-text search (pure)."""

from __future__ import annotations

from services.applications.search_text import fts_match_expression, search_document, stem_words


def test_russian_word_forms_share_a_stem() -> None:
    stems = {stem_words(word)[0] for word in ("ложка", "ложки", "ложкой", "Ложку", "ЛОЖКАМИ")}
    assert len(stems) == 1


def test_english_and_numbers() -> None:
    assert stem_words("Cars APP-2025-000123") == ["car", "app", "2025", "000123"]


def test_yo_is_folded() -> None:
    assert stem_words("Нашёл") == stem_words("нашел")


def test_document_joins_all_parts() -> None:
    assert search_document(["Ложкой", "", "cars"]) == "ложк car"


def test_match_expression_quotes_and_dedupes() -> None:
    assert fts_match_expression('ложки "ложкой" OR NEAR(x)') == '"ложк" "or" "near" "x"'
    assert fts_match_expression("  ...  ") is None
