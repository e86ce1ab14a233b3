from __future__ import annotations

import pytest
from graphql import build_schema, parse

from gateway.rest import RestConfigError, build_openapi, parse_routes

SCHEMA = build_schema(
    """
    scalar Date
    enum Status { DRAFT CANCELLED }
    input ApplicationInput { clientId: ID! termMonths: Int! comment: String }
    type Application { id: ID! number: String! status: Status! comment: String }
    type Query { application(id: ID!): Application  applications(status: Status, from: Date, first: Int = 20): [Application!]! }
    type Mutation { createApplication(input: ApplicationInput!): Application!  cancel(id: ID!, reason: String!): Application! }
    """
)

ROUTES = parse_routes(
    {
        "routes": [
            {"method": "GET", "path": "/applications/{id}", "operation": "Application"},
            {"method": "GET", "path": "/applications/search", "operation": "Search", "query": ["status"]},
            {
                "method": "GET",
                "path": "/applications",
                "operation": "Applications",
                "query": {"status": "status", "appliedFrom": "from"},
            },
            {
                "method": "POST",
                "path": "/applications",
                "operation": "Create",
                "body": "input",
                "status": 201,
            },
            {
                "method": "POST",
                "path": "/applications/{id}/cancel",
                "operation": "Cancel",
                "body_fields": ["reason"],
            },
        ]
    }
)

DOCUMENTS = {
    "Application": "query Application($id: ID!) { application(id: $id) { id number status } }",
    "Search": "query Search($status: Status) { applications(status: $status) { id } }",
    "Applications": "query Applications($status: Status, $from: Date) { applications(status: $status, from: $from) { id n: number } }",
    "Create": "mutation Create($input: ApplicationInput!) { createApplication(input: $input) { id status } }",
    "Cancel": "mutation Cancel($id: ID!, $reason: String!) { cancel(id: $id, reason: $reason) { id status } }",
}


def _document() -> dict[str, object]:
    return build_openapi(SCHEMA, [(route, parse(DOCUMENTS[route.operation])) for route in ROUTES])


def test_routes_are_ordered_literal_segments_first() -> None:
    paths = [route.path for route in ROUTES]
    assert paths.index("/applications/search") < paths.index("/applications/{id}")


def test_path_and_query_parameters_are_typed_from_variables() -> None:
    paths = _document()["paths"]
    assert isinstance(paths, dict)
    get_one = paths["/applications/{id}"]["get"]
    assert get_one["parameters"] == [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    ]
    listing = paths["/applications"]["get"]
    assert {p["name"]: p["schema"] for p in listing["parameters"]} == {
        "status": {"type": ["string", "null"], "enum": ["DRAFT", "CANCELLED"]},
        "appliedFrom": {"type": ["string", "null"], "format": "date"},
    }


def test_bodies_and_results_follow_the_operation() -> None:
    paths = _document()["paths"]
    assert isinstance(paths, dict)
    create = paths["/applications"]["post"]
    body = create["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["clientId", "termMonths"]
    assert body["properties"]["comment"] == {"type": ["string", "null"]}
    assert "201" in create["responses"]
    cancel = paths["/applications/{id}/cancel"]["post"]
    assert cancel["requestBody"]["content"]["application/json"]["schema"]["required"] == ["reason"]
    listing = paths["/applications"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listing["items"]["properties"]["n"] == {"type": "string"}
    one = paths["/applications/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert one["type"] == "object"
    assert one["properties"]["status"]["enum"] == ["DRAFT", "CANCELLED"]
    assert paths["/applications/{id}"]["get"]["responses"]["404"]["content"]


@pytest.mark.parametrize(
    ("routes", "message"),
    [
        ({"routes": [{"method": "FETCH", "path": "/a", "operation": "A"}]}, "'method' must be one of"),
        ({"routes": [{"method": "GET", "path": "a", "operation": "A"}]}, "'path' must look like"),
        (
            {"routes": [{"method": "GET", "path": "/a", "operation": "A", "body": "x"}]},
            "GET route cannot take a body",
        ),
        (
            {
                "routes": [
                    {"method": "GET", "path": "/a/{x}", "operation": "A"},
                    {"method": "GET", "path": "/a/{y}", "operation": "B"},
                ]
            },
            "Two routes answer GET /a/",
        ),
    ],
)
def test_invalid_routes_are_named(routes: object, message: str) -> None:
    with pytest.raises(RestConfigError, match=message):
        parse_routes(routes)


def test_unknown_variables_are_refused() -> None:
    routes = parse_routes(
        {
            "routes": [
                {"method": "GET", "path": "/applications", "operation": "Search", "query": {"q": "nope"}}
            ]
        }
    )
    with pytest.raises(ValueError, match="maps to unknown"):
        build_openapi(SCHEMA, [(routes[0], parse(DOCUMENTS["Search"]))])
