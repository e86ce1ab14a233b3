"""Tests for the mutable selection algebra of fetch groups."""

from __future__ import annotations

from gateway.planner.operation import Condition, NField, NFragment
from gateway.planner.plan import RequiresField, RequiresInlineFragment
from gateway.planner.selection import SelectionNode, requires_from_node


def test_fields_merge_by_response_key_and_print_compactly() -> None:
    node = SelectionNode()
    entry = node.add_field(NField("product", arguments=(("id", '"1"'),)), composite=True)
    assert entry.sub is not None
    entry.sub.add_typename()
    entry.sub.add_field(NField("name", alias="title"), composite=False)
    node.add_field(NField("product", arguments=(("id", '"1"'),)), composite=True)
    node.fragment("Book", (Condition("v", False),)).add_field(NField("pages"), composite=False)
    node.fragment("Empty")
    assert node.print() == '{product(id:"1"){__typename title:name} ...on Book@skip(if:$v){pages}}'
    assert node.variables() == {"v"}


def test_empty_composite_selection_prints_typename() -> None:
    node = SelectionNode()
    node.add_field(NField("product"), composite=True)
    assert node.print() == "{product{__typename}}"


def test_internal_field_clashing_with_a_client_alias_is_aliased() -> None:
    node = SelectionNode()
    node.add_field(NField("name", alias="upc"), composite=False)
    effective = node.add_selections((NField("upc"), NField("name", alias="upc")))
    assert effective == (NField("upc", alias="upc__fed0"), NField("name", alias="upc"))
    assert node.print() == "{upc:name upc__fed0:upc}"


def test_merge_and_emptiness() -> None:
    first, second = SelectionNode(), SelectionNode()
    first.add_selections((NField("a", selections=(NField("b"),)),))
    second.add_selections((NField("a", selections=(NField("c"),)), NFragment("T", (), (NField("d"),))))
    first.merge(second)
    assert first.print() == "{a{b c} ...on T{d}}"
    assert not first.is_empty()
    assert SelectionNode().is_empty()


def test_requires_from_node_keeps_aliases() -> None:
    node = SelectionNode()
    node.fragment("Product").add_selections(
        (NField("__typename"), NField("price", alias="price__req", arguments=(("c", '"USD"'),)))
    )
    assert requires_from_node(node) == (
        RequiresInlineFragment(
            "Product", (RequiresField("__typename"), RequiresField("price", alias="price__req"))
        ),
    )
