"""A small three-subgraph world (products, reviews, accounts) served by a MockTransport.

Imported by the execution tests (``from tests.gateway.execution.execution_world import ...``).
"""

from __future__ import annotations

from gateway.errors import SubgraphUnavailable
from gateway.execution import MockTransport, SubgraphRequest
from gateway.planner.plan import (
    FetchNode,
    FlattenNode,
    QueryPlan,
    RequiresField,
    RequiresInlineFragment,
    SequenceNode,
)
from gateway.types import JSONObject, SubgraphName

PRODUCTS = [
    {"__typename": "Product", "upc": "1", "name": "Table"},
    {"__typename": "Product", "upc": "2", "name": "Couch"},
    {"__typename": "Product", "upc": "1", "name": "Table"},
]
REVIEWS = {
    "1": [{"body": "Love it", "author": {"__typename": "User", "id": "u1"}}],
    "2": [
        {"body": "Too soft", "author": {"__typename": "User", "id": "u1"}},
        {"body": "Fine", "author": {"__typename": "User", "id": "u2"}},
    ],
}
USERS = {"u1": "ada", "u2": "bob"}

ENTITY_OP = "query($representations:[_Any!]!){_entities(representations:$representations){...on %s{%s}}}"


def _key(type_name: str, *fields: str) -> tuple[RequiresInlineFragment]:
    return (
        RequiresInlineFragment(type_name, (RequiresField("__typename"), *(RequiresField(f) for f in fields))),
    )


TOP_PRODUCTS_PLAN = QueryPlan(
    SequenceNode(
        (
            FetchNode(
                SubgraphName("products"),
                "query($first:Int){topProducts(first:$first){__typename upc name}}",
                variable_usages=("first",),
            ),
            FlattenNode(
                ("topProducts", "@"),
                FetchNode(
                    SubgraphName("reviews"),
                    ENTITY_OP % ("Product", "reviews{body author{__typename id}}"),
                    requires=_key("Product", "upc"),
                ),
            ),
            FlattenNode(
                ("topProducts", "@", "reviews", "@", "author"),
                FetchNode(
                    SubgraphName("accounts"), ENTITY_OP % ("User", "username"), requires=_key("User", "id")
                ),
            ),
        )
    )
)


def answer(request: SubgraphRequest) -> JSONObject:
    """The subgraphs' behaviour, keyed by service name."""
    if request.service_name == "products":
        first = request.variables.get("first")
        products = PRODUCTS if first is None else PRODUCTS[:first]
        return {"data": {"topProducts": [dict(p) for p in products]}}
    representations = request.variables["representations"]
    if request.service_name == "reviews":
        return {"data": {"_entities": [{"reviews": REVIEWS[r["upc"]]} for r in representations]}}
    if request.service_name == "accounts":
        entities: list[JSONObject | None] = []
        errors: list[JSONObject] = []
        for index, rep in enumerate(representations):
            if rep["id"] in USERS:
                entities.append({"username": USERS[rep["id"]]})
            else:
                entities.append(None)
                errors.append({"message": "User not found.", "path": ["_entities", index, "username"]})
        out: JSONObject = {"data": {"_entities": entities}}
        if errors:
            out["errors"] = errors
        return out
    raise SubgraphUnavailable(
        f"Subgraph {request.service_name!r} is down.", service_name=request.service_name
    )


def make_transport(down: frozenset[str] | set[str] = frozenset()) -> MockTransport:
    """A MockTransport answering like the three subgraphs; those in ``down`` are unreachable."""

    def handler(request: SubgraphRequest) -> JSONObject:
        if request.service_name in down:
            raise SubgraphUnavailable(
                f"Subgraph {request.service_name!r} could not be reached.", service_name=request.service_name
            )
        return answer(request)

    return MockTransport(handler)
