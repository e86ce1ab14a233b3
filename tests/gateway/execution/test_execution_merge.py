from __future__ import annotations

from gateway.execution import deep_merge
from gateway.types import JSONObject


def test_objects_merge_recursively_and_lists_item_by_item() -> None:
    target: JSONObject = {"a": {"b": 1}, "l": [{"x": 1}, None], "keep": 1}
    deep_merge(target, {"a": {"c": 2}, "l": [{"y": 2}, {"z": 3}], "new": [1]})
    assert target == {"a": {"b": 1, "c": 2}, "l": [{"x": 1, "y": 2}, {"z": 3}], "keep": 1, "new": [1]}


def test_null_never_overwrites_a_value() -> None:
    target: JSONObject = {"a": {"b": 1}, "l": [1, 2]}
    deep_merge(target, {"a": None, "l": [None, 3]})
    assert target == {"a": {"b": 1}, "l": [1, 3]}


def test_scalars_and_mismatched_lists_are_replaced() -> None:
    target: JSONObject = {"a": 1, "l": [1]}
    deep_merge(target, {"a": 2, "l": [1, 2]})
    assert target == {"a": 2, "l": [1, 2]}
