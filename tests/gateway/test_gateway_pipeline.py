from __future__ import annotations

import asyncio
from typing import Any

import pytest
from graphql import DocumentNode, GraphQLSchema, build_schema, print_ast

from gateway.config import Settings
from gateway.errors import (
    BadRequest,
    BadUserInput,
    DepthLimitExceeded,
    GraphQLParseFailed,
    GraphQLValidationFailed,
    MethodNotAllowed,
    OperationNotFound,
    QueryPlanningFailed,
)
from gateway.execution import MockTransport, SubgraphRequest
from gateway.pipeline import Gateway, GraphQLRequest, max_depth, parse_document
from gateway.planner.plan import (
    FetchNode,
    FlattenNode,
    QueryPlan,
    RequiresField,
    RequiresInlineFragment,
    SequenceNode,
)
from gateway.types import JSONObject, SubgraphName

SCHEMA = build_schema(
    """
    type Query { users(first: Int = 2): [User!]!  me: User }
    type User { id: ID! name: String  posts: [Post!] }
    type Post { title: String! }
    type Mutation { rename(name: String!): User }
    type Subscription { tick: Int }
    """
)

USERS_PLAN = QueryPlan(
    SequenceNode(
        (
            FetchNode(
                SubgraphName("users"),
                "query($first:Int){users(first:$first){__typename id name}}",
                variable_usages=("first",),
            ),
            FlattenNode(
                ("users", "@"),
                FetchNode(
                    SubgraphName("posts"),
                    "query($representations:[_Any!]!){_entities(representations:$representations){...on User{posts{title}}}}",
                    requires=(
                        RequiresInlineFragment("User", (RequiresField("__typename"), RequiresField("id"))),
                    ),
                ),
            ),
        )
    )
)


class FakeSupergraph:
    def __init__(self, schema: GraphQLSchema) -> None:
        self.api_schema = schema


class FakePlanner:
    """Returns USERS_PLAN for any document; records the printed documents it planned."""

    def __init__(self, plan: QueryPlan = USERS_PLAN, fail: bool = False) -> None:
        self.planned: list[str] = []
        self._plan = plan
        self._fail = fail

    def plan(self, document: DocumentNode, operation_name: str | None) -> QueryPlan:
        self.planned.append(print_ast(document))
        if self._fail:
            raise RuntimeError("no path to field")
        return self._plan


def answer(request: SubgraphRequest) -> JSONObject:
    if request.service_name == "users":
        first = request.variables.get("first", 2)
        users = [{"__typename": "User", "id": str(i), "name": f"user{i}"} for i in range(first)]
        return {"data": {"users": users}}
    reps = request.variables["representations"]
    return {"data": {"_entities": [{"posts": [{"title": f"post of {r['id']}"}]} for r in reps]}}


def make_gateway(planner: FakePlanner | None = None, handler: Any = answer, **settings: Any) -> Gateway:
    return Gateway(
        FakeSupergraph(SCHEMA),
        planner or FakePlanner(),
        MockTransport(handler),
        Settings(**settings),
        supergraph_id="test",
    )


async def test_runs_the_whole_pipeline_and_shapes_the_result() -> None:
    gateway = make_gateway()
    response = await gateway.run(
        GraphQLRequest("query Q($first: Int) { users(first: $first) { name posts { title } } }", {"first": 1})
    )
    assert response.payload == {"data": {"users": [{"name": "user0", "posts": [{"title": "post of 0"}]}]}}
    assert response.operation_name == "Q"


async def test_documents_and_plans_are_cached() -> None:
    planner = FakePlanner()
    gateway = make_gateway(planner)
    request = GraphQLRequest("{ users { id } }")
    for _ in range(3):
        await gateway.run(request)
    assert len(planner.planned) == 1
    assert (gateway.plans.hits, gateway.plans.misses) == (2, 1)
    assert gateway.prepare("{ users { id } }") is gateway.prepare("{ users { id } }")


@pytest.mark.parametrize(
    ("request_", "method", "error"),
    [
        (GraphQLRequest("{ users { "), "POST", GraphQLParseFailed),
        (GraphQLRequest("{ nope }"), "POST", GraphQLValidationFailed),
        (GraphQLRequest("query A { me { id } } query B { me { id } }"), "POST", OperationNotFound),
        (GraphQLRequest("query A { me { id } }", operation_name="B"), "POST", OperationNotFound),
        (GraphQLRequest('mutation { rename(name: "x") { id } }'), "GET", MethodNotAllowed),
        (GraphQLRequest("subscription { tick }"), "POST", BadRequest),
        (GraphQLRequest("query ($n: Int!) { users(first: $n) { id } }", {"n": "x"}), "POST", BadUserInput),
        (GraphQLRequest("query ($n: Int!) { users(first: $n) { id } }"), "POST", BadUserInput),
    ],
)
async def test_request_errors_raise_client_errors(
    request_: GraphQLRequest, method: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        await make_gateway().run(request_, method=method)


async def test_bad_variables_report_each_problem() -> None:
    with pytest.raises(BadUserInput) as info:
        await make_gateway().run(GraphQLRequest("query ($n: Int!) { users(first: $n) { id } }", {"n": "x"}))
    rendered = info.value.to_json()
    assert rendered[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "$n" in rendered[0]["message"]


async def test_depth_limit() -> None:
    deep = "{ me { posts { title } } }"
    with pytest.raises(DepthLimitExceeded, match="3 levels deep; the limit is 2"):
        await make_gateway(max_depth=2).run(GraphQLRequest(deep))
    assert (await make_gateway(max_depth=3).run(GraphQLRequest("{ users { id } }"))).payload[
        "data"
    ] is not None


def test_max_depth_expands_fragments_and_ignores_cycles_and_introspection() -> None:
    prepared = parse_document(
        "query { me { ...A } __schema { types { fields { type { ofType { name } } } } } }"
        " fragment A on User { posts { title } ...A }"
    )
    operation = prepared.operations[None]
    assert max_depth(operation.selection_set, prepared.fragments, 15) == 3


async def test_partial_failure_returns_data_and_errors() -> None:
    def handler(request: SubgraphRequest) -> JSONObject:
        if request.service_name == "posts":
            raise_unavailable()
        return answer(request)

    def raise_unavailable() -> None:
        from gateway.errors import SubgraphUnavailable

        raise SubgraphUnavailable("Subgraph 'posts' could not be reached.", service_name="posts")

    response = await make_gateway(handler=handler).run(GraphQLRequest("{ users { name posts { title } } }"))
    assert response.payload["data"] == {
        "users": [{"name": "user0", "posts": None}, {"name": "user1", "posts": None}]
    }
    assert response.payload["errors"][0]["extensions"] == {
        "code": "SUBGRAPH_UNAVAILABLE",
        "serviceName": "posts",
    }


async def test_planner_failures_are_internal_errors() -> None:
    with pytest.raises(QueryPlanningFailed, match="no path to field"):
        await make_gateway(FakePlanner(fail=True)).run(GraphQLRequest("{ users { id } }"))


async def test_introspection_only_is_answered_locally() -> None:
    planner = FakePlanner()
    response = await make_gateway(planner).run(
        GraphQLRequest("{ __typename __schema { queryType { name } } }")
    )
    assert response.payload == {"data": {"__typename": "Query", "__schema": {"queryType": {"name": "Query"}}}}
    assert planner.planned == []


async def test_mixed_introspection_and_data_run_both() -> None:
    planner = FakePlanner()
    response = await make_gateway(planner).run(
        GraphQLRequest('{ t: __type(name: "User") { name } users { id } }')
    )
    assert response.payload == {"data": {"t": {"name": "User"}, "users": [{"id": "0"}, {"id": "1"}]}}
    assert "__type" not in planner.planned[0]


async def test_query_plan_extension() -> None:
    response = await make_gateway().run(GraphQLRequest("{ users { id } }"), include_plan=True)
    assert response.payload["extensions"]["queryPlan"]["node"]["kind"] == "Sequence"


async def test_identical_inflight_queries_share_one_execution() -> None:
    release = asyncio.Event()

    async def slow(request: SubgraphRequest) -> JSONObject:
        await release.wait()
        return answer(request)

    gateway = make_gateway(handler=slow, dedupe_inflight=True)
    transport = gateway.transport
    assert isinstance(transport, MockTransport)
    request = GraphQLRequest("{ users { id } }")
    tasks = [asyncio.create_task(gateway.run(request)) for _ in range(3)]
    await asyncio.sleep(0.01)
    release.set()
    results = await asyncio.gather(*tasks)
    assert len({id(r) for r in results}) == 1
    assert [r.service_name for r in transport.requests] == ["users", "posts"]
    await gateway.run(request)
    assert len(transport.requests) == 4


async def test_dedupe_propagates_failures_to_everyone() -> None:
    gateway = make_gateway(FakePlanner(fail=True), dedupe_inflight=True)
    with pytest.raises(QueryPlanningFailed):
        await gateway.run(GraphQLRequest("{ users { id } }"))


async def test_metrics_count_outcomes() -> None:
    gateway = make_gateway()
    await gateway.run(GraphQLRequest("query Ok { users { id } }"))
    with pytest.raises(GraphQLValidationFailed):
        await gateway.run(GraphQLRequest("query Bad { nope }", operation_name="Bad"))
    text = gateway.metrics.render().decode()
    assert 'gateway_requests_total{operation="Ok",outcome="success"} 1.0' in text
    assert 'gateway_requests_total{operation="Bad",outcome="error"} 1.0' in text
    assert 'gateway_subgraph_fetch_duration_seconds_count{subgraph="users"} 1.0' in text


async def test_a_cancelled_leader_does_not_cancel_its_followers() -> None:
    release = asyncio.Event()

    async def slow(request: SubgraphRequest) -> JSONObject:
        await release.wait()
        return answer(request)

    gateway = make_gateway(handler=slow, dedupe_inflight=True)
    request = GraphQLRequest("{ users { id } }")
    leader = asyncio.create_task(gateway.run(request))
    await asyncio.sleep(0.01)
    follower = asyncio.create_task(gateway.run(request))
    await asyncio.sleep(0.01)
    leader.cancel()
    release.set()
    result = await follower
    assert result.payload["data"] == {"users": [{"id": "0"}, {"id": "1"}]}
    with pytest.raises(asyncio.CancelledError):
        await leader
