"""Tests for ``normalize_operation`` and ``parse_field_set``."""

from __future__ import annotations

import pytest
from graphql import build_schema, parse

from gateway.planner.errors import InvalidOperationError
from gateway.planner.operation import Condition, NField, NFragment, normalize_operation, parse_field_set

SCHEMA = build_schema(
    """
    type Query { product(id: ID!): Product  node: Node  products(first: Int = 5): [Product] }
    interface Node { id: ID! }
    type Product implements Node { id: ID!  name: String  price(currency: String): Int  related: [Product] }
    type Mutation { touch: Int }
    """
)


def _normalize(query: str, name: str | None = None) -> tuple[object, ...]:
    return normalize_operation(SCHEMA, parse(query), name).selections


def test_named_fragments_are_inlined_and_same_type_fragments_flattened() -> None:
    selections = _normalize(
        "query { product(id: 1) { ...P ... on Product { price } } } fragment P on Product { name }"
    )
    assert selections == (
        NField("product", arguments=(("id", "1"),), selections=(NField("name"), NField("price"))),
    )


def test_fields_with_same_response_key_are_merged() -> None:
    selections = _normalize("{ product(id: 1) { related { id } } product(id: 1) { related { name } } }")
    (product,) = selections
    assert isinstance(product, NField)
    assert product.selections == (NField("related", selections=(NField("id"), NField("name"))),)


def test_aliases_and_arguments_are_kept() -> None:
    (field,) = _normalize('{ p: product(id: "x") { eur: price(currency: "EUR") } }')
    assert isinstance(field, NField)
    assert field.response_key == "p"
    assert field.selections == (NField("price", alias="eur", arguments=(("currency", '"EUR"'),)),)


def test_constant_conditions_are_folded_and_variable_ones_kept() -> None:
    selections = _normalize(
        "query ($v: Boolean!) { product(id: 1) { id @skip(if: true) name @include(if: false) "
        "price @include(if: $v) related @skip(if: $v) @include(if: true) { id } } }"
    )
    (product,) = selections
    assert isinstance(product, NField)
    assert product.selections == (
        NField("price", conditions=(Condition("v", True),)),
        NField("related", conditions=(Condition("v", False),), selections=(NField("id"),)),
    )
    assert Condition("v", True).printed() == "@include(if:$v)"


def test_fragment_on_an_abstract_type_keeps_its_condition() -> None:
    (node,) = _normalize("{ node { id ... on Product { name } } }")
    assert isinstance(node, NField)
    assert node.selections == (NField("id"), NFragment("Product", (), (NField("name"),)))


def test_variables_and_definitions_are_collected() -> None:
    operation = normalize_operation(
        SCHEMA, parse("query Q($n: Int = 3, $id: ID!) { products(first: $n) { id } product(id: $id) { id } }")
    )
    assert operation.name == "Q"
    assert operation.kind == "query"
    assert operation.variable_definitions == {"n": "Int=3", "id": "ID!"}
    first = operation.selections[0]
    assert isinstance(first, NField)
    assert first.variables == {"n"}


def test_introspection_fields_are_not_planned() -> None:
    assert _normalize("{ __schema { queryType { name } } __typename }") == (NField("__typename"),)


def test_operation_selection_errors() -> None:
    document = "query A { node { id } } query B { node { id } }"
    assert normalize_operation(SCHEMA, parse(document), "B").name == "B"
    with pytest.raises(InvalidOperationError, match="exactly one operation"):
        normalize_operation(SCHEMA, parse(document))
    with pytest.raises(InvalidOperationError, match="'C'"):
        normalize_operation(SCHEMA, parse(document), "C")
    with pytest.raises(InvalidOperationError, match="does not support subscription"):
        normalize_operation(SCHEMA, parse("subscription { x }"))
    with pytest.raises(InvalidOperationError, match="Unknown fragment 'F'"):
        normalize_operation(SCHEMA, parse("{ node { ...F } }"))
    with pytest.raises(InvalidOperationError, match="Cannot query field 'nope'"):
        normalize_operation(SCHEMA, parse("{ nope { id } }"))


def test_parse_field_set() -> None:
    assert parse_field_set(SCHEMA, "Product", 'id related { price(currency: "USD") }') == (
        NField("id"),
        NField("related", selections=(NField("price", arguments=(("currency", '"USD"'),)),)),
    )
    with pytest.raises(InvalidOperationError, match="does not parse"):
        parse_field_set(SCHEMA, "Product", "id {")
