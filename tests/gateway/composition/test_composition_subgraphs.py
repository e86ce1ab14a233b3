"""Reading one subgraph into the normalized model."""

from __future__ import annotations

from gateway.composition import CompositionError, SubgraphSource
from gateway.composition.model import ArgumentInfo, KeyInfo, Subgraph, TypeKind
from gateway.composition.subgraphs import read_subgraph

HEADER = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", '
    'import: ["@key", "@shareable", "@external", "@extends", "@interfaceObject", "@tag", "@inaccessible"])\n'
)


def _read(sdl: str) -> Subgraph:
    subgraph = read_subgraph(SubgraphSource("s", "http://s", HEADER + sdl))
    assert isinstance(subgraph, Subgraph), subgraph
    return subgraph


def test_type_level_shareable_applies_to_its_own_definition_only() -> None:
    subgraph = _read("type Query { v: V }\ntype V @shareable { a: Int }\nextend type V { b: Int }")
    v = subgraph.types["V"]
    assert [(f.name, f.shareable) for f in v.fields] == [("a", True), ("b", False)]
    assert not v.extension


def test_keys_record_resolvable_and_extension() -> None:
    subgraph = _read(
        'type Query { u: U }\ntype U @key(fields: "id") @key(fields: "sku", resolvable: false) { id: ID! sku: ID! }\n'
        'type W @extends @key(fields: "id") { id: ID! @external }'
    )
    assert subgraph.types["U"].keys == (KeyInfo("id"), KeyInfo("sku", resolvable=False))
    assert subgraph.types["W"].keys == (KeyInfo("id", extension=True),)
    assert subgraph.types["W"].extension
    assert subgraph.types["U"].key_field_names() == {"id", "sku"}


def test_details_are_kept() -> None:
    subgraph = _read(
        'type Query { f(a: Int = 1 @tag(name: "t"), b: In): E @deprecated(reason: "old") }\n'
        "enum E { X @inaccessible Y }\ninput In { z: [Int!] = [1] }\n"
        'scalar Date @specifiedBy(url: "https://example.com") @inaccessible\n'
        'type M @key(fields: "id") @interfaceObject { id: ID! }'
    )
    field = subgraph.types["Query"].fields[0]
    assert field.deprecation == "old"
    assert field.arguments[0] == ArgumentInfo("a", "Int", "1", tags=("t",))
    assert [(v.name, v.inaccessible) for v in subgraph.types["E"].values] == [("X", True), ("Y", False)]
    assert subgraph.types["In"].input_fields == (ArgumentInfo("z", "[Int!]", "[1]"),)
    assert subgraph.types["Date"].kind is TypeKind.SCALAR
    assert subgraph.types["Date"].specified_by == "https://example.com"
    assert subgraph.types["Date"].inaccessible
    assert subgraph.types["M"].interface_object


def test_subgraph_without_query_fields_gets_an_empty_query_root() -> None:
    subgraph = _read(
        "schema { query: Query }\ntype Query { _entities(representations: [_Any!]!): [_Entity]! }\n"
        'type U @key(fields: "id") { id: ID! }\nscalar _Any\nunion _Entity = U'
    )
    assert subgraph.root_types == {"query": "Query"}
    assert subgraph.types["Query"].fields == ()
    assert "_Any" not in subgraph.types


def test_federation_directive_definitions_in_the_sdl_are_replaced() -> None:
    subgraph = _read(
        "directive @key(fields: _FieldSet!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE\n"
        "scalar _FieldSet\n"
        'type Query { u: U }\ntype U @key(fields: "id") { id: ID! }'
    )
    assert subgraph.types["U"].keys == (KeyInfo("id"),)


def test_invalid_schema_is_an_error() -> None:
    error = read_subgraph(
        SubgraphSource("s", "http://s", HEADER + "type Query { a: Int }\ntype Query { b: Int }")
    )
    assert isinstance(error, CompositionError)
    assert error.code == "INVALID_GRAPHQL"


def test_plumbing_only_extension_is_dropped_without_losing_the_root() -> None:
    subgraph = _read(
        "schema { query: Query }\ntype Query { a: Int }\nextend type Query { _service: _Service! }\n"
        "type _Service { sdl: String }"
    )
    assert subgraph.root_types == {"query": "Query"}
    assert [f.name for f in subgraph.types["Query"].fields] == ["a"]


def test_plumbing_only_definition_with_a_real_extension_keeps_the_root() -> None:
    subgraph = _read(
        "schema { query: Query }\ntype Query { _service: _Service! }\nextend type Query { a: Int }\n"
        "type _Service { sdl: String }"
    )
    assert subgraph.root_types == {"query": "Query"}
    assert [f.name for f in subgraph.types["Query"].fields] == ["a"]
