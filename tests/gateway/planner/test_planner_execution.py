"""End-to-end checks: plans run by the executor against in-memory subgraphs give the right data.

Each subgraph is a graphql-core schema over plain dicts with an ``_entities`` field; a
``MockTransport`` answers the plan's fetches by executing them there. The shaped response is
compared with the expected data, and the number of subgraph requests is checked too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from graphql import (
    GraphQLObjectType,
    OperationDefinitionNode,
    build_schema,
    graphql_sync,
    parse,
    validate,
)

from gateway.execution import MockTransport, SubgraphRequest, execute_plan, type_matcher
from gateway.planner import QueryPlanner
from gateway.response import OperationShaper
from gateway.supergraph import load_supergraph
from gateway.types import JSONObject
from tests.gateway.harness import supergraph_sdl

EntityResolver = Callable[[JSONObject], JSONObject | None]
FieldResolver = Callable[..., Any]


class Subgraph:
    """An executable in-memory subgraph: SDL, root values, entity and field resolvers."""

    def __init__(
        self,
        sdl: str,
        root: Mapping[str, Any],
        entities: Mapping[str, EntityResolver] | None = None,
        fields: Mapping[str, FieldResolver] | None = None,
    ) -> None:
        entity_types = " | ".join(entities or {}) or "_Nothing"
        self.schema = build_schema(
            sdl
            + f"\nscalar _Any\ntype _Nothing {{ _n: Int }}\nunion _Entity = {entity_types}\n"
            + "extend type Query { _entities(representations: [_Any!]!): [_Entity]! }"
        )
        self.root = dict(root)
        self.entities = dict(entities or {})
        query_type = self.schema.query_type
        assert query_type is not None
        query_type.fields["_entities"].resolve = self._resolve_entities
        for coordinate, resolver in (fields or {}).items():
            type_name, field_name = coordinate.split(".")
            gql_type = self.schema.get_type(type_name)
            assert isinstance(gql_type, GraphQLObjectType)
            gql_type.fields[field_name].resolve = resolver

    def _resolve_entities(self, _root: object, _info: Any, representations: list[JSONObject]) -> Any:
        out = []
        for representation in representations:
            resolver = self.entities[representation["__typename"]]
            found = resolver(representation)
            out.append(None if found is None else {"__typename": representation["__typename"], **found})
        return out

    def handle(self, request: SubgraphRequest) -> JSONObject:
        """Execute one subgraph request."""
        result = graphql_sync(
            self.schema, request.query, root_value=self.root, variable_values=request.variables
        )
        assert not result.errors, (request.query, result.errors)
        return {"data": result.data}


async def run(
    sdl: str, subgraphs: Mapping[str, Subgraph], query: str, variables: JSONObject | None = None
) -> tuple[Any, int]:
    """Plan, execute and shape ``query``; return the data and the number of subgraph requests."""
    supergraph = load_supergraph(sdl)
    document = parse(query)
    assert not validate(supergraph.api_schema, document)
    plan = QueryPlanner(supergraph).plan(document)
    transport = MockTransport(lambda request: subgraphs[request.service_name].handle(request))
    possible = {
        name: frozenset(t.name for t in supergraph.api_schema.get_possible_types(gql_type))  # type: ignore[arg-type]
        for name, gql_type in supergraph.api_schema.type_map.items()
        if hasattr(gql_type, "resolve_type")
    }
    outcome = await execute_plan(
        plan, transport=transport, variables=variables or {}, matches=type_matcher(possible)
    )
    assert not outcome.errors, outcome.errors
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    shaped = OperationShaper(supergraph.api_schema, operation, {}).shape(outcome.data, variables or {})
    assert not shaped.errors, shaped.errors
    return shaped.data, len(transport.requests)


SHOP = supergraph_sdl(
    """
    type Query @join__type(graph: PRODUCTS) @join__type(graph: INVENTORY) @join__type(graph: PRICING) {
      topProducts: [Product] @join__field(graph: PRODUCTS)
    }

    type Product
      @join__type(graph: PRODUCTS, key: "upc")
      @join__type(graph: INVENTORY, key: "upc")
      @join__type(graph: PRICING, key: "upc")
    {
      upc: String!
      name: String @join__field(graph: PRODUCTS)
      weight: Int @join__field(graph: PRODUCTS) @join__field(graph: INVENTORY, external: true)
      price(currency: String!): Int @join__field(graph: PRICING) @join__field(graph: INVENTORY, external: true)
      inStock: Boolean @join__field(graph: INVENTORY)
      shippingUSD: Int @join__field(graph: INVENTORY, requires: "weight price(currency: \\"USD\\")")
      shippingEUR: Int @join__field(graph: INVENTORY, requires: "weight price(currency: \\"EUR\\")")
    }
    """,
    "inventory",
    "pricing",
    "products",
)

_PRODUCTS = [{"upc": "p1", "name": "Policy A", "weight": 2}, {"upc": "p2", "name": "Policy B", "weight": 5}]
_RATES = {"USD": 10, "EUR": 9}


def _shop_subgraphs() -> dict[str, Subgraph]:
    products = Subgraph(
        "type Query { topProducts: [Product] } type Product { upc: String! name: String weight: Int }",
        {"topProducts": _PRODUCTS},
        {"Product": lambda rep: next(p for p in _PRODUCTS if p["upc"] == rep["upc"])},
    )
    pricing = Subgraph(
        "type Query { _dummy: Int } type Product { upc: String! price(currency: String!): Int }",
        {},
        {"Product": lambda rep: {"upc": rep["upc"]}},
        {"Product.price": lambda obj, _info, currency: _RATES[currency] * (1 if obj["upc"] == "p1" else 3)},
    )
    inventory = Subgraph(
        "type Query { _dummy: Int } type Product { upc: String! inStock: Boolean shippingUSD: Int shippingEUR: Int }",
        {},
        {
            "Product": lambda rep: {
                "upc": rep["upc"],
                "inStock": rep["upc"] == "p1",
                "shippingUSD": rep["weight"] * rep["price"] if "weight" in rep and "price" in rep else None,
                "shippingEUR": rep["weight"] * rep["price"] + 1
                if "weight" in rep and "price" in rep
                else None,
            }
        },
    )
    return {"products": products, "pricing": pricing, "inventory": inventory}


async def test_requires_with_conflicting_arguments_reach_the_right_fetches() -> None:
    data, requests = await run(
        SHOP,
        _shop_subgraphs(),
        '{ topProducts { name eur: price(currency: "EUR") shippingUSD shippingEUR inStock } }',
    )
    assert data == {
        "topProducts": [
            {"name": "Policy A", "eur": 9, "shippingUSD": 20, "shippingEUR": 19, "inStock": True},
            {"name": "Policy B", "eur": 27, "shippingUSD": 150, "shippingEUR": 136, "inStock": False},
        ]
    }
    assert requests == 3  # products, pricing, then one inventory request with a call per shape


async def test_client_alias_clashing_with_the_key() -> None:
    data, requests = await run(SHOP, _shop_subgraphs(), "{ topProducts { upc: name inStock } }")
    assert data == {
        "topProducts": [{"upc": "Policy A", "inStock": True}, {"upc": "Policy B", "inStock": False}]
    }
    assert requests == 2


ACCOUNTS = supergraph_sdl(
    """
    type Query @join__type(graph: ACCOUNTS) @join__type(graph: AUDIT) {
      accounts: [Account] @join__field(graph: ACCOUNTS)
      recentlyAudited: [Account] @join__field(graph: AUDIT)
    }

    interface Account
      @join__type(graph: ACCOUNTS, key: "id")
      @join__type(graph: AUDIT, key: "id", isInterfaceObject: true)
    {
      id: ID!
      name: String @join__field(graph: ACCOUNTS)
      lastAudit: String @join__field(graph: AUDIT)
    }

    type Person implements Account
      @join__type(graph: ACCOUNTS, key: "id")
      @join__implements(graph: ACCOUNTS, interface: "Account")
    {
      id: ID!
      name: String
      birthDate: String
      lastAudit: String @join__field
    }

    type Company implements Account
      @join__type(graph: ACCOUNTS, key: "id")
      @join__implements(graph: ACCOUNTS, interface: "Account")
    {
      id: ID!
      name: String
      taxId: String
      lastAudit: String @join__field
    }
    """,
    "accounts",
    "audit",
)

_ACCOUNTS = {
    "1": {"__typename": "Person", "id": "1", "name": "Ivanov", "birthDate": "1990-01-01"},
    "2": {"__typename": "Company", "id": "2", "name": "Romashka", "taxId": "7700"},
}


def _account_subgraphs() -> dict[str, Subgraph]:
    accounts = Subgraph(
        """
        type Query { accounts: [Account] }
        interface Account { id: ID! name: String }
        type Person implements Account { id: ID! name: String birthDate: String }
        type Company implements Account { id: ID! name: String taxId: String }
        """,
        {"accounts": list(_ACCOUNTS.values())},
        {
            "Person": lambda rep: _ACCOUNTS[rep["id"]],
            "Company": lambda rep: _ACCOUNTS[rep["id"]],
        },
    )
    # An entity interface: its reference resolves to the concrete object.
    accounts.entities["Account"] = lambda rep: _ACCOUNTS[rep["id"]]
    audit = Subgraph(
        "type Query { recentlyAudited: [Account] } type Account { id: ID! lastAudit: String }",
        {"recentlyAudited": [{"id": "2", "lastAudit": "2025-03-01"}, {"id": "1", "lastAudit": "2025-02-01"}]},
        {"Account": lambda rep: {"id": rep["id"], "lastAudit": f"audit-{rep['id']}"}},
    )
    return {"accounts": accounts, "audit": audit}


async def test_interface_object_fields_on_concrete_types() -> None:
    data, requests = await run(ACCOUNTS, _account_subgraphs(), "{ accounts { name lastAudit } }")
    assert data == {
        "accounts": [{"name": "Ivanov", "lastAudit": "audit-1"}, {"name": "Romashka", "lastAudit": "audit-2"}]
    }
    assert requests == 2


async def test_interface_object_root_learns_the_real_type() -> None:
    data, requests = await run(
        ACCOUNTS,
        _account_subgraphs(),
        "{ recentlyAudited { __typename lastAudit name ... on Person { birthDate } ... on Company { taxId } } }",
    )
    assert data == {
        "recentlyAudited": [
            {"__typename": "Company", "lastAudit": "2025-03-01", "name": "Romashka", "taxId": "7700"},
            {"__typename": "Person", "lastAudit": "2025-02-01", "name": "Ivanov", "birthDate": "1990-01-01"},
        ]
    }
    assert requests == 2


async def test_condition_skips_the_entity_fetch() -> None:
    query = "query ($s: Boolean!) { topProducts { name inStock @include(if: $s) } }"
    data, requests = await run(SHOP, _shop_subgraphs(), query, {"s": False})
    assert data == {"topProducts": [{"name": "Policy A"}, {"name": "Policy B"}]}
    assert requests == 1
    data, requests = await run(SHOP, _shop_subgraphs(), query, {"s": True})
    assert data == {
        "topProducts": [{"name": "Policy A", "inStock": True}, {"name": "Policy B", "inStock": False}]
    }
    assert requests == 2


SEARCH = supergraph_sdl(
    """
    type Query @join__type(graph: SEARCH) @join__type(graph: PEOPLE) @join__type(graph: DOCS) {
      search: [Result] @join__field(graph: SEARCH)
    }

    type Mutation @join__type(graph: PEOPLE) @join__type(graph: DOCS) {
      rename(id: ID!, name: String!): Person @join__field(graph: PEOPLE)
      retitle(id: ID!, title: String!): Document @join__field(graph: DOCS)
    }

    union Result
      @join__type(graph: SEARCH)
      @join__unionMember(graph: SEARCH, member: "Person")
      @join__unionMember(graph: SEARCH, member: "Document")
    = Person | Document

    type Person
      @join__type(graph: SEARCH, key: "id")
      @join__type(graph: PEOPLE, key: "id")
      @join__type(graph: DOCS, key: "id", resolvable: false)
    {
      id: ID!
      name: String @join__field(graph: PEOPLE)
    }

    type Document @join__type(graph: SEARCH, key: "id") @join__type(graph: DOCS, key: "id") {
      id: ID!
      title: String @join__field(graph: DOCS)
      author: Person @join__field(graph: DOCS)
    }
    """,
    "docs",
    "people",
    "search",
)


def _search_subgraphs(log: list[str]) -> dict[str, Subgraph]:
    people = {"u1": {"id": "u1", "name": "Ivanov"}}
    docs = {"d1": {"id": "d1", "title": "Policy terms", "author": {"id": "u1"}}}

    def rename(_root: object, _info: Any, id: str, name: str) -> JSONObject:
        log.append(f"rename {name}")
        people[id]["name"] = name
        return people[id]

    def retitle(_root: object, _info: Any, id: str, title: str) -> JSONObject:
        log.append(f"retitle {title}")
        docs[id]["title"] = title
        return docs[id]

    return {
        "search": Subgraph(
            "type Query { search: [Result] } union Result = Person | Document "
            "type Person { id: ID! } type Document { id: ID! }",
            {"search": [{"__typename": "Document", "id": "d1"}, {"__typename": "Person", "id": "u1"}]},
        ),
        "people": Subgraph(
            "type Query { _dummy: Int } type Mutation { rename(id: ID!, name: String!): Person } "
            "type Person { id: ID! name: String }",
            {"rename": rename},
            {"Person": lambda rep: people[rep["id"]]},
            {"Mutation.rename": rename},
        ),
        "docs": Subgraph(
            "type Query { _dummy: Int } type Mutation { retitle(id: ID!, title: String!): Document } "
            "type Document { id: ID! title: String author: Person } type Person { id: ID! }",
            {"retitle": retitle},
            {"Document": lambda rep: docs[rep["id"]]},
            {"Mutation.retitle": retitle},
        ),
    }


async def test_union_members_resolved_by_their_subgraphs() -> None:
    data, requests = await run(
        SEARCH,
        _search_subgraphs([]),
        "{ search { __typename ... on Person { name } ... on Document { title author { name } } } }",
    )
    assert data == {
        "search": [
            {"__typename": "Document", "title": "Policy terms", "author": {"name": "Ivanov"}},
            {"__typename": "Person", "name": "Ivanov"},
        ]
    }
    assert requests == 3  # search; docs; people for both persons and the author in one request


async def test_mutations_run_in_document_order() -> None:
    log: list[str] = []
    data, requests = await run(
        SEARCH,
        _search_subgraphs(log),
        'mutation { a: rename(id: "u1", name: "Petrov") { name } '
        'b: retitle(id: "d1", title: "New terms") { title author { name } } '
        'c: rename(id: "u1", name: "Sidorov") { name } }',
    )
    assert log == ["rename Petrov", "retitle New terms", "rename Sidorov"]
    assert data == {
        "a": {"name": "Petrov"},
        "b": {"title": "New terms", "author": {"name": "Petrov"}},
        "c": {"name": "Sidorov"},
    }
    assert requests == 4
