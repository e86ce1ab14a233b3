from __future__ import annotations

import asyncio

from gateway.execution import MockTransport, SubgraphRequest, Targets, execute_plan, type_matcher
from gateway.planner.plan import (
    ConditionNode,
    FetchNode,
    FlattenNode,
    ParallelNode,
    QueryPlan,
    RequiresField,
    RequiresInlineFragment,
    SequenceNode,
)
from gateway.types import JSONObject, SubgraphName
from tests.gateway.execution.execution_world import ENTITY_OP, TOP_PRODUCTS_PLAN, make_transport


async def test_entity_fetches_are_batched_into_one_request_per_flatten() -> None:
    transport = make_transport()
    outcome = await execute_plan(TOP_PRODUCTS_PLAN, transport=transport)
    assert [r.service_name for r in transport.requests] == ["products", "reviews", "accounts"]
    assert outcome.errors == []
    assert outcome.data["topProducts"][1]["reviews"][1] == {
        "body": "Fine",
        "author": {"__typename": "User", "id": "u2", "username": "bob"},
    }


async def test_identical_representations_are_sent_once_and_merged_everywhere() -> None:
    transport = make_transport()
    outcome = await execute_plan(TOP_PRODUCTS_PLAN, transport=transport)
    reviews_request, accounts_request = transport.requests[1], transport.requests[2]
    # Products 1, 2, 1 -> two unique representations; authors u1, u1, u2, u1 -> two.
    assert reviews_request.variables["representations"] == [
        {"__typename": "Product", "upc": "1"},
        {"__typename": "Product", "upc": "2"},
    ]
    assert accounts_request.variables["representations"] == [
        {"__typename": "User", "id": "u1"},
        {"__typename": "User", "id": "u2"},
    ]
    products = outcome.data["topProducts"]
    assert products[0]["reviews"] == products[2]["reviews"]
    assert products[2]["reviews"][0]["author"]["username"] == "ada"


async def test_only_used_variables_are_forwarded() -> None:
    transport = make_transport()
    await execute_plan(TOP_PRODUCTS_PLAN, transport=transport, variables={"first": 1, "unused": True})
    assert transport.requests[0].variables == {"first": 1}
    assert set(transport.requests[1].variables) == {"representations"}


async def test_a_failing_subgraph_yields_partial_data_and_a_coded_error() -> None:
    transport = make_transport(down={"accounts"})
    outcome = await execute_plan(TOP_PRODUCTS_PLAN, transport=transport)
    assert outcome.data["topProducts"][0]["reviews"][0]["body"] == "Love it"
    assert "username" not in outcome.data["topProducts"][0]["reviews"][0]["author"]
    # One error per object the failed entity fetch was to complete (the spec asks for paths).
    error = {
        "message": "Subgraph 'accounts' could not be reached.",
        "extensions": {"code": "SUBGRAPH_UNAVAILABLE", "serviceName": "accounts"},
    }
    assert outcome.errors == [
        {**error, "path": ["topProducts", 0, "reviews", 0, "author"]},
        {**error, "path": ["topProducts", 2, "reviews", 0, "author"]},
        {**error, "path": ["topProducts", 1, "reviews", 0, "author"]},
        {**error, "path": ["topProducts", 1, "reviews", 1, "author"]},
    ]


async def test_a_failing_root_fetch_leaves_data_empty() -> None:
    outcome = await execute_plan(TOP_PRODUCTS_PLAN, transport=make_transport(down={"products"}))
    assert outcome.data == {}
    assert [(e["extensions"]["code"], e["path"]) for e in outcome.errors] == [
        ("SUBGRAPH_UNAVAILABLE", ["topProducts"])
    ]


async def test_a_subgraph_that_refuses_a_root_fetch_explains_each_missing_field() -> None:
    # e.g. a variable its custom scalar rejects: no data at all, and an error without a path
    refusal = {"message": "Variable '$first' got invalid value.", "extensions": {"code": "BAD_USER_INPUT"}}
    transport = MockTransport(lambda request: {"data": None, "errors": [refusal]})
    outcome = await execute_plan(TOP_PRODUCTS_PLAN, transport=transport)
    assert outcome.errors == [
        {
            "message": "Variable '$first' got invalid value.",
            "path": ["topProducts"],
            "extensions": {"code": "BAD_USER_INPUT", "serviceName": "products"},
        }
    ]


async def test_entity_errors_are_repathed_to_every_object_of_the_representation() -> None:
    def handler(request: SubgraphRequest) -> JSONObject:
        if request.service_name == "products":
            return {
                "data": {"a": {"__typename": "User", "id": "x"}, "b": [{"__typename": "User", "id": "x"}]}
            }
        return {
            "data": {"_entities": [None]},
            "errors": [
                {"message": "No user x.", "path": ["_entities", 0, "name"], "locations": [{"line": 1}]}
            ],
        }

    requires = (RequiresInlineFragment("User", (RequiresField("__typename"), RequiresField("id"))),)
    entity = FetchNode(SubgraphName("accounts"), ENTITY_OP % ("User", "name"), requires=requires)
    plan = QueryPlan(
        SequenceNode(
            (
                FetchNode(SubgraphName("products"), "{a{__typename id} b{__typename id}}"),
                ParallelNode((FlattenNode(("a",), entity), FlattenNode(("b", "@"), entity))),
            )
        )
    )
    outcome = await execute_plan(plan, transport=MockTransport(handler))
    assert [e["path"] for e in outcome.errors] == [["a", "name"], ["b", 0, "name"]]
    assert outcome.errors[0]["extensions"] == {"code": "DOWNSTREAM_SERVICE_ERROR", "serviceName": "accounts"}
    assert "locations" not in outcome.errors[0]


async def test_deduplicated_entity_errors_reach_all_origins() -> None:
    outcome = await execute_plan(
        QueryPlan(
            SequenceNode(
                (
                    FetchNode(SubgraphName("products"), "{x}"),
                    FlattenNode(
                        ("users", "@"),
                        FetchNode(
                            SubgraphName("accounts"),
                            ENTITY_OP % ("User", "username"),
                            requires=(
                                RequiresInlineFragment(
                                    "User", (RequiresField("__typename"), RequiresField("id"))
                                ),
                            ),
                        ),
                    ),
                )
            )
        ),
        transport=MockTransport(
            lambda r: (
                {"data": {"users": [{"__typename": "User", "id": "zz"}, {"__typename": "User", "id": "zz"}]}}
                if r.service_name == "products"
                else {
                    "data": {"_entities": [None]},
                    "errors": [{"message": "User not found.", "path": ["_entities", 0, "username"]}],
                }
            )
        ),
    )
    assert [e["path"] for e in outcome.errors] == [["users", 0, "username"], ["users", 1, "username"]]


async def test_root_fetch_errors_keep_their_client_paths() -> None:
    transport = MockTransport(
        lambda r: {
            "data": {"me": None},
            "errors": [{"message": "Denied.", "path": ["me"], "extensions": {"code": "X"}}],
        }
    )
    outcome = await execute_plan(
        QueryPlan(FetchNode(SubgraphName("accounts"), "{me{id}}")), transport=transport
    )
    assert outcome.data == {"me": None}
    assert outcome.errors == [
        {"message": "Denied.", "path": ["me"], "extensions": {"code": "X", "serviceName": "accounts"}}
    ]


async def test_wrong_entity_count_is_a_downstream_error() -> None:
    def handler(request: SubgraphRequest) -> JSONObject:
        if request.service_name == "products":
            return {"data": {"p": {"__typename": "P", "id": "1"}}}
        return {"data": {"_entities": []}}

    requires = (RequiresInlineFragment("P", (RequiresField("__typename"), RequiresField("id"))),)
    plan = QueryPlan(
        SequenceNode(
            (
                FetchNode(SubgraphName("products"), "{p{__typename id}}"),
                FlattenNode(("p",), FetchNode(SubgraphName("more"), "q", requires=requires)),
            )
        )
    )
    outcome = await execute_plan(plan, transport=MockTransport(handler))
    assert outcome.errors[0]["extensions"]["code"] == "DOWNSTREAM_SERVICE_ERROR"
    assert "0 entities for 1 representations" in outcome.errors[0]["message"]


async def test_parallel_nodes_run_concurrently() -> None:
    started: list[str] = []
    release = asyncio.Event()

    async def handler(request: SubgraphRequest) -> JSONObject:
        started.append(request.service_name)
        if len(started) == 2:
            release.set()
        await asyncio.wait_for(release.wait(), timeout=2)
        return {"data": {request.service_name: 1}}

    plan = QueryPlan(ParallelNode((FetchNode(SubgraphName("a"), "{a}"), FetchNode(SubgraphName("b"), "{b}"))))
    outcome = await execute_plan(plan, transport=MockTransport(handler))
    assert outcome.data == {"a": 1, "b": 1}


async def test_condition_node_picks_the_branch_by_variable() -> None:
    plan = QueryPlan(
        ConditionNode("withB", FetchNode(SubgraphName("b"), "{b}"), FetchNode(SubgraphName("a"), "{a}"))
    )
    transport = MockTransport(lambda r: {"data": {r.service_name: True}})
    assert (await execute_plan(plan, transport=transport, variables={"withB": True})).data == {"b": True}
    assert (await execute_plan(plan, transport=transport, variables={"withB": False})).data == {"a": True}
    empty = QueryPlan(ConditionNode("x", None, None))
    assert (await execute_plan(empty, transport=transport)).data == {}


async def test_a_plan_without_nodes_fetches_nothing() -> None:
    transport = MockTransport(lambda r: {"data": {}})
    outcome = await execute_plan(QueryPlan(None), transport=transport)
    assert outcome == ({}, [])
    assert transport.requests == []


async def test_objects_missing_key_fields_are_not_represented() -> None:
    def handler(request: SubgraphRequest) -> JSONObject:
        if request.service_name == "root":
            return {
                "data": {"items": [{"__typename": "T", "id": "1"}, {"__typename": "T"}, None, {"id": "3"}]}
            }
        return {"data": {"_entities": [{"v": 1} for _ in request.variables["representations"]]}}

    requires = (RequiresInlineFragment("T", (RequiresField("__typename"), RequiresField("id"))),)
    plan = QueryPlan(
        SequenceNode(
            (
                FetchNode(SubgraphName("root"), "{items{__typename id}}"),
                FlattenNode(("items", "@"), FetchNode(SubgraphName("ent"), "q", requires=requires)),
            )
        )
    )
    transport = MockTransport(handler)
    outcome = await execute_plan(plan, transport=transport)
    assert transport.requests[1].variables["representations"] == [{"__typename": "T", "id": "1"}]
    assert outcome.data["items"][0] == {"__typename": "T", "id": "1", "v": 1}


async def test_observer_sees_every_fetch() -> None:
    seen: list[tuple[str, str | None]] = []
    await execute_plan(
        TOP_PRODUCTS_PLAN,
        transport=make_transport(down={"accounts"}),
        observer=lambda name, seconds, code: seen.append((name, code)),
    )
    assert seen == [("products", None), ("reviews", None), ("accounts", "SUBGRAPH_UNAVAILABLE")]


def test_targets_walk_lists_type_conditions_and_nulls() -> None:
    data: JSONObject = {
        "a": [
            {"__typename": "X", "b": [{"c": {"id": 1}}, None]},
            None,
            {"__typename": "Y", "b": [[{"c": {"id": 2}}]]},
        ]
    }
    matches = type_matcher({"XY": frozenset({"X", "Y"})})
    root = Targets([data], matches)
    found = root.flatten(("a", "@", "b", "@", "c"))
    assert [obj["id"] for obj in found.objects] == [1, 2]
    assert [found.paths_of(obj) for obj in found.objects] == [
        [["a", 0, "b", 0, "c"]],
        [["a", 2, "b", 0, 0, "c"]],
    ]
    only_x = root.flatten(("a", "@", "... on X"))
    assert [only_x.paths_of(obj) for obj in only_x.objects] == [[["a", 0]]]
    assert len(root.flatten(("a", "@", "... on XY")).objects) == 2
    assert [obj["id"] for obj in root.flatten(("a", "b", "c")).objects] == [1, 2]
    assert len(root.flatten(("a",)).objects) == 2
    assert root.paths_of(data) == [[]]
    assert found.paths_of({}) == []


def test_an_object_shared_by_two_positions_has_both_paths() -> None:
    shared: JSONObject = {"id": 1}
    data: JSONObject = {"a": [{"b": shared}, {"b": shared}]}
    found = Targets([data], type_matcher({})).flatten(("a", "@", "b"))
    assert found.objects == [shared, shared]
    assert found.unique_objects() == [shared]
    assert found.paths_of(shared) == [["a", 0, "b"], ["a", 1, "b"]]


def test_paths_are_found_by_identity_after_more_data_arrived() -> None:
    data: JSONObject = {"a": [{"id": 1}]}
    targets = Targets([data], type_matcher({})).flatten(("a", "@"))
    first = targets.objects[0]
    data["a"].insert(0, {"id": 0})  # e.g. another fetch changed the list
    assert targets.paths_of(first) == [["a", 1]]


async def test_non_object_data_is_a_downstream_error() -> None:
    transport = MockTransport(lambda r: {"data": [1, 2]})
    outcome = await execute_plan(QueryPlan(FetchNode(SubgraphName("a"), "{a}")), transport=transport)
    assert outcome.data == {}
    assert outcome.errors[0]["extensions"] == {"code": "DOWNSTREAM_SERVICE_ERROR", "serviceName": "a"}
