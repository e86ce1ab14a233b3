from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.errors import BadRequest, BadUserInput
from gateway.partner_gate import PartnerGate
from gateway.partners import RegistrySource
from gateway.persisted_queries import InMemoryPersistedQueryStore
from gateway.ratelimit import PartnerRateLimiter
from gateway.rest.endpoint import (
    RestBinding,
    _exception_response,
    _result_response,
    bind_routes,
    status_for_code,
    variables_from_request,
)
from gateway.rest.routes import RestConfigError, load_routes, parse_routes
from tests.gateway.partner_world import (
    ACME_KEY,
    APP_1,
    APP_2,
    CLIENT,
    DEPLOY,
    PRODUCT,
    TRAVEL_KEY,
    ApplicationsSubgraph,
    make_gateway,
    partner_app,
)

ACME = {"x-api-key": ACME_KEY}
NEW = {
    "clientId": CLIENT,
    "productId": PRODUCT,
    "insuredObject": {"kind": "PERSON"},
    "sumInsuredKopecks": 10_000_00,
    "termMonths": 12,
}


@pytest.fixture(scope="module")
def gate() -> PartnerGate:
    return PartnerGate(
        make_gateway(),
        RegistrySource(DEPLOY / "partners.yaml"),
        PartnerRateLimiter(),
        InMemoryPersistedQueryStore(),
    )


@pytest.fixture(scope="module")
def bindings(gate: PartnerGate) -> dict[str, RestBinding]:
    return bind_routes(load_routes(DEPLOY / "rest.yaml"), gate.catalog)


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = partner_app(tmp_path, ApplicationsSubgraph())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://gateway.test/api/v1"
        ) as test_client:
            yield test_client


async def test_get_application(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/applications/{APP_1}", headers=ACME)
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == "APP-2025-000001"
    assert body["sumInsured"]["kopecks"] == 150_000_000
    assert response.headers["ratelimit-limit"] == "20"
    assert response.headers["x-request-id"]


async def test_unknown_and_malformed_ids(client: httpx.AsyncClient) -> None:
    missing = await client.get("/applications/99999999-9999-4999-8999-999999999999", headers=ACME)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    body = missing.json()
    assert (body["type"], body["title"], body["status"]) == ("about:blank", "Not Found", 404)
    assert body["instance"] == "/api/v1/applications/99999999-9999-4999-8999-999999999999"
    assert body["code"] == "NOT_FOUND"
    assert body["requestId"] == missing.headers["x-request-id"]
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    malformed = await client.get("/applications/not-a-uuid", headers=ACME)
    assert malformed.status_code == 400
    assert malformed.json()["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE", "OPTIONS"])
@pytest.mark.parametrize("path", ["/nope", "/applications/1/2/3", "", "/"])
async def test_unknown_paths_are_a_json_problem_404(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    response = await client.request(method, path, headers=ACME)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["code"]) == (404, "NOT_FOUND")
    assert body["detail"].endswith(".")
    assert body["requestId"] == response.headers["x-request-id"]


@pytest.mark.parametrize(
    ("path", "allow"),
    [
        ("/applications", "GET, HEAD, POST, OPTIONS"),
        ("/applications/batch", "POST, OPTIONS"),
        (f"/applications/{APP_1}", "GET, HEAD, OPTIONS"),
        (f"/applications/{APP_1}/cancel", "POST, OPTIONS"),
        ("/applications/search", "GET, HEAD, OPTIONS"),
        ("/openapi.json", "GET, HEAD, OPTIONS"),
    ],
)
async def test_options_lists_every_method_of_a_path(client: httpx.AsyncClient, path: str, allow: str) -> None:
    response = await client.options(path)
    assert response.status_code == 204
    assert response.headers["allow"] == allow


async def test_a_method_the_path_does_not_serve_is_a_problem_405(client: httpx.AsyncClient) -> None:
    response = await client.delete(f"/applications/{APP_1}", headers=ACME)
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, OPTIONS"
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "METHOD_NOT_ALLOWED"


async def test_errors_carry_no_graphql_locations(client: httpx.AsyncClient) -> None:
    # A body the operation's variables cannot take fails in GraphQL coercion; REST shows the
    # code and the message but not the line and column of a document the client never sent.
    response = await client.post("/applications/batch", json=[{"idempotencyKey": 7}], headers=ACME)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "BAD_USER_INPUT"
    assert body["errors"]
    assert all("locations" not in error for error in body["errors"])


async def test_list_coerces_query_strings_to_variable_types(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/applications",
        params={
            "appliedFrom": "2025-03-01",
            "appliedTo": "2025-03-01",
            "status": "PROCESSING,COMPLETED",
            "first": "5",
            "after": "",
        },
        headers=ACME,
    )
    assert response.status_code == 200
    assert [n["id"] for n in response.json()["nodes"]] == [APP_1]
    repeated = await client.get("/applications?status=COMPLETED&status=CANCELLED", headers=ACME)
    assert [n["id"] for n in repeated.json()["nodes"]] == [APP_2]
    bad = await client.get("/applications", params={"first": "many"}, headers=ACME)
    assert bad.status_code == 400
    assert bad.json()["code"] == "BAD_USER_INPUT"
    assert bad.json()["detail"] == "Query parameter 'first' must be of type Int, got 'many'."
    bad_enum = await client.get("/applications", params={"status": "LOST"}, headers=ACME)
    assert bad_enum.status_code == 400
    assert bad_enum.json()["code"] == "BAD_USER_INPUT"


async def test_search(client: httpx.AsyncClient) -> None:
    response = await client.get("/applications/search", params={"q": "ложка"}, headers=ACME)
    assert response.status_code == 200
    assert [a["id"] for a in response.json()] == [APP_2]
    missing = await client.get("/applications/search", headers=ACME)
    assert missing.status_code == 400
    assert missing.json()["code"] == "BAD_USER_INPUT"


async def test_create_is_201_and_an_idempotent_replay_is_200(client: httpx.AsyncClient) -> None:
    body = {"input": NEW, "idempotencyKey": "partner-key-0001"}
    first = await client.post("/applications", json=body, headers=ACME)
    again = await client.post("/applications", json=body, headers=ACME)
    assert first.status_code == 201
    assert again.status_code == 200
    assert first.json()["created"] is True
    assert again.json()["created"] is False
    assert first.json()["application"]["id"] == again.json()["application"]["id"]
    unknown = await client.post("/applications", json={**body, "extra": 1}, headers=ACME)
    assert unknown.status_code == 400
    assert "Unknown body fields ['extra']" in unknown.json()["detail"]
    broken = await client.post("/applications", content=b"{", headers=ACME)
    assert broken.status_code == 400
    assert broken.json()["code"] == "BAD_REQUEST"
    empty = await client.post("/applications", headers=ACME)
    assert empty.status_code == 400
    assert empty.json()["code"] == "BAD_USER_INPUT"


async def test_batch_reports_items_on_their_own(client: httpx.AsyncClient) -> None:
    items = [
        {"idempotencyKey": "batch-key-0001", "application": NEW},
        {"idempotencyKey": "short", "application": NEW},
    ]
    response = await client.post("/applications/batch", json=items, headers=ACME)
    assert response.status_code == 200
    first, second = response.json()
    assert first["created"] is True
    assert first["error"] is None
    assert second["application"] is None
    assert second["error"]["code"] == "BAD_USER_INPUT"


async def test_cancel_and_its_conflict(client: httpx.AsyncClient) -> None:
    cancelled = await client.post(
        f"/applications/{APP_1}/cancel", json={"reason": "changed my mind"}, headers=ACME
    )
    assert cancelled.status_code == 200
    assert cancelled.json() == {
        "id": APP_1,
        "number": "APP-2025-000001",
        "status": "CANCELLED",
        "cancellationReason": "changed my mind",
    }
    again = await client.post(f"/applications/{APP_1}/cancel", json={"reason": "again"}, headers=ACME)
    assert again.status_code == 409
    assert again.json()["code"] == "FAILED_PRECONDITION"


async def test_keys_safelist_and_openapi(client: httpx.AsyncClient) -> None:
    missing = await client.get(f"/applications/{APP_1}")
    assert missing.status_code == 401
    assert missing.json()["code"] == "UNAUTHENTICATED"
    forbidden = await client.post(
        f"/applications/{APP_1}/cancel", json={"reason": "x"}, headers={"x-api-key": TRAVEL_KEY}
    )
    assert forbidden.status_code == 403
    assert forbidden.json()["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
    document = (await client.get("/openapi.json")).json()
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) == {
        "/applications",
        "/applications/batch",
        "/applications/{id}/cancel",
        "/applications/{id}",
        "/applications/search",
    }
    assert document["paths"]["/applications"]["post"]["responses"]["201"]
    assert (
        "idempotent replay" in document["paths"]["/applications"]["post"]["responses"]["200"]["description"]
    )
    status = document["paths"]["/applications"]["get"]["parameters"][2]
    assert status["name"] == "status"
    assert status["schema"]["type"] == ["array", "null"]


def test_null_entity_on_a_path_route_is_404(bindings: dict[str, RestBinding]) -> None:
    response = _result_response(bindings["getApplication"], {"data": {"application": None}}, "rid", {}, "/x")
    assert response.status_code == 404
    assert response.media_type == "application/problem+json"
    assert b'"code":"NOT_FOUND"' in response.body
    assert b'"requestId":"rid"' in response.body
    listed = _result_response(
        bindings["searchApplications"], {"data": {"searchApplications": []}}, "rid", {}, "/x"
    )
    assert listed.status_code == 200
    assert listed.body == b"[]"


def test_internal_errors_are_masked_with_a_request_id(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        response = _exception_response(RuntimeError("database password is hunter2"), "rid-7", {}, "/x")
    assert response.status_code == 500
    assert b"hunter2" not in response.body
    assert b'"detail":"Internal server error."' in response.body
    assert b'"status":500' in response.body
    assert b'"requestId":"rid-7"' in response.body
    assert "rid-7" in caplog.text
    assert "hunter2" in caplog.text


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("NOT_FOUND", 404),
        ("BAD_USER_INPUT", 400),
        ("GRAPHQL_VALIDATION_FAILED", 400),
        ("FAILED_PRECONDITION", 409),
        ("ALREADY_EXISTS", 409),
        ("UNAUTHENTICATED", 401),
        ("PERSISTED_QUERY_NOT_ALLOWED", 403),
        ("RATE_LIMITED", 429),
        ("SUBGRAPH_UNAVAILABLE", 502),
        ("PAYLOAD_TOO_LARGE", 413),
        ("SOMETHING_ELSE", 500),
        (None, 500),
    ],
)
def test_error_codes_map_to_http_statuses(code: str | None, status: int) -> None:
    assert status_for_code(code) == status


def test_variables_from_path_query_and_body(gate: PartnerGate, bindings: dict[str, RestBinding]) -> None:
    schema = gate.gateway.schema
    listed = variables_from_request(
        schema,
        bindings["listApplications"],
        {},
        {"status": ["DRAFT,", "CANCELLED"], "first": ["3"], "after": [""]},
        None,
    )
    assert listed == {"status": ["DRAFT", "CANCELLED"], "first": 3}
    cancel = variables_from_request(
        schema, bindings["cancelApplication"], {"id": APP_1}, {}, b'{"reason": "r"}'
    )
    assert cancel == {"reason": "r", "id": APP_1}
    with pytest.raises(BadRequest, match="must be a JSON object"):
        variables_from_request(schema, bindings["cancelApplication"], {"id": APP_1}, {}, b"[]")
    with pytest.raises(BadUserInput, match="'limit' must be of type Int"):
        variables_from_request(
            schema, bindings["searchApplications"], {}, {"q": ["x"], "limit": ["1.5"]}, None
        )
    batch = variables_from_request(schema, bindings["createApplications"], {}, {}, b"[]")
    assert batch == {"inputs": []}


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ({"method": "GET", "path": "/x", "operation": "Nope"}, "no persisted operation 'Nope'"),
        ({"method": "GET", "path": "/x", "operation": "CancelApplication"}, "a GET route must run a query"),
        (
            {"method": "GET", "path": "/x/{uid}", "operation": "GetApplication"},
            r"\['uid'\] are not variables",
        ),
    ],
)
def test_routes_that_do_not_fit_their_operation(
    gate: PartnerGate, route: dict[str, Any], message: str
) -> None:
    with pytest.raises(RestConfigError, match=message):
        bind_routes(parse_routes({"routes": [route]}), gate.catalog)
