"""Each known Hive Gateway difference recognises its own shape, and nothing else."""

from __future__ import annotations

from typing import Any

from bench.differential.generator import GeneratedOperation
from bench.differential.known import KNOWN_DIFFERENCES, Context, KnownDifference
from bench.differential.worlds import media_world
from gateway.supergraph import load_supergraph

BY_NAME = {known.name: known for known in KNOWN_DIFFERENCES}
SCHEMA = load_supergraph(media_world().supergraph_sdl).api_schema
OPERATION = GeneratedOperation(
    "query Q($v: Boolean!) { person(id: 1) { born @include(if: $v) born } }", {"v": False}, 1
)


async def _explains(known: KnownDifference, ours: Any, hive: Any, again: Any = None) -> bool:
    asked: list[str] = []

    async def ask(document: str, variables: dict[str, Any]) -> Any:
        asked.append(document)
        return again

    return await known.explains(OPERATION, ours, hive, Context(ask, SCHEMA))


async def test_conditions_are_explained_only_when_the_rewrite_gives_our_answer() -> None:
    known = BY_NAME["conditions"]
    ours = {"data": {"person": {"born": 1915}}}
    hive = {"data": {"person": {"born": None}}}
    assert await _explains(known, ours, hive, again=ours)
    assert not await _explains(known, ours, hive, again=hive)
    assert not await _explains(known, ours, hive, again={"data": {"person": {"born": 1}}})


async def test_fragments_that_never_apply_are_explained_by_the_pruned_rewrite() -> None:
    known = BY_NAME["fragments on abstract types"]
    ours = {"data": {"person": {"born": 1915}}}
    hive = {"data": {"person": None}}
    assert await _explains(known, ours, hive, again=ours)
    assert not await _explains(known, ours, hive, again=hive)


async def test_error_paths_that_name_no_null_are_hive_s() -> None:
    known = BY_NAME["error path at the wrong position"]
    data = {"a": [{"b": 1}, {"b": None}]}
    ours = {"data": data, "errors": [{"message": "x", "path": ["a", 1, "b"]}]}
    assert await _explains(known, ours, {"data": data, "errors": [{"message": "x", "path": ["a", 0, "b"]}]})
    assert await _explains(known, ours, {"data": data, "errors": [{"message": "x", "path": ["a", "b"]}]})
    # Ours wrong (an error on a non-null value): not Hive's defect.
    wrong = {"data": data, "errors": [{"message": "x", "path": ["a", 0, "b"]}]}
    assert not await _explains(known, wrong, ours)
    # A correct error Hive reports that ours lacks: not explained either.
    both = {
        "data": data,
        "errors": [{"message": "x", "path": ["a", 1, "b"]}, {"message": "y", "path": ["a", "b"]}],
    }
    assert not await _explains(known, {"data": data}, both)
    # One path for the errors of two items.
    two = {"a": [{"b": None}, {"b": None}]}
    mine = {
        "data": two,
        "errors": [{"message": "x", "path": ["a", 0, "b"]}, {"message": "x", "path": ["a", 1, "b"]}],
    }
    theirs = {
        "data": two,
        "errors": [{"message": "x", "path": ["a", 0, "b"]}, {"message": "x", "path": ["a", 0, "b"]}],
    }
    assert await _explains(known, mine, theirs)


async def test_a_validation_error_from_a_subgraph_is_an_invalid_subgraph_operation() -> None:
    known = BY_NAME["invalid subgraph operation"]
    rejected = {
        "data": None,
        "errors": [{"message": "Unknown fragment '_v0__Movie_Fragment1'.", "path": ["a"]}],
    }
    assert await _explains(known, {"data": {"a": 1}}, rejected)
    assert not await _explains(known, {"data": {"a": 1}}, {"data": None, "errors": [{"message": "boom"}]})


async def test_null_where_ours_has_an_empty_object() -> None:
    known = BY_NAME["empty selection answered null"]
    ours = {"data": {"m": [{"director": {}}, {"director": None}]}}
    assert await _explains(known, ours, {"data": {"m": [{"director": None}, {"director": None}]}})
    assert await _explains(known, {"data": {"m": [{"cast": [{}]}]}}, {"data": None})
    assert not await _explains(known, ours, {"data": {"m": [{"director": {"id": 1}}, {"director": None}]}})
    assert not await _explains(known, {"data": {"m": [{"x": 1}]}}, {"data": {"m": [{"x": None}]}})
