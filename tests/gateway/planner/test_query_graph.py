"""Tests for the query graph's ownership answers (resolution, runtime types, key edges)."""

from __future__ import annotations

from gateway.planner.operation import NField
from gateway.planner.query_graph import EntityTarget, build_query_graph, narrow, provided_field
from gateway.supergraph import load_supergraph
from gateway.types import SubgraphName
from tests.gateway.harness import supergraph_sdl

A, B, C = SubgraphName("a"), SubgraphName("b"), SubgraphName("c")

SDL = supergraph_sdl(
    """
    type Query @join__type(graph: A) @join__type(graph: B) @join__type(graph: C) {
      accounts: [Account] @join__field(graph: A)
    }

    interface Account @join__type(graph: A, key: "id") @join__type(graph: C, key: "id", isInterfaceObject: true) {
      id: ID!
      score: Int @join__field(graph: C)
    }

    type User implements Account
      @join__type(graph: A, key: "id")
      @join__type(graph: B, key: "id")
      @join__type(graph: B, key: "email", resolvable: false)
      @join__implements(graph: A, interface: "Account")
    {
      id: ID!
      email: String @join__field(graph: A) @join__field(graph: B, external: true)
      name: String @join__field(graph: A, override: "b") @join__field(graph: B, usedOverridden: true)
      score: Int @join__field
    }

    type Bot implements Account @join__type(graph: A, key: "id") @join__implements(graph: A, interface: "Account") {
      id: ID!
      score: Int @join__field
    }

    union Actor @join__type(graph: A) @join__unionMember(graph: A, member: "User") = User | Bot
    """,
    "a",
    "b",
    "c",
)


def test_runtime_types_per_subgraph() -> None:
    graph = build_query_graph(load_supergraph(SDL))
    assert graph.runtime_types(A, "Account") == ("Bot", "User")
    assert graph.runtime_types(C, "Account") == ("Account",)
    assert graph.runtime_types(A, "Actor") == ("User",)
    assert graph.is_abstract_in(A, "Account")
    assert not graph.is_abstract_in(C, "Account")
    assert graph.field_type("Query", "accounts") == ("Account", 1)


def test_field_resolution_honours_external_provides_override_and_keys() -> None:
    graph = build_query_graph(load_supergraph(SDL))
    assert graph.field_join(B, "User", "email") is None
    assert graph.field_join(B, "User", "email", (NField("email"),)) is not None
    assert graph.field_join(B, "User", "name") is None
    assert graph.field_join(A, "User", "name") is not None
    assert graph.field_join(A, "User", "score") is None
    assert graph.field_join(C, "Account", "score") is not None
    assert graph.abstract_field_resolvable(A, "Account", "id", None)
    assert not graph.abstract_field_resolvable(A, "Account", "score", None)


def test_entity_targets_include_interface_objects() -> None:
    graph = build_query_graph(load_supergraph(SDL))
    targets = graph.entity_targets("User")
    assert [(t.graph, t.type_name, t.rewrite_typename) for t in targets] == [
        ("a", "User", False),
        ("b", "User", False),
        ("c", "Account", True),
    ]
    assert targets[1] == EntityTarget(B, "User", ((NField("id"),),))
    assert graph.is_entity("User")
    assert graph.key_fields_in(B, "User") == {"id", "email"}


def test_provided_selections_narrow_by_type() -> None:
    graph = build_query_graph(load_supergraph(SDL))
    provided = graph.field_set("Account", "id ... on User { email }")
    assert provided_field(provided, "User", "email", graph) == NField("email")
    assert provided_field(provided, "Bot", "email", graph) is None
    assert narrow(provided, "Bot", graph) == (NField("id"),)
    assert graph.can_resolve_locally(B, "User", (NField("email"),), narrow(provided, "User", graph))
