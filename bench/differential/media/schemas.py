"""Executable schemas of the media supergraph: its three subgraphs and the oracle.

Subgraph resolvers return the shared records of ``data`` (references stay ids there and are
resolved per subgraph), so every subgraph and the oracle read the same values; ``data.FAULTS``
are injected into all of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLSchema, build_schema

from bench.differential.executable import Resolver, federated_schema, inject_faults, set_resolvers
from bench.differential.media import data
from bench.differential.media.sdl import ORACLE_SDL, SUBGRAPH_SDL

__all__ = ["build_oracle_schema", "build_subgraph_schemas"]


def _key(source: Any) -> Any:
    return source.get("id") if isinstance(source, dict) else None


def _entity(*typenames: str) -> Any:
    def resolve(representation: Mapping[str, Any]) -> Any:
        record = data.by_id(representation.get("id"), *typenames)
        if record is None or record["__typename"] != representation.get("__typename"):
            return None
        return {**record, **representation}  # required fields (``year``) come from the representation

    return resolve


def _ref(name: str, *typenames: str) -> Resolver:
    return lambda source, _info: data.by_id(source.get(name), *typenames)


def _refs(name: str) -> Resolver:
    return lambda source, _info: [data.by_id(i, "Person") for i in source.get(name, ())]


def _reviews(source: dict[str, Any], _info: object) -> list[data.Record]:
    return data.reviews_of(source["id"], by_author=source["__typename"] == "Person")


def _is_classic(source: dict[str, Any], _info: object) -> bool | None:
    year = source.get("year")
    return None if year is None else year < 1970


_QUERY: dict[str, Resolver] = {
    "mediaById": lambda _root, _info, id: data.by_id(id, "Book", "Movie"),
    "media": lambda _root, _info, first=10: [*data.BOOKS, *data.MOVIES][: max(first, 0)],
    "search": lambda _root, _info, term: data.search_catalog(term),
    "person": lambda _root, _info, id: data.by_id(id, "Person"),
    "trending": lambda _root, _info: [data.by_id(i) for i in data.TRENDING],
    "searchFilms": lambda _root, _info, term: data.search_films(term),
    "latestReviews": lambda _root, _info, first=5: data.latest_reviews(first),
}

_FIELDS: dict[str, dict[str, Resolver]] = {
    "Book": {"author": _ref("author", "Person"), "reviews": _reviews},
    "Movie": {
        "director": _ref("director", "Person"),
        "cast": _refs("cast"),
        "isClassic": _is_classic,
        "reviews": _reviews,
    },
    "Series": {"creator": _ref("creator", "Person"), "reviews": _reviews},
    "Person": {"filmography": lambda source, _info: data.filmography(source["id"]), "reviews": _reviews},
    "Review": {"subject": _ref("subject"), "author": _ref("author", "Person")},
}

_ROOTS = {
    "catalog": ("mediaById", "media", "search", "person"),
    "films": ("trending", "searchFilms"),
    "reviews": ("latestReviews",),
}

_ENTITIES = {
    "catalog": ("Book", "Movie", "Person"),
    "films": ("Movie", "Series", "Person"),
    "reviews": ("Review", "Book", "Movie", "Series", "Person"),
}


def build_subgraph_schemas() -> dict[str, GraphQLSchema]:
    """The three subgraph schemas, keyed by subgraph name, with the faults injected."""
    out: dict[str, GraphQLSchema] = {}
    for name, sdl in SUBGRAPH_SDL.items():
        schema = federated_schema(
            sdl,
            {typename: _entity(typename) for typename in _ENTITIES[name]},
            {"Query": {field: _QUERY[field] for field in _ROOTS[name]}},
        )
        for type_name, resolvers in _FIELDS.items():
            object_type = schema.type_map.get(type_name)
            if object_type is None:
                continue
            fields = getattr(object_type, "fields", {})
            set_resolvers(schema, type_name, {f: r for f, r in resolvers.items() if f in fields})
        out[name] = inject_faults(schema, data.FAULTS, _key)
    return out


def build_oracle_schema() -> GraphQLSchema:
    """The whole media API as one plain schema over the same records and faults."""
    schema = build_schema(ORACLE_SDL)
    set_resolvers(schema, "Query", _QUERY)
    for type_name, resolvers in _FIELDS.items():
        set_resolvers(schema, type_name, resolvers)
    return inject_faults(schema, data.FAULTS, _key)
