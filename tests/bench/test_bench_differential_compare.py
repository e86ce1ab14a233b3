"""``canonical`` keeps what correct servers must share; ``classify`` names the first difference."""

from __future__ import annotations

from bench.differential.compare import canonical, classify


def test_messages_locations_and_extensions_do_not_count() -> None:
    first = {"data": {"a": None}, "errors": [{"message": "x", "path": ["a"], "locations": [{"line": 1}]}]}
    second = {"data": {"a": None}, "errors": [{"message": "y", "path": ["a"], "extensions": {"code": "Z"}}]}
    assert classify(canonical(first), canonical(second)).identical


def test_errors_below_a_nulled_position_do_not_count() -> None:
    # graphql-js stops completing a list at its first failed item; a gateway reports them all.
    first = {"data": None, "errors": [{"message": "x", "path": ["media", 7, "cast", 0, "name"]}]}
    second = {
        "data": None,
        "errors": [
            {"message": "x", "path": ["media", 7, "cast", 0, "name"]},
            {"message": "x", "path": ["media", 8, "cast", 0, "name"]},
        ],
    }
    assert classify(canonical(first), canonical(second)).identical


def test_data_key_order_counts() -> None:
    assert (
        classify(canonical({"data": {"a": 1, "b": 2}}), canonical({"data": {"b": 2, "a": 1}})).kind == "data"
    )


def test_error_paths_and_pathless_errors_count() -> None:
    data = {"a": [{"b": None}, {"b": None}]}
    first = {"data": data, "errors": [{"message": "x", "path": ["a", 0, "b"]}]}
    second = {"data": data, "errors": [{"message": "x", "path": ["a", 1, "b"]}]}
    third = {"data": data, "errors": [{"message": "x", "path": ["a", 0, "b"]}, {"message": "request"}]}
    assert classify(canonical(first), canonical(second)).kind == "error paths"
    assert classify(canonical(first), canonical(third)).kind == "pathless errors"


def test_one_position_named_by_two_errors_counts() -> None:
    data = {"a": [{"b": None}, {"b": None}]}
    once = {
        "data": data,
        "errors": [{"message": "x", "path": ["a", 0, "b"]}, {"message": "x", "path": ["a", 1, "b"]}],
    }
    twice = {
        "data": data,
        "errors": [{"message": "x", "path": ["a", 0, "b"]}, {"message": "x", "path": ["a", 0, "b"]}],
    }
    assert classify(canonical(once), canonical(twice)).kind == "error paths"
    assert canonical(twice).repeated_paths
    assert not canonical(once).repeated_paths
