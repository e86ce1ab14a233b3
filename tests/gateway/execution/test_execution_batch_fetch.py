"""Tests for running a ``BatchFetchNode``: entities at several paths in one subgraph request."""

from __future__ import annotations

from gateway.execution import MockTransport, SubgraphRequest, execute_plan
from gateway.planner.plan import (
    BatchFetchNode,
    EntityCall,
    FetchNode,
    KeyRenamer,
    QueryPlan,
    RequiresField,
    RequiresInlineFragment,
    SequenceNode,
)
from gateway.types import JSONObject, SubgraphName

_USER_KEY = (RequiresInlineFragment("User", (RequiresField("__typename"), RequiresField("id"))),)
_ROOT = FetchNode(
    SubgraphName("posts"),
    "{author{__typename id} posts{__typename id author{__typename id}}}",
)
_BATCH = BatchFetchNode(
    SubgraphName("accounts"),
    "query($representations0:[_Any!]!,$representations1:[_Any!]!)"
    "{_e0:_entities(representations:$representations0){...on User{name}} "
    "_e1:_entities(representations:$representations1){...on User{nick:name}}}",
    (
        EntityCall("_e0", "representations0", (("author",), ("posts", "@", "author")), _USER_KEY),
        EntityCall(
            "_e1",
            "representations1",
            (("posts", "@"),),
            (RequiresInlineFragment("User", (RequiresField("__typename"), RequiresField("id"))),),
            output_rewrites=(KeyRenamer(("nick",), "name"),),
        ),
    ),
)
PLAN = QueryPlan(SequenceNode((_ROOT, _BATCH)))
NAMES = {"u1": "ada", "u2": "bob"}


def _handler(errors: list[JSONObject] | None = None) -> MockTransport:
    def handle(request: SubgraphRequest) -> JSONObject:
        if request.service_name == "posts":
            return {
                "data": {
                    "author": {"__typename": "User", "id": "u1"},
                    "posts": [
                        {"__typename": "Post", "id": "p1", "author": {"__typename": "User", "id": "u1"}},
                        {"__typename": "Post", "id": "p2", "author": {"__typename": "User", "id": "u2"}},
                    ],
                }
            }
        first = [{"name": NAMES[r["id"]]} for r in request.variables["representations0"]]
        second = [{"nick": "never"} for _ in request.variables["representations1"]]
        payload: JSONObject = {"data": {"_e0": first, "_e1": second}}
        if errors:
            payload["errors"] = errors
        return payload

    return MockTransport(handle)


async def test_one_request_with_representations_deduplicated_across_paths() -> None:
    transport = _handler()
    outcome = await execute_plan(PLAN, transport=transport)
    assert [r.service_name for r in transport.requests] == ["posts", "accounts"]
    batch_request = transport.requests[1]
    assert batch_request.variables["representations0"] == [
        {"__typename": "User", "id": "u1"},
        {"__typename": "User", "id": "u2"},
    ]
    # Posts are not users: the second call has nothing to resolve (an empty list is sent).
    assert batch_request.variables["representations1"] == []
    assert outcome.errors == []
    assert outcome.data["author"]["name"] == "ada"
    assert [p["author"]["name"] for p in outcome.data["posts"]] == ["ada", "bob"]


async def test_errors_are_repathed_per_aliased_call_and_reported_once() -> None:
    errors: list[JSONObject] = [
        {"message": "No name for u1.", "path": ["_e0", 0, "name"]},
        {"message": "Accounts is slow."},
    ]
    outcome = await execute_plan(PLAN, transport=_handler(errors))
    assert [(e["message"], e.get("path")) for e in outcome.errors] == [
        ("No name for u1.", ["author", "name"]),
        ("No name for u1.", ["posts", 0, "author", "name"]),
        ("Accounts is slow.", None),
    ]
    assert {e["extensions"]["serviceName"] for e in outcome.errors} == {"accounts"}


async def test_no_request_when_no_path_has_objects() -> None:
    requests: list[SubgraphRequest] = []

    def handle(request: SubgraphRequest) -> JSONObject:
        requests.append(request)
        return {"data": {"author": None, "posts": []}}

    outcome = await execute_plan(PLAN, transport=MockTransport(handle))
    assert [r.service_name for r in requests] == ["posts"]
    assert outcome.data == {"author": None, "posts": []}


async def test_a_wrong_entity_count_is_a_downstream_error() -> None:
    def handle(request: SubgraphRequest) -> JSONObject:
        if request.service_name == "posts":
            return {"data": {"author": {"__typename": "User", "id": "u1"}, "posts": []}}
        return {"data": {"_e0": [], "_e1": []}}

    outcome = await execute_plan(PLAN, transport=MockTransport(handle))
    assert "returned 0 entities for 1 representations" in outcome.errors[0]["message"]
