"""Three federated subgraphs run in-process with graphql-core, composed into a real supergraph.

The gateway under test uses the real composition, supergraph loader and planner; only the
network is replaced: a ``MockTransport`` executes each subgraph request against that
subgraph's schema (``_entities`` included). Imported by the end-to-end tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLSchema, build_schema, execute_sync, parse

from gateway.composition import SubgraphSource, Success, compose
from gateway.execution import MockTransport, SubgraphRequest
from gateway.types import JSONObject

_LINK = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", '
    'import: ["@key", "@shareable", "@external", "@requires"])\n'
)

PRODUCTS_SDL = (
    _LINK
    + """
type Product @key(fields: "upc") { upc: String! name: String! price: Int! kind: Kind }
enum Kind { NEW USED }
type Query { topProducts(first: Int = 5): [Product!]!  product(upc: String!): Product }
"""
)
REVIEWS_SDL = (
    _LINK
    + """
type Product @key(fields: "upc") { upc: String! reviews: [Review!]! }
type Review { id: ID! body: String! author: User! }
type User @key(fields: "id") { id: ID! reviews: [Review!]! }
"""
)
ACCOUNTS_SDL = (
    _LINK
    + """
type User @key(fields: "id") { id: ID! username: String }
type Query { me: User }
type Mutation { rename(name: String!): User }
"""
)

_PRODUCTS = {
    "1": {"__typename": "Product", "upc": "1", "name": "Table", "price": 899, "kind": "NEW"},
    "2": {"__typename": "Product", "upc": "2", "name": "Couch", "price": 1299, "kind": "USED"},
    "3": {"__typename": "Product", "upc": "3", "name": "Chair", "price": 54, "kind": None},
}
_REVIEWS: dict[str, list[dict[str, Any]]] = {
    "1": [{"id": "r1", "body": "Love it!", "author": {"__typename": "User", "id": "u1"}}],
    "2": [
        {"id": "r2", "body": "Too expensive.", "author": {"__typename": "User", "id": "u1"}},
        {"id": "r3", "body": "Could be better.", "author": {"__typename": "User", "id": "u2"}},
    ],
    "3": [{"id": "r4", "body": "Prefer the couch.", "author": {"__typename": "User", "id": "u2"}}],
}
_USERS = {
    "u1": {"__typename": "User", "id": "u1", "username": "ada"},
    "u2": {"__typename": "User", "id": "u2", "username": "bob"},
}


def _executable(sdl: str, entities: list[str], has_query: bool) -> GraphQLSchema:
    """Turn a federation SDL into a plain executable schema with ``_entities``."""
    body = sdl.replace(_LINK, "")
    body = re.sub(r'@\w+(\((?:[^()"]|"[^"]*")*\))?', "", body)
    keyword = "extend type" if has_query else "type"
    body += (
        "\nscalar _Any\n"
        f"union _Entity = {' | '.join(entities)}\n"
        f"{keyword} Query {{ _entities(representations: [_Any!]!): [_Entity]! }}\n"
    )
    return build_schema(body)


def _products_entities(info: Any, representations: list[JSONObject]) -> list[Any]:
    return [_PRODUCTS.get(rep["upc"]) for rep in representations]


def _reviews_entities(info: Any, representations: list[JSONObject]) -> list[Any]:
    out: list[Any] = []
    for rep in representations:
        if rep["__typename"] == "Product":
            out.append({"__typename": "Product", "upc": rep["upc"], "reviews": _REVIEWS.get(rep["upc"], [])})
        else:
            mine = [r for reviews in _REVIEWS.values() for r in reviews if r["author"]["id"] == rep["id"]]
            out.append({"__typename": "User", "id": rep["id"], "reviews": mine})
    return out


@dataclass
class _Subgraph:
    schema: GraphQLSchema
    root: dict[str, Any]
    mutation_root: dict[str, Any] | None = None


SUBGRAPHS: dict[str, _Subgraph] = {
    "products": _Subgraph(
        _executable(PRODUCTS_SDL, ["Product"], True),
        {
            "topProducts": lambda info, first=5: list(_PRODUCTS.values())[:first],
            "product": lambda info, upc: _PRODUCTS.get(upc),
            "_entities": _products_entities,
        },
    ),
    "reviews": _Subgraph(
        _executable(REVIEWS_SDL, ["Product", "User"], False), {"_entities": _reviews_entities}
    ),
    "accounts": _Subgraph(
        _executable(ACCOUNTS_SDL, ["User"], True),
        {
            "me": lambda info: _USERS["u1"],
            "_entities": lambda info, representations: [_USERS.get(r["id"]) for r in representations],
        },
        {"rename": lambda info, name: {**_USERS["u1"], "username": name}},
    ),
}


def supergraph_sdl() -> str:
    """Compose the three subgraphs (URLs are never called: the transport is in-process)."""
    result = compose(
        [
            SubgraphSource("products", "http://products.test/graphql", PRODUCTS_SDL),
            SubgraphSource("reviews", "http://reviews.test/graphql", REVIEWS_SDL),
            SubgraphSource("accounts", "http://accounts.test/graphql", ACCOUNTS_SDL),
        ]
    )
    assert isinstance(result, Success), result
    return result.supergraph_sdl


def make_transport(down: frozenset[str] = frozenset()) -> MockTransport:
    """Execute each subgraph request with graphql-core; subgraphs in ``down`` are unreachable."""
    from gateway.errors import SubgraphUnavailable

    def handler(request: SubgraphRequest) -> JSONObject:
        if request.service_name in down:
            raise SubgraphUnavailable(
                f"Subgraph {request.service_name!r} could not be reached.", service_name=request.service_name
            )
        subgraph = SUBGRAPHS[request.service_name]
        document = parse(request.query)
        is_mutation = request.query.lstrip().startswith("mutation")
        root = subgraph.mutation_root if is_mutation else subgraph.root
        result = execute_sync(subgraph.schema, document, root, variable_values=request.variables)
        out: JSONObject = {"data": result.data}
        if result.errors:
            out["errors"] = [dict(error.formatted) for error in result.errors]
        return out

    return MockTransport(handler)
