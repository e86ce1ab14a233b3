from __future__ import annotations

from gateway.execution import build_entity_batch, type_matcher
from gateway.execution.representations import apply_rewrites
from gateway.planner.plan import KeyRenamer, RequiresField, RequiresInlineFragment, ValueSetter
from gateway.types import JSONObject

MATCHES = type_matcher({"Node": frozenset({"Product", "Book"})})
REQUIRES = (
    RequiresInlineFragment(
        "Product",
        (
            RequiresField("__typename"),
            RequiresField("upc"),
            RequiresField("dimensions", (RequiresField("size"), RequiresField("weight"))),
        ),
    ),
    RequiresInlineFragment("Book", (RequiresField("__typename"), RequiresField("isbn"))),
)


def test_only_required_fields_are_selected_by_typename() -> None:
    product: JSONObject = {
        "__typename": "Product",
        "upc": "1",
        "name": "Table",
        "dimensions": {"size": "L", "weight": 2, "color": "red"},
    }
    book: JSONObject = {"__typename": "Book", "isbn": "978", "upc": "ignored"}
    batch = build_entity_batch([product, book], REQUIRES, (), MATCHES)
    assert batch.representations == [
        {"__typename": "Product", "upc": "1", "dimensions": {"size": "L", "weight": 2}},
        {"__typename": "Book", "isbn": "978"},
    ]


def test_aliased_fields_are_read_by_response_key_and_sent_by_name() -> None:
    requires = (RequiresField("__typename"), RequiresField("id", alias="key_id"))
    batch = build_entity_batch([{"__typename": "T", "key_id": 7}], requires, (), MATCHES)
    assert batch.representations == [{"__typename": "T", "id": 7}]


def test_nested_lists_in_requires_are_mapped() -> None:
    requires = (RequiresField("__typename"), RequiresField("tags", (RequiresField("k"),)))
    obj: JSONObject = {"__typename": "T", "tags": [{"k": 1, "x": 0}, None]}
    batch = build_entity_batch([obj], requires, (), MATCHES)
    assert batch.representations == [{"__typename": "T", "tags": [{"k": 1}, None]}]


def test_duplicates_collapse_and_remember_their_origins() -> None:
    a: JSONObject = {"__typename": "Book", "isbn": "1"}
    b: JSONObject = {"__typename": "Book", "isbn": "1", "title": "x"}
    batch = build_entity_batch([a, b], REQUIRES, (), MATCHES)
    assert len(batch.representations) == 1
    assert batch.origins[0] == [a, b]
    assert batch.origins[0][1] is b


def test_input_rewrites_set_values_by_type_condition() -> None:
    rewrites = (ValueSetter(("... on Book", "__typename"), "Node"),)
    obj: JSONObject = {"__typename": "Book", "isbn": "1"}
    batch = build_entity_batch([obj], REQUIRES, rewrites, MATCHES)
    assert batch.representations == [{"__typename": "Node", "isbn": "1"}]
    assert obj["__typename"] == "Book"


def test_key_renamer_renames_inside_lists() -> None:
    value: JSONObject = {"__typename": "Product", "items": [{"a": 1}, {"b": 2}]}
    apply_rewrites(value, (KeyRenamer(("... on Node", "items", "a"), "alias_a"),), MATCHES)
    assert value["items"] == [{"alias_a": 1}, {"b": 2}]
    apply_rewrites(value, (KeyRenamer(("... on Other", "items"), "zzz"),), MATCHES)
    assert "items" in value


FLAT = (
    RequiresInlineFragment("Node", (RequiresField("__typename"), RequiresField("id"))),
    RequiresInlineFragment("Book", (RequiresField("isbn"),)),
)


def test_flat_requires_fast_path_matches_abstract_conditions() -> None:
    targets: list[JSONObject] = [
        {"__typename": "Book", "id": "b", "isbn": "9", "title": "x"},
        {"__typename": "Product", "id": "p"},
        {"__typename": "Other", "id": "o"},
        {"__typename": "Book", "id": "b2"},
        {"__typename": ["weird"], "id": "w"},
        {"__typename": "Book", "id": "b", "isbn": "9"},
    ]
    batch = build_entity_batch(targets, FLAT, (), MATCHES)
    assert batch.representations == [
        {"__typename": "Book", "id": "b", "isbn": "9"},
        {"__typename": "Product", "id": "p"},
    ]
    assert len(batch.origins[0]) == 2


def test_flat_requires_with_unhashable_values_still_dedupe() -> None:
    requires = (RequiresField("__typename"), RequiresField("ids"))
    targets: list[JSONObject] = [
        {"__typename": "T", "ids": [1, 2]},
        {"__typename": "T", "ids": [1, 2]},
        {"__typename": "T", "ids": [3]},
    ]
    batch = build_entity_batch(targets, requires, (), MATCHES)
    assert batch.representations == [{"__typename": "T", "ids": [1, 2]}, {"__typename": "T", "ids": [3]}]
