"""Fixtures for planner unit tests: a small shop supergraph and a planner factory."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from graphql import parse

from gateway.planner import QueryPlan, QueryPlanner
from gateway.supergraph import Supergraph, load_supergraph
from tests.gateway.harness import supergraph_sdl

SHOP_SDL = supergraph_sdl(
    """
    type Query @join__type(graph: PRODUCTS) @join__type(graph: INVENTORY) {
      topProducts(first: Int): [Product] @join__field(graph: PRODUCTS)
    }

    type Product @join__type(graph: PRODUCTS, key: "upc") @join__type(graph: INVENTORY, key: "upc") {
      upc: String!
      name: String @join__field(graph: PRODUCTS)
      weight: Int @join__field(graph: PRODUCTS) @join__field(graph: INVENTORY, external: true)
      inStock: Boolean @join__field(graph: INVENTORY)
      shipping: Int @join__field(graph: INVENTORY, requires: "weight")
      orphan: Int @join__field(graph: INVENTORY, requires: "weight") @inaccessible
    }
    """,
    "inventory",
    "products",
)

PlanFactory = Callable[..., QueryPlan]


@pytest.fixture
def shop() -> Supergraph:
    """The shop supergraph (products, inventory)."""
    return load_supergraph(SHOP_SDL)


@pytest.fixture
def plan_shop(shop: Supergraph) -> PlanFactory:
    """Plan a query against the shop supergraph."""
    planner = QueryPlanner(shop)

    def plan(query: str, operation_name: str | None = None) -> QueryPlan:
        return planner.plan(parse(query), operation_name)

    return plan
