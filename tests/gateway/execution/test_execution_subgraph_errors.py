from __future__ import annotations

from gateway.errors import SubgraphUnavailable
from gateway.execution.subgraph_errors import entity_errors, root_errors, upstream_error_to_json
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
    paths: dict[int, list[str | int]] = {id(a): ["x", 0], id(b): ["x", 2]}
    errors = [
        {"message": "Gone.", "path": ["_entities", 0, "price"]},
        {"message": "Out of range.", "path": ["_entities", 5]},
        {"message": "No path."},
    ]
    rendered = entity_errors(errors, "inventory", origins, lambda obj: paths.get(id(obj)))
    assert [e.get("path") for e in rendered] == [["x", 0, "price"], ["x", 2, "price"], None, None, None]
    assert entity_errors("nope", "inventory", origins, lambda obj: None) == []


def test_upstream_errors_may_carry_a_path() -> None:
    exc = SubgraphUnavailable("Subgraph 'a' is down.", service_name="a")
    assert upstream_error_to_json(exc, ["x"])["path"] == ["x"]
    assert "path" not in upstream_error_to_json(exc)
