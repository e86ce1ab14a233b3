from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.partner_api import PartnerApiConfig, mount_partner_api, operation_request_from_params
from gateway.partners import PartnerConfigError
from gateway.persisted_queries import sha256_hex
from gateway.rest.routes import RestConfigError
from tests.gateway.partner_world import (
    ACME_KEY,
    APP_1,
    DEPLOY,
    TRAVEL_KEY,
    WEBAPP_KEY,
    ApplicationsSubgraph,
    partner_app,
    write_partners,
)

GRAPHQL_JSON = "application/graphql-response+json"
FREE_FORM = f'query {{ application(id: "{APP_1}") {{ number }} }}'


@asynccontextmanager
async def serve(
    tmp_path: Path, subgraph: ApplicationsSubgraph | None = None, **options: Any
) -> AsyncIterator[httpx.AsyncClient]:
    app = partner_app(tmp_path, subgraph or ApplicationsSubgraph(), **options)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
            yield client


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    # --dev: the web app's key may then send free-form GraphQL (``free_form_in_dev``), which these
    # tests use as "a first-party client"; partners are held to their manifests either way.
    async with serve(tmp_path, dev=True) as test_client:
        yield test_client


def _hash_only(ref: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": ref}}, "variables": variables}


def _get_application_id() -> str:
    import json

    manifest = json.loads((DEPLOY / "manifests" / "applications-read.json").read_text())
    return str(next(op["id"] for op in manifest["operations"] if op["name"] == "GetApplication"))


def _code(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


async def test_missing_or_unknown_key_is_401_with_a_graphql_error_body(client: httpx.AsyncClient) -> None:
    missing = await client.post("/graphql", json={"query": FREE_FORM})
    unknown = await client.post("/graphql", json={"query": FREE_FORM}, headers={"x-api-key": "nope"})
    for response in (missing, unknown):
        assert response.status_code == 401
        assert _code(response) == "UNAUTHENTICATED"
        assert response.headers["www-authenticate"] == 'ApiKey header="X-API-Key"'
        assert response.json()["errors"][0]["message"].endswith(".")


async def test_a_partner_runs_a_persisted_operation_by_hash(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json=_hash_only(_get_application_id(), {"id": APP_1}), headers={"x-api-key": TRAVEL_KEY}
    )
    assert response.status_code == 200
    assert response.json()["data"]["application"]["number"] == "APP-2025-000001"
    assert response.headers["ratelimit-limit"] == "20"
    assert response.headers["ratelimit-remaining"] == "19"
    get = await client.get(
        "/graphql",
        params={
            "extensions": f'{{"persistedQuery":{{"version":1,"sha256Hash":"{_get_application_id()}"}}}}',
            "variables": f'{{"id":"{APP_1}"}}',
        },
        headers={"x-api-key": TRAVEL_KEY},
    )
    assert get.status_code == 200
    assert get.json()["data"]["application"]["id"] == APP_1


async def test_a_partner_cannot_send_free_form_or_introspection(client: httpx.AsyncClient) -> None:
    for query in (FREE_FORM, "{ __schema { types { name } } }"):
        response = await client.post(
            "/graphql", json={"query": query}, headers={"x-api-key": ACME_KEY, "accept": GRAPHQL_JSON}
        )
        assert response.status_code == 403
        assert _code(response) == "PERSISTED_QUERY_NOT_ALLOWED"


async def test_hash_and_body_mismatch_is_400(client: httpx.AsyncClient) -> None:
    body = {"query": FREE_FORM, **_hash_only("0" * 64)}
    response = await client.post("/graphql", json=body, headers={"x-api-key": WEBAPP_KEY})
    assert response.status_code == 400
    assert _code(response) == "PERSISTED_QUERY_HASH_MISMATCH"


async def test_apq_round_trip(client: httpx.AsyncClient) -> None:
    headers = {"x-api-key": WEBAPP_KEY, "accept": GRAPHQL_JSON}
    ref = sha256_hex(FREE_FORM)
    first = await client.post("/graphql", json=_hash_only(ref), headers=headers)
    assert first.status_code == 400
    assert _code(first) == "PERSISTED_QUERY_NOT_FOUND"
    second = await client.post("/graphql", json={"query": FREE_FORM, **_hash_only(ref)}, headers=headers)
    assert second.status_code == 200
    assert second.json()["data"]["application"]["number"] == "APP-2025-000001"
    third = await client.post("/graphql", json=_hash_only(ref), headers=headers)
    assert third.json() == second.json()


async def test_over_deep_and_oversized_operations_are_refused(client: httpx.AsyncClient) -> None:
    headers = {"x-api-key": WEBAPP_KEY, "accept": GRAPHQL_JSON}
    deep = '{ application(id: "x") { ' + "client { applications { " * 6 + "id" + " } }" * 6 + " } }"
    response = await client.post("/graphql", json={"query": deep}, headers=headers)
    assert response.status_code == 400
    assert _code(response) == "DEPTH_LIMIT_EXCEEDED"
    wide = "{ " + " ".join(f"a{i}: __typename" for i in range(1200)) + " }"
    response = await client.post("/graphql", json={"query": wide}, headers=headers)
    assert response.status_code == 400
    assert _code(response) == "QUERY_TOO_COMPLEX"
    search = {
        "query": None,
        **_hash_only(sha256_hex(_body("SearchApplications")), {"q": "x", "limit": 10**6}),
    }
    response = await client.post("/graphql", json=search, headers={"x-api-key": ACME_KEY})
    assert response.status_code == 400
    assert _code(response) == "QUERY_TOO_COMPLEX"


def _body(name: str) -> str:
    import json

    for manifest in (DEPLOY / "manifests").glob("*.json"):
        for operation in json.loads(manifest.read_text())["operations"]:
            if operation["name"] == name:
                return str(operation["body"])
    raise AssertionError(name)


async def test_mutations_need_post_and_operation_names_must_match(client: httpx.AsyncClient) -> None:
    create = sha256_hex(_body("CreateApplication"))
    response = await client.get(
        "/graphql",
        params={"extensions": f'{{"persistedQuery":{{"version":1,"sha256Hash":"{create}"}}}}'},
        headers={"x-api-key": ACME_KEY},
    )
    assert response.status_code == 405
    assert _code(response) == "METHOD_NOT_ALLOWED"
    body = {**_hash_only(_get_application_id(), {"id": APP_1}), "operationName": "Other"}
    response = await client.post("/graphql", json=body, headers={"x-api-key": ACME_KEY})
    assert response.status_code == 400
    assert _code(response) == "OPERATION_NOT_FOUND"


async def test_in_production_the_web_app_runs_its_manifest_by_id_and_nothing_else(tmp_path: Path) -> None:
    import json

    manifest = json.loads((DEPLOY / "manifests" / "webapp.json").read_text())
    cancel = next(op for op in manifest["operations"] if op["name"] == "BackOfficeCancelApplication")
    headers = {"x-api-key": WEBAPP_KEY, "accept": GRAPHQL_JSON}
    async with serve(tmp_path) as client:
        refused = await client.post("/graphql", json={"query": FREE_FORM}, headers=headers)
        assert refused.status_code == 403
        assert _code(refused) == "PERSISTED_QUERY_NOT_ALLOWED"
        variables = {"id": APP_1, "reason": "Клиент передумал"}
        by_id = await client.post("/graphql", json=_hash_only(cancel["id"], variables), headers=headers)
        assert by_id.status_code == 200, by_id.text
        assert by_id.json()["data"]["cancelApplication"]["status"] == "CANCELLED"


async def test_first_party_free_form_queries_run_through_the_pipeline(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": FREE_FORM}, headers={"x-api-key": WEBAPP_KEY})
    assert response.json() == {"data": {"application": {"number": "APP-2025-000001"}}}
    media = await client.post(
        "/graphql", content=b"{}", headers={"x-api-key": WEBAPP_KEY, "content-type": "text/plain"}
    )
    assert media.status_code == 415
    assert _code(media) == "UNSUPPORTED_MEDIA_TYPE"
    bad = await client.post("/graphql", content=b"[1]", headers={"x-api-key": WEBAPP_KEY})
    assert bad.status_code == 400
    assert _code(bad) == "BAD_REQUEST"
    html = await client.get("/graphql", headers={"accept": "text/html"})
    assert html.status_code == 200
    assert "<html" in html.text.lower()


async def test_rate_limited_requests_get_429_and_headers(tmp_path: Path) -> None:
    partners = write_partners(
        tmp_path,
        f"""
  - id: tight
    name: Tight
    api_keys: ["sha256:{sha256_hex("tight-key")}"]
    rate_limit: 2/minute
    manifests: ["{{manifests}}/applications-read.json"]
""",
    )
    async with serve(tmp_path, partners=partners, rest=None) as client:
        body = _hash_only(_get_application_id(), {"id": APP_1})
        statuses = [
            (await client.post("/graphql", json=body, headers={"x-api-key": "tight-key"})).status_code
            for _ in range(3)
        ]
        assert statuses == [200, 200, 429]
        refused = await client.post("/graphql", json=body, headers={"x-api-key": "tight-key"})
        assert _code(refused) == "RATE_LIMITED"
        assert refused.headers["ratelimit-remaining"] == "0"
        assert int(refused.headers["retry-after"]) > 1


async def test_partner_file_changes_are_picked_up_while_serving(tmp_path: Path) -> None:
    template = """
  - id: {name}
    name: {name}
    api_keys: ["sha256:{digest}"]
    manifests: ["{{manifests}}/applications-read.json"]
"""
    one = template.format(name="one", digest=sha256_hex("one-key"))
    partners = write_partners(tmp_path, one)
    async with serve(tmp_path, partners=partners, rest=None) as client:
        body = _hash_only(_get_application_id(), {"id": APP_1})
        assert (await client.post("/graphql", json=body, headers={"x-api-key": "two-key"})).status_code == 401
        write_partners(tmp_path, one + template.format(name="two", digest=sha256_hex("two-key")))
        for _ in range(100):
            await asyncio.sleep(0.05)
            response = await client.post("/graphql", json=body, headers={"x-api-key": "two-key"})
            if response.status_code == 200:
                break
        assert response.status_code == 200


def test_bad_files_stop_the_gateway_before_it_listens(tmp_path: Path) -> None:
    from starlette.applications import Starlette

    bad = tmp_path / "partners.yaml"
    bad.write_text("partners:\n  - id: X\n")
    with pytest.raises(PartnerConfigError, match=r"partners\[0\]: 'id' must be"):
        mount_partner_api(Starlette(), PartnerApiConfig(str(bad)))
    rest = tmp_path / "rest.yaml"
    rest.write_text("routes:\n  - {method: GET, path: nope, operation: X}\n")
    with pytest.raises(RestConfigError, match=r"routes\[0\]: 'path'"):
        mount_partner_api(Starlette(), PartnerApiConfig(str(DEPLOY / "partners.yaml"), str(rest)))


def test_config_from_env() -> None:
    assert PartnerApiConfig.from_env({}) is None
    config = PartnerApiConfig.from_env(
        {
            "PARTNERS_FILE": "p.yaml",
            "REST_FILE": "r.yaml",
            "REDIS_URL": "redis://x",
            "GATEWAY_REDIS_PREFIX": "t",
        }
    )
    assert config == PartnerApiConfig("p.yaml", "r.yaml", "redis://x", "t")


def test_request_parameters_allow_a_missing_query() -> None:
    request = operation_request_from_params({"operationName": "", "variables": '{"a": 1}'}, json_encoded=True)
    assert request.query is None
    assert request.operation_name is None
    assert request.variables == {"a": 1}
    from gateway.errors import BadRequest

    with pytest.raises(BadRequest, match="'query' must be a string"):
        operation_request_from_params({"query": 1}, json_encoded=False)
    with pytest.raises(BadRequest, match="'variables' must be a JSON object"):
        operation_request_from_params({"variables": [1]}, json_encoded=False)


async def test_subgraphs_learn_the_partner_and_request_id_but_never_the_key(tmp_path: Path) -> None:
    subgraph = ApplicationsSubgraph()
    forged = {"x-partner-id": "acme-bank"}  # a client naming another partner is ignored
    async with serve(tmp_path, subgraph, forward_headers=("x-trace",), dev=True) as client:
        headers = {"x-api-key": TRAVEL_KEY, "x-request-id": "rid-1", "x-trace": "t-1", **forged}
        persisted = await client.post(
            "/graphql", json=_hash_only(_get_application_id(), {"id": APP_1}), headers=headers
        )
        assert persisted.status_code == 200
        web = {"x-api-key": WEBAPP_KEY, "x-request-id": "rid-2", **forged}
        free_form = await client.post("/graphql", json={"query": FREE_FORM}, headers=web)
        assert free_form.status_code == 200
        rest = await client.get(
            f"/api/v1/applications/{APP_1}",
            headers={"x-api-key": TRAVEL_KEY, "x-request-id": "rid-3", **forged},
        )
        assert rest.status_code == 200
    assert subgraph.headers == [
        {"x-trace": "t-1", "x-partner-id": "travelshop", "x-request-id": "rid-1"},
        {"x-request-id": "rid-2"},  # the web app is first party: no partner id, it sees everything
        {"x-partner-id": "travelshop", "x-request-id": "rid-3"},
    ]


async def test_before_the_supergraph_loads_the_partner_api_is_not_ready() -> None:
    from gateway.config import Settings
    from gateway.http import create_app

    settings = Settings(partners_path=str(DEPLOY / "partners.yaml"), rest_path=str(DEPLOY / "rest.yaml"))
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
            graphql = await client.post(
                "/graphql", json={"query": FREE_FORM}, headers={"x-api-key": ACME_KEY}
            )
            rest = await client.get(f"/api/v1/applications/{APP_1}", headers={"x-api-key": ACME_KEY})
            document = await client.get("/api/v1/openapi.json")
    assert graphql.status_code == rest.status_code == document.status_code == 503
    assert _code(graphql) == "SERVICE_NOT_READY"
    assert rest.json()["code"] == document.json()["code"] == "SERVICE_NOT_READY"
