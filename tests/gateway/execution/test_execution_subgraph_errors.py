from __future__ import annotations

from gateway.errors import SubgraphUnavailable
from gateway.execution.subgraph_errors import (
    MAX_FAILED_FETCH_ERRORS,
    entity_errors,
    failed_fetch_errors,
    root_errors,
    root_response_keys,
    upstream_error_to_json,
)
from gateway.types import JSONObject


def test_root_errors_get_the_prefix_and_service_name() -> None:
    errors = [{"message": "Bad.", "path": ["me", "name"], "extensions": {"code": "FORBIDDEN"}}, "oops"]
    assert root_errors(errors, "accounts", ["a", 0]) == [
        {
            "message": "Bad.",
            "path": ["a", 0, "me", "name"],
            "extensions": {"code": "FORBIDDEN", "serviceName": "accounts"},
        },
        {"message": "oops", "extensions": {"code": "DOWNSTREAM_SERVICE_ERROR", "serviceName": "accounts"}},
    ]
    assert root_errors(None, "accounts", []) == []


def test_entity_errors_fan_out_to_every_origin() -> None:
    a: JSONObject = {}
    b: JSONObject = {}
    gone: JSONObject = {}
    origins = [[a, b, gone]]
    paths: dict[int, list[list[str | int]]] = {id(a): [["x", 0]], id(b): [["x", 2]]}
    errors = [
        {"message": "Gone.", "path": ["_entities", 0, "price"]},
        {"message": "Out of range.", "path": ["_entities", 5]},
        {"message": "No path."},
    ]
    rendered = entity_errors(errors, "inventory", origins, lambda obj: paths.get(id(obj), []))
    # ``gone`` left the response: no error for it; out of range and pathless errors stay pathless.
    assert [e.get("path") for e in rendered] == [["x", 0, "price"], ["x", 2, "price"], None, None]
    assert entity_errors("nope", "inventory", origins, lambda obj: []) == []


def test_an_origin_shared_by_several_positions_gets_the_error_at_each_once() -> None:
    shared: JSONObject = {}
    origins = [[shared, shared]]  # collected once per position it sits at
    rendered = entity_errors(
        [{"message": "Bad.", "path": ["_entities", 0, "stars"]}],
        "reviews",
        origins,
        lambda obj: [["r", 5, "reviews", 0], ["r", 10, "reviews", 0]],
    )
    assert [e["path"] for e in rendered] == [
        ["r", 5, "reviews", 0, "stars"],
        ["r", 10, "reviews", 0, "stars"],
    ]


def test_a_failed_fetch_reports_each_response_path_and_folds_the_tail() -> None:
    exc = SubgraphUnavailable("Subgraph 'a' is down.", service_name="a")
    assert [e.get("path") for e in failed_fetch_errors(exc, [])] == [None]
    paths: list[list[str | int]] = [["t", i, "author"] for i in range(MAX_FAILED_FETCH_ERRORS + 5)]
    rendered = failed_fetch_errors(exc, [*paths, ["t", 0, "author"]])
    assert len(rendered) == MAX_FAILED_FETCH_ERRORS
    assert rendered[0]["path"] == ["t", 0, "author"]
    assert rendered[-1]["path"] == ["t"]  # the rest share their common prefix
    assert {e["extensions"]["code"] for e in rendered} == {"SUBGRAPH_UNAVAILABLE"}


def test_root_response_keys_are_the_root_fields_of_the_operation() -> None:
    operation = "query($a:Boolean!){x:products{id} __typename ...@skip(if:$a){insurers{id}}}"
    assert root_response_keys(operation) == ("x", "insurers")


def test_upstream_errors_may_carry_a_path() -> None:
    exc = SubgraphUnavailable("Subgraph 'a' is down.", service_name="a")
    assert upstream_error_to_json(exc, ["x"])["path"] == ["x"]
    assert "path" not in upstream_error_to_json(exc)
