"""Executable graphql-core schemas for the differential test: federated subgraphs and oracles.

A subgraph here is its federation SDL made executable: the federation definitions are added
(``_Any``, ``_Entity``, ``_entities``, ``_service``) and resolvers are attached by coordinate.
``inject_faults`` wraps resolvers so that chosen objects fail on chosen fields, in a subgraph
and in the oracle alike, which is how the test exercises null propagation.

See https://www.apollographql.com/docs/federation/subgraph-spec/
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from graphql import GraphQLField, GraphQLObjectType, GraphQLSchema, build_schema, default_field_resolver

from bench.gateway_subgraphs.sdl import FEDERATION_PREAMBLE

__all__ = [
    "FEDERATION_PREAMBLE",
    "InjectedFault",
    "federated_schema",
    "inject_faults",
    "set_resolvers",
    "validation_schema",
]

Resolver = Callable[..., Any]
EntityResolver = Callable[[Mapping[str, Any]], Any]


class InjectedFault(Exception):
    """The error an injected fault raises (its message names the coordinate and the object)."""


def set_resolvers(schema: GraphQLSchema, type_name: str, resolvers: Mapping[str, Resolver]) -> None:
    """Attach ``resolvers`` (field name → resolver) to the fields of ``type_name``."""
    object_type = schema.type_map[type_name]
    assert isinstance(object_type, GraphQLObjectType)
    for field_name, resolver in resolvers.items():
        object_type.fields[field_name].resolve = resolver


def federated_schema(
    sdl: str,
    entities: Mapping[str, EntityResolver],
    fields: Mapping[str, Mapping[str, Resolver]],
) -> GraphQLSchema:
    """The executable schema of one subgraph.

    Args:
        sdl: The subgraph's federation SDL.
        entities: Entity type → resolver of one representation (``None`` when unknown).
        fields: Type (``Query`` included) → field name → resolver.
    """
    federation_fields = "_entities(representations: [_Any!]!): [_Entity]!\n  _service: _Service!"
    query = "extend type Query" if "type Query" in sdl else "type Query"
    schema = build_schema(
        FEDERATION_PREAMBLE
        + sdl
        + f"\nunion _Entity = {' | '.join(entities)}\n"
        + f"{query} {{\n  {federation_fields}\n}}\n"
    )

    def resolve_entities(_root: object, _info: object, representations: list[Any]) -> list[Any]:
        out = []
        for representation in representations:
            resolver = entities.get(representation.get("__typename", "")) if representation else None
            out.append(resolver(representation) if resolver else None)
        return out

    set_resolvers(
        schema, "Query", {"_entities": resolve_entities, "_service": lambda _root, _info: {"sdl": sdl}}
    )
    for type_name, resolvers in fields.items():
        set_resolvers(schema, type_name, resolvers)
    return schema


def inject_faults(
    schema: GraphQLSchema, faults: Mapping[tuple[str, str], frozenset[str]], key: Callable[[Any], Any]
) -> GraphQLSchema:
    """Make the resolver of each ``(type, field)`` in ``faults`` raise for the listed object keys.

    Fields the schema does not have are ignored, so one fault table serves every subgraph and
    the oracle. ``key`` reads an object's identifying key (``id``, ``upc``) from its source value.
    """
    for (type_name, field_name), keys in faults.items():
        object_type = schema.type_map.get(type_name)
        if not isinstance(object_type, GraphQLObjectType) or field_name not in object_type.fields:
            continue
        _wrap(object_type.fields[field_name], f"{type_name}.{field_name}", keys, key)
    return schema


def _wrap(field: GraphQLField, coordinate: str, keys: frozenset[str], key: Callable[[Any], Any]) -> None:
    inner = field.resolve or default_field_resolver

    def resolve(source: Any, info: Any, **arguments: Any) -> Any:
        if key(source) in keys:
            raise InjectedFault(f"Injected fault: '{coordinate}' of {key(source)!r} failed.")
        return inner(source, info, **arguments)

    field.resolve = resolve


def validation_schema(sdl: str) -> GraphQLSchema:
    """A subgraph's schema as its server sees it (entities from ``@key``), without resolvers.

    Good for validating the operations a gateway sends to that subgraph. Accepts both a bare
    federation SDL and one printed with the federation additions (``_entities``) already in.
    """
    if "_entities" not in sdl:
        entities = sorted(set(re.findall(r"type\s+(\w+)[^{]*@key", sdl)))
        return federated_schema(sdl, {name: lambda _rep: None for name in entities}, {})
    directives = "\n".join(line for line in FEDERATION_PREAMBLE.splitlines() if line.startswith("directive"))
    return build_schema(directives + "\nscalar link__Import\n" + sdl)
