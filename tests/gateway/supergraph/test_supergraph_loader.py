"""Tests for ``load_supergraph``: subgraphs, ownership records, link renames and errors."""

from __future__ import annotations

import pytest

import gateway.supergraph as supergraph_package
from gateway.supergraph import FieldJoin, SubgraphInfo, SupergraphError, TypeJoin, load_supergraph
from gateway.types import SubgraphName
from tests.gateway.harness import supergraph_sdl

SDL = supergraph_sdl(
    """
    type Query @join__type(graph: A) @join__type(graph: B) {
      product(id: ID!): Product @join__field(graph: A)
    }

    type Product
      @join__type(graph: A, key: "id")
      @join__type(graph: B, key: "id sku", resolvable: false)
      @join__type(graph: B, key: "id")
    {
      id: ID!
      sku: String @join__field(graph: A) @join__field(graph: B, external: true)
      price: Int @join__field(graph: B, requires: "sku", override: "a")
      old: Int @join__field(graph: A, usedOverridden: true) @join__field(graph: B, override: "a")
    }

    interface Node @join__type(graph: A, key: "id") @join__type(graph: B, key: "id", isInterfaceObject: true) {
      id: ID!
    }

    type Thing implements Node @join__type(graph: A, key: "id") @join__implements(graph: A, interface: "Node") {
      id: ID!
    }

    union Any @join__type(graph: A) @join__unionMember(graph: A, member: "Thing") = Thing

    enum Color @join__type(graph: A) @join__type(graph: B) {
      RED @join__enumValue(graph: A) @join__enumValue(graph: B)
      BLUE @join__enumValue(graph: A)
    }
    """,
    "a",
    "b",
)


def test_subgraphs_are_read_from_the_join_graph_enum() -> None:
    supergraph = load_supergraph(SDL)
    assert supergraph.subgraphs == {
        "a": SubgraphInfo(SubgraphName("a"), "http://a.svc/graphql", "A"),
        "b": SubgraphInfo(SubgraphName("b"), "http://b.svc/graphql", "B"),
    }


def test_type_joins_and_keys() -> None:
    product = load_supergraph(SDL).types["Product"]
    assert product.graphs == {"a", "b"}
    assert [k.fields for k in product.keys(SubgraphName("b"))] == ["id sku", "id"]
    assert [k.resolvable for k in product.keys(SubgraphName("b"))] == [False, True]
    node = load_supergraph(SDL).types["Node"]
    assert node.is_interface_object(SubgraphName("b"))
    assert not node.is_interface_object(SubgraphName("a"))
    assert TypeJoin(SubgraphName("a"), key="id") in node.joins


def test_field_joins_with_all_arguments() -> None:
    supergraph = load_supergraph(SDL)
    assert supergraph.field_join("Product", "price", SubgraphName("b")) == FieldJoin(
        SubgraphName("b"), requires="sku", override="a"
    )
    assert supergraph.field_join("Product", "sku", SubgraphName("b")) == FieldJoin(
        SubgraphName("b"), external=True
    )
    old = supergraph.field_join("Product", "old", SubgraphName("a"))
    assert old is not None
    assert old.used_overridden


def test_field_without_join_field_exists_wherever_its_type_does() -> None:
    supergraph = load_supergraph(SDL)
    assert [j.graph for j in supergraph.field_joins("Product", "id")] == ["a", "b"]
    assert supergraph.field_joins("Product", "missing") == ()
    assert supergraph.field_joins("Missing", "id") == ()


def test_implements_union_members_and_enum_values() -> None:
    supergraph = load_supergraph(SDL)
    assert supergraph.types["Thing"].implements == (("a", "Node"),)
    assert supergraph.types["Any"].union_members == (("a", "Thing"),)
    assert supergraph.types["Color"].enum_values == {"RED": ("a", "b"), "BLUE": ("a",)}


def test_snapshot_is_immutable_and_identified_by_its_sdl() -> None:
    first, second = load_supergraph(SDL), load_supergraph(SDL)
    assert first.id == second.id
    assert len(first.id) == 64
    with pytest.raises(TypeError):
        first.subgraphs["c"] = first.subgraphs["a"]  # type: ignore[index]
    assert first.root_types == {"query": "Query"}


def test_join_spec_imported_under_another_name() -> None:
    renamed = SDL.replace('join/v0.3", for: EXECUTION', 'join/v0.3", as: "j", for: EXECUTION').replace(
        "join__", "j__"
    )
    supergraph = load_supergraph(renamed)
    assert set(supergraph.subgraphs) == {"a", "b"}
    assert supergraph.types["Product"].keys(SubgraphName("a"))[0].fields == "id"
    assert "j__Graph" not in supergraph.api_schema.type_map


@pytest.mark.parametrize(
    ("sdl", "reason"),
    [
        ("type Query {", "SUPERGRAPH_PARSE_ERROR"),
        ("type Query { a: Int }", "SUPERGRAPH_MISSING_JOIN_SPEC"),
        (SDL.replace("enum join__Graph", "enum other__Graph"), "SUPERGRAPH_INVALID_GRAPH"),
        (
            SDL.replace("@join__type(graph: A) @join__type(graph: B) {", "@join__type(graph: Z) {"),
            "SUPERGRAPH_INVALID_GRAPH",
        ),
        (
            SDL.replace(' @join__graph(name: "b", url: "http://b.svc/graphql")', ""),
            "SUPERGRAPH_INVALID_GRAPH",
        ),
    ],
)
def test_bad_supergraphs_get_a_clear_error(sdl: str, reason: str) -> None:
    with pytest.raises(SupergraphError) as caught:
        load_supergraph(sdl)
    assert caught.value.reason == reason
    assert caught.value.message.endswith(".")


def test_public_api_is_sorted_and_complete() -> None:
    exported = supergraph_package.__all__
    assert exported == sorted(exported)
    for name in exported:
        assert hasattr(supergraph_package, name)


def test_join_v05_and_core_v01_supergraphs_load() -> None:
    v05 = (
        SDL.replace("join/v0.3", "join/v0.5")
        .replace(
            "directive @link(",
            "directive @join__directive(graphs: [join__Graph!], name: String!, args: join__DirectiveArguments) "
            "repeatable on SCHEMA | OBJECT | INTERFACE | FIELD_DEFINITION\n"
            "scalar join__DirectiveArguments\ndirective @link(",
        )
        .replace(
            'price: Int @join__field(graph: B, requires: "sku", override: "a")',
            'price: Int @join__field(graph: B, requires: "sku", override: "a", overrideLabel: "percent(5)") '
            '@join__directive(graphs: [B], name: "cost", args: {weight: 2})',
        )
    )
    supergraph = load_supergraph(v05)
    price = supergraph.field_join("Product", "price", SubgraphName("b"))
    assert price is not None
    assert price.override_label == "percent(5)"
    core = """
    schema @core(feature: "https://specs.apollo.dev/core/v0.1") @core(feature: "https://specs.apollo.dev/join/v0.1") {
      query: Query
    }
    directive @core(feature: String!) repeatable on SCHEMA
    directive @join__owner(graph: join__Graph!) on OBJECT | INTERFACE
    directive @join__type(graph: join__Graph!, key: String) repeatable on OBJECT | INTERFACE
    directive @join__field(graph: join__Graph, requires: String, provides: String) on FIELD_DEFINITION
    directive @join__graph(name: String!, url: String!) on ENUM_VALUE
    enum join__Graph { ONE @join__graph(name: "one", url: "http://one") }
    type Query { hello: String @join__field(graph: ONE) }
    """
    legacy = load_supergraph(core)
    assert set(legacy.subgraphs) == {"one"}
    assert legacy.features.join_version == "v0.1"
    assert legacy.types["Query"].graphs == {"one"}
