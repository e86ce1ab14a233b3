"""The media supergraph's records, and the resolvers every schema over them shares.

Records are plain dicts (``__typename`` included), so the subgraph schemas, whose resolvers
return JSON-like objects, and the oracle schema read the same values. A few records carry
*faults* (``FAULTS``): a resolver that raises or returns null in a non-null position, the same
in the subgraphs and in the oracle, so the differential test compares null propagation too.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "BOOKS",
    "FAULTS",
    "MOVIES",
    "PEOPLE",
    "REVIEWS",
    "SERIES",
    "TRENDING",
    "by_id",
    "filmography",
    "latest_reviews",
    "reviews_of",
    "search_catalog",
    "search_films",
]

Record = dict[str, Any]

PEOPLE: list[Record] = [
    {"__typename": "Person", "id": "p1", "name": "Ada Lovelace", "born": 1815},
    {"__typename": "Person", "id": "p2", "name": "Orson Welles", "born": 1915},
    {"__typename": "Person", "id": "p3", "name": "Agnes Varda", "born": 1928},
    {"__typename": "Person", "id": "p4", "name": "Akira Kurosawa", "born": 1910},
    {"__typename": "Person", "id": "p5", "name": "Greta Gerwig", "born": 1983},
    {"__typename": "Person", "id": "p6", "name": "Ursula Le Guin", "born": None},
]

BOOKS: list[Record] = [
    {
        "__typename": "Book",
        "id": "b1",
        "title": "The Dispossessed",
        "year": 1974,
        "pages": 387,
        "author": "p6",
    },
    {
        "__typename": "Book",
        "id": "b2",
        "title": "Notes on Engines",
        "year": 1843,
        "pages": None,
        "author": "p1",
    },
    {
        "__typename": "Book",
        "id": "b3",
        "title": "Something Like an Autobiography",
        "year": 1982,
        "pages": 205,
        "author": "p4",
    },
    {
        "__typename": "Book",
        "id": "b4",
        "title": "The Lathe of Heaven",
        "year": 1971,
        "pages": 184,
        "author": None,
    },
]

MOVIES: list[Record] = [
    {
        "__typename": "Movie",
        "id": "m1",
        "title": "Citizen Kane",
        "year": 1941,
        "rating": 8.3,
        "runtime": 119,
        "director": "p2",
        "cast": ["p2"],
    },
    {
        "__typename": "Movie",
        "id": "m2",
        "title": "Cleo from 5 to 7",
        "year": 1962,
        "rating": 7.8,
        "runtime": 90,
        "director": "p3",
        "cast": [],
    },
    {
        "__typename": "Movie",
        "id": "m3",
        "title": "Ran",
        "year": 1985,
        "rating": 8.2,
        "runtime": 162,
        "director": "p4",
        "cast": ["p4", "p2"],
    },
    {
        "__typename": "Movie",
        "id": "m4",
        "title": "Lady Bird",
        "year": 2017,
        "rating": 7.4,
        "runtime": 94,
        "director": "p5",
        "cast": ["p5", "p3"],
    },
    {
        "__typename": "Movie",
        "id": "m5",
        "title": "Frances Ha",
        "year": None,
        "rating": None,
        "runtime": 86,
        "director": None,
        "cast": ["p5"],
    },
]

SERIES: list[Record] = [
    {"__typename": "Series", "id": "s1", "title": "Earthsea", "seasons": 1, "creator": "p6"},
    {"__typename": "Series", "id": "s2", "title": "Kane Chronicles", "seasons": 3, "creator": "p2"},
    {"__typename": "Series", "id": "s3", "title": "Seven Samurai Stories", "seasons": 2, "creator": None},
]

REVIEWS: list[Record] = [
    {
        "__typename": "Review",
        "id": f"r{n}",
        "body": body,
        "stars": stars,
        "subject": subject,
        "author": author,
    }
    for n, (body, stars, subject, author) in enumerate(
        [
            ("A quiet revolution.", 5, "b1", "p3"),
            ("Dense but rewarding.", 4, "b2", "p6"),
            ("Every frame a painting.", 5, "m3", "p2"),
            ("Too long.", 2, "m1", "p5"),
            ("Funny and sad.", 4, "m4", "p3"),
            ("Cleo walks, Paris watches.", 5, "m2", "p4"),
            ("Faithful enough.", 3, "s1", "p6"),
            ("Invented history.", 1, "s2", None),
            ("Better than the book.", 4, "b4", "p1"),
            ("Gerwig's best.", 5, "m5", "p5"),
            ("Needs more seasons.", 3, "s3", "p4"),
            ("Unfilmable, filmed.", 4, "s1", "p2"),
        ],
        start=1,
    )
]

_ALL: dict[str, Record] = {r["id"]: r for r in (*PEOPLE, *BOOKS, *MOVIES, *SERIES, *REVIEWS)}

FAULTS: dict[tuple[str, str], frozenset[str]] = {
    ("Person", "name"): frozenset({"p5"}),
    ("Movie", "rating"): frozenset({"m4"}),
    ("Review", "stars"): frozenset({"r7"}),
    ("Series", "seasons"): frozenset({"s3"}),
}
"""``(type, field)`` → ids of the objects whose resolver for that field raises an error."""


def by_id(record_id: str | None, *typenames: str) -> Record | None:
    """The record with this id when it is of one of ``typenames`` (any type when none given)."""
    record = _ALL.get(record_id) if record_id is not None else None
    if record is None or (typenames and record["__typename"] not in typenames):
        return None
    return record


def reviews_of(subject_or_author: str, *, by_author: bool = False) -> list[Record]:
    """Reviews of a subject (book, movie, series), or written by a person."""
    key = "author" if by_author else "subject"
    return [review for review in REVIEWS if review[key] == subject_or_author]


def filmography(person_id: str) -> list[Record]:
    """Movies a person directed or acted in, then series they created."""
    movies = [m for m in MOVIES if m["director"] == person_id or person_id in m["cast"]]
    return [*movies, *(s for s in SERIES if s["creator"] == person_id)]


def latest_reviews(first: int) -> list[Record]:
    """The newest ``first`` reviews, newest first."""
    return list(reversed(REVIEWS))[: max(first, 0)]


TRENDING = ("m3", "s1", "m4", "s2", "m1")
"""What the films subgraph calls trending, in order."""


def _matches(record: Record, term: str) -> bool:
    text = record.get("title") or record.get("name") or ""
    return term.lower() in str(text).lower()


def search_catalog(term: str) -> list[Record]:
    """Books, movies and people whose title or name contains ``term`` (the catalog's search)."""
    return [r for r in (*BOOKS, *MOVIES, *PEOPLE) if _matches(r, term)]


def search_films(term: str) -> list[Record]:
    """Movies and series whose title contains ``term`` (the films subgraph's search)."""
    return [r for r in (*MOVIES, *SERIES) if _matches(r, term)]
