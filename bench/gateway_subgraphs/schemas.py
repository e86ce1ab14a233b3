"""Executable graphql-core schemas for the four subgraphs and the pre-stitched ceiling schema.

Each subgraph is its SDL plus the federation additions (``_Any``, ``_Entity``, ``_entities``,
``_service``), with resolvers that read the generated records in ``data``. Execution speed
does not matter much here: the server memoises each distinct answer (see ``server``).

See https://www.apollographql.com/docs/federation/subgraph-spec/
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from graphql import GraphQLObjectType, GraphQLSchema, build_schema

from bench.gateway_subgraphs import data
from bench.gateway_subgraphs.sdl import FEDERATION_PREAMBLE, STITCHED_SDL, SUBGRAPH_SDL

__all__ = ["build_stitched_schema", "build_subgraph_schema", "build_subgraph_schemas"]

JSONDict = dict[str, Any]
EntityResolver = Callable[[Mapping[str, Any]], JSONDict | None]


def _user(user: data.User) -> JSONDict:
    return {
        "__typename": "User",
        "id": user.id,
        "name": user.name,
        "username": user.username,
        "birthday": user.birthday,
    }


def _product(product: data.Product) -> JSONDict:
    return {
        "__typename": "Product",
        "upc": product.upc,
        "name": product.name,
        "price": product.price,
        "weight": product.weight,
    }


def _review(review: data.Review) -> JSONDict:
    author = data.USERS_BY_ID[review.author_id]
    return {
        "__typename": "Review",
        "id": review.id,
        "body": review.body,
        "product": {"__typename": "Product", "upc": review.product_upc},
        # ``@provides(fields: "username")``: the author's username comes along.
        "author": {"__typename": "User", "id": author.id, "username": author.username},
    }


def _stock(representation: Mapping[str, Any]) -> JSONDict | None:
    product = data.PRODUCTS_BY_UPC.get(str(representation.get("upc")))
    if product is None:
        return None
    price, weight = representation.get("price"), representation.get("weight")
    estimate = data.shipping_estimate(price, weight) if price is not None and weight is not None else None
    return {
        "__typename": "Product",
        "upc": product.upc,
        "inStock": product.in_stock,
        "shippingEstimate": estimate,
    }


def _reviews_of_user(representation: Mapping[str, Any]) -> JSONDict | None:
    user_id = str(representation.get("id"))
    return {"__typename": "User", "id": user_id} if user_id in data.REVIEWS_BY_AUTHOR else None


def _reviews_of_product(representation: Mapping[str, Any]) -> JSONDict | None:
    upc = str(representation.get("upc"))
    return {"__typename": "Product", "upc": upc} if upc in data.REVIEWS_BY_PRODUCT else None


def _lookup(table: Mapping[str, Any], key: str, shape: Callable[[Any], JSONDict]) -> EntityResolver:
    def resolve(representation: Mapping[str, Any]) -> JSONDict | None:
        record = table.get(str(representation.get(key)))
        return None if record is None else shape(record)

    return resolve


_ENTITIES: dict[str, dict[str, EntityResolver]] = {
    "accounts": {"User": _lookup(data.USERS_BY_ID, "id", _user)},
    "products": {"Product": _lookup(data.PRODUCTS_BY_UPC, "upc", _product)},
    "inventory": {"Product": _stock},
    "reviews": {
        "Review": _lookup({r.id: r for r in data.REVIEWS}, "id", _review),
        "User": _reviews_of_user,
        "Product": _reviews_of_product,
    },
}

_OBJECT_FIELDS: dict[str, dict[str, dict[str, Callable[..., Any]]]] = {
    # Inside the reviews subgraph a review's product and author have reviews too.
    "reviews": {
        "User": {
            "reviews": lambda user, _info: [_review(r) for r in data.REVIEWS_BY_AUTHOR.get(user["id"], ())]
        },
        "Product": {
            "reviews": lambda product, _info: [
                _review(r) for r in data.REVIEWS_BY_PRODUCT.get(product["upc"], ())
            ]
        },
    },
}

_ROOT_FIELDS: dict[str, dict[str, Callable[..., Any]]] = {
    "accounts": {
        "me": lambda _root, _info: _user(data.USERS[0]),
        "user": lambda _root, _info, id: _user(data.USERS_BY_ID[id]) if id in data.USERS_BY_ID else None,
        "users": lambda _root, _info: [_user(user) for user in data.USERS],
    },
    "products": {
        "topProducts": lambda _root, _info, first=5: [_product(p) for p in data.PRODUCTS[: max(first, 0)]],
    },
}


def build_subgraph_schema(name: str) -> GraphQLSchema:
    """The executable schema of subgraph ``name`` (``accounts``, ``inventory``, ``products``, ``reviews``).

    Raises:
        KeyError: ``name`` is not one of the four benchmark subgraphs.
    """
    sdl = SUBGRAPH_SDL[name]
    entity_resolvers = _ENTITIES[name]
    federation_fields = "_entities(representations: [_Any!]!): [_Entity]!\n  _service: _Service!"
    query = "extend type Query" if "type Query" in sdl else "type Query"
    schema = build_schema(
        FEDERATION_PREAMBLE
        + sdl
        + f"\nunion _Entity = {' | '.join(entity_resolvers)}\n"
        + f"{query} {{\n  {federation_fields}\n}}\n"
    )
    query_type = schema.query_type
    assert query_type is not None

    def resolve_entities(_root: object, _info: object, representations: list[Any]) -> list[JSONDict | None]:
        answers: list[JSONDict | None] = []
        for representation in representations:
            resolver = entity_resolvers.get(representation.get("__typename", "")) if representation else None
            answers.append(resolver(representation) if resolver else None)
        return answers

    query_type.fields["_entities"].resolve = resolve_entities
    query_type.fields["_service"].resolve = lambda _root, _info: {"sdl": sdl}
    for field_name, resolver in _ROOT_FIELDS.get(name, {}).items():
        query_type.fields[field_name].resolve = resolver
    for type_name, resolvers in _OBJECT_FIELDS.get(name, {}).items():
        _set_resolvers(schema, type_name, resolvers)
    return schema


def build_subgraph_schemas() -> dict[str, GraphQLSchema]:
    """All four subgraph schemas, keyed by subgraph name."""
    return {name: build_subgraph_schema(name) for name in SUBGRAPH_SDL}


def _set_resolvers(
    schema: GraphQLSchema, type_name: str, resolvers: Mapping[str, Callable[..., Any]]
) -> None:
    object_type = schema.type_map[type_name]
    assert isinstance(object_type, GraphQLObjectType)
    for field_name, resolver in resolvers.items():
        object_type.fields[field_name].resolve = resolver


def build_stitched_schema() -> GraphQLSchema:
    """The whole API as one schema over the same records: what a perfect gateway would answer."""
    schema = build_schema(STITCHED_SDL)
    _set_resolvers(
        schema,
        "Query",
        {
            "me": lambda _root, _info: data.USERS[0],
            "user": lambda _root, _info, id: data.USERS_BY_ID.get(id),
            "users": lambda _root, _info: list(data.USERS),
            "topProducts": lambda _root, _info, first=5: list(data.PRODUCTS[: max(first, 0)]),
        },
    )
    _set_resolvers(schema, "User", {"reviews": lambda user, _info: list(data.REVIEWS_BY_AUTHOR[user.id])})
    _set_resolvers(
        schema,
        "Product",
        {
            "inStock": lambda product, _info: product.in_stock,
            "shippingEstimate": lambda product, _info: data.shipping_estimate(product.price, product.weight),
            "reviews": lambda product, _info: list(data.REVIEWS_BY_PRODUCT[product.upc]),
        },
    )
    _set_resolvers(
        schema,
        "Review",
        {
            "product": lambda review, _info: data.PRODUCTS_BY_UPC[review.product_upc],
            "author": lambda review, _info: data.USERS_BY_ID[review.author_id],
        },
    )
    return schema
