"""Issue 7, item 5: every error carries ``extensions.code`` and speaks the client's names.

Null propagation, unreachable or refusing subgraphs and coercion failures all have a code;
messages name GraphQL and REST arguments (``after``, ``q``, ``inputs[2].idempotencyKey``), never
proto fields; text PostgreSQL cannot store (a NUL character) is ``BAD_USER_INPUT`` and writes
nothing; REST answers problem details. A deterministic fuzzer sends a few hundred generated
operations over the whole API schema, a dangling row among the data, and checks every error.
"""

from __future__ import annotations

import json
import random
import uuid
from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
)

from gateway.supergraph import load_supergraph
from services.common.catalog import client_seed_id, product_seed_id
from tests.system.system_calls import LIFE, graphql, life_input, new_key, run_persisted
from tests.system.system_world import ROOT, World

NUL = "a\u0000b"


def _field_errors(body: dict[str, Any]) -> list[str]:
    return [f["field"] for e in body.get("errors", []) for f in e["extensions"].get("fieldErrors", [])]


async def test_nul_characters_are_bad_user_input_and_write_nothing(world: World) -> None:
    applications = await world.count("applications", "applications")
    clients = await world.count("client_info", "clients")
    async with world.client("webapp") as web:
        search = await graphql(web, "query($q: String!) { searchApplications(q: $q) { id } }", {"q": NUL})
        created = await graphql(
            web,
            "mutation($input: ApplicationInput!, $key: String!) { createApplication(input: $input, idempotencyKey: $key) { created } }",
            {"input": life_input(comment=NUL), "key": new_key()},
        )
        keyed = await graphql(
            web,
            "mutation($input: ApplicationInput!, $key: String!) { createApplication(input: $input, idempotencyKey: $key) { created } }",
            {"input": life_input(), "key": f"key-{NUL}-0000"},
        )
        registered = await graphql(
            web,
            "mutation($input: RegisterClientInput!) { registerClient(input: $input) { id } }",
            {
                "input": {
                    "lastName": NUL,
                    "firstName": "Иван",
                    "birthDate": "1990-01-01",
                    "phone": "+79161234567",
                }
            },
        )
    for body, field in (
        (search, "q"),
        (created, "input.comment"),
        (keyed, "idempotencyKey"),
        (registered, "input.lastName"),
    ):
        (error,) = body["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", body
        assert _field_errors(body) == [field]
        assert f"'{field}'" in error["message"]
        assert "NUL" in error["message"]
    assert await world.count("applications", "applications") == applications
    assert await world.count("client_info", "clients") == clients


async def test_rest_nul_characters_are_a_400_problem_naming_the_parameter(world: World) -> None:
    async with world.client("acme-bank") as acme:
        created = await run_persisted(
            acme, "CreateApplication", {"input": life_input(), "idempotencyKey": new_key()}
        )
        application_id = created["data"]["createApplication"]["application"]["id"]
        outbox = await world.count("applications", "outbox", "aggregate_id = :id", id=application_id)
        search = await acme.get("/api/v1/applications/search", params={"q": NUL})
        cancel = await acme.post(f"/api/v1/applications/{application_id}/cancel", json={"reason": NUL})
        batch = await acme.post(
            "/api/v1/applications/batch",
            json=[{"idempotencyKey": new_key(), "application": life_input(comment=NUL)}],
        )
    for response, field in ((search, "q"), (cancel, "reason")):
        assert response.status_code == 400
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["code"] == "BAD_USER_INPUT"
        assert f"'{field}'" in problem["detail"]
        assert all("locations" not in error for error in problem["errors"])
    assert await world.count("applications", "outbox", "aggregate_id = :id", id=application_id) == outbox
    (item,) = batch.json()
    assert item["error"]["code"] == "BAD_USER_INPUT"
    assert [f["field"] for f in item["error"]["fieldErrors"]] == ["inputs[0].application.comment"]


async def test_messages_name_the_arguments_the_client_sent(world: World) -> None:
    async with world.client("acme-bank") as acme:
        listed = await acme.get("/api/v1/applications", params={"after": "not-a-cursor"})
        blank = await acme.get("/api/v1/applications/search", params={"q": "   "})
        batch = await run_persisted(
            acme,
            "CreateApplications",
            {
                "inputs": [
                    {"idempotencyKey": new_key(), "application": life_input()},
                    {"idempotencyKey": new_key(), "application": life_input(termMonths=0)},
                    {"idempotencyKey": "short", "application": life_input()},
                ]
            },
        )
    assert listed.status_code == 400
    assert "'after'" in listed.json()["detail"]
    assert "page_token" not in listed.text
    assert blank.status_code == 400
    assert "'q'" in blank.json()["detail"]
    assert "'query'" not in blank.text
    results = batch["data"]["createApplications"]
    assert [f["field"] for f in results[1]["error"]["fieldErrors"]] == ["inputs[1].application.termMonths"]
    assert [f["field"] for f in results[2]["error"]["fieldErrors"]] == ["inputs[2].idempotencyKey"]
    assert "_" not in json.dumps([r["error"] for r in results if r["error"]]).replace("BAD_USER_INPUT", "")


# -- the fuzzer ------------------------------------------------------------------------------

SCHEMA = load_supergraph((ROOT / "schema" / "supergraph.graphql").read_text(encoding="utf-8")).api_schema
_SKIPPED_ROOTS = {"_entities", "_service"}


class _Generator:
    """Random operations over the API schema: every root query field, valid and hostile values."""

    def __init__(self, seed: int, ids: list[str]) -> None:
        self.rng = random.Random(seed)
        self.ids = ids

    def value(self, type_: Any, depth: int = 0) -> Any:
        if isinstance(type_, GraphQLNonNull):
            return self.value(type_.of_type, depth)
        if self.rng.random() < 0.05:
            return None
        if isinstance(type_, GraphQLList):
            return [self.value(type_.of_type, depth + 1) for _ in range(self.rng.randint(0, 3))]
        if isinstance(type_, GraphQLEnumType):
            return self.rng.choice([*type_.values, "NOT_A_VALUE"])
        if isinstance(type_, GraphQLInputObjectType):
            if depth > 2:
                return {}
            return {
                name: self.value(field.type, depth + 1)
                for name, field in type_.fields.items()
                if self.rng.random() < 0.8
            }
        assert isinstance(type_, GraphQLScalarType)
        pools: dict[str, list[Any]] = {
            "ID": [*self.ids, str(uuid.uuid4()), "not-a-uuid", "", NUL],
            "String": ["ложка", "Иванов", "", "   ", NUL, "x" * 600, "APP-2026"],
            "Int": [0, -1, 1, 20, 100, 101, 2**31 - 1],
            "Long": [0, -5, 150_000_000, 2**53],
            "Float": [0.5, -1.0],
            "Boolean": [True, False],
            "Date": ["2025-03-01", "2025-02-30", "tomorrow"],
        }
        return self.rng.choice(pools.get(type_.name, ["?"]))

    def selection(self, type_: Any, depth: int) -> str:
        named = get_named_type(type_)
        if is_leaf_type(named):
            return ""
        if isinstance(named, GraphQLUnionType | GraphQLInterfaceType) or depth > 3:
            return "{ __typename }"
        assert isinstance(named, GraphQLObjectType)
        fields = list(named.fields.items())
        self.rng.shuffle(fields)
        parts = []
        for name, field in fields[: self.rng.randint(1, 6)]:
            if any(isinstance(arg.type, GraphQLNonNull) for arg in field.args.values()):
                continue  # nested required arguments stay out of the fuzzer's way
            parts.append(f"{name} {self.selection(field.type, depth + 1)}")
        return "{ " + (" ".join(parts) or "__typename") + " }"

    def operation(self) -> tuple[str, dict[str, Any]]:
        query_type = SCHEMA.query_type
        assert query_type is not None
        roots = [(n, f) for n, f in query_type.fields.items() if n not in _SKIPPED_ROOTS]
        name, field = self.rng.choice(roots)
        definitions, arguments, variables = [], [], {}
        for arg_name, arg in field.args.items():
            if not isinstance(arg.type, GraphQLNonNull) and self.rng.random() < 0.5:
                continue
            definitions.append(f"${arg_name}: {arg.type}")
            arguments.append(f"{arg_name}: ${arg_name}")
            variables[arg_name] = self.value(arg.type)
        head = f"query({', '.join(definitions)})" if definitions else "query"
        call = f"{name}({', '.join(arguments)})" if arguments else name
        return f"{head} {{ {call} {self.selection(field.type, 1)} }}", variables


@pytest.fixture
async def dangling(world: World) -> str:
    """An application row written before references were checked: its client does not exist."""
    from sqlalchemy import text

    application_id = str(uuid.uuid4())
    async with world.database("applications") as database, database.transaction() as session:
        await session.execute(
            text(
                """INSERT INTO applications (id, number, owner, client_id, product_id, status, version,
                applied_at, updated_at, insured_kind, insured_description, sum_insured_kopecks,
                term_months, comment, cancellation_reason, idempotency_key, request_fingerprint)
                VALUES (:id, :number, 'first-party', :client, :product, 'DRAFT', 1, now(), now(),
                'person', 'ложка', 100000, 12, 'ложка', '', :key, 'legacy')"""
            ),
            {
                "id": application_id,
                "number": f"APP-LEGACY-{application_id[:8]}",
                "key": f"legacy-{application_id}",
                "client": str(uuid.uuid4()),
                "product": LIFE,
            },
        )
        await session.execute(
            text(
                "INSERT INTO status_history (application_id, position, status, at, reason) VALUES (:id, 1, 'DRAFT', now(), '')"
            ),
            {"id": application_id},
        )
    return application_id


@pytest.mark.parametrize("seed", range(4))
async def test_every_error_of_fuzzed_operations_has_a_code(world: World, dangling: str, seed: int) -> None:
    generator = _Generator(
        seed, [dangling, client_seed_id(0), client_seed_id(3), product_seed_id("OSAGO-STD")]
    )
    uncoded: list[tuple[str, dict[str, Any]]] = []
    faults: list[tuple[str, dict[str, Any]]] = []
    answered = 0
    async with world.client("webapp") as web:
        for _ in range(60):
            query, variables = generator.operation()
            body = await graphql(web, query, variables)
            assert "data" in body or "errors" in body, (query, body)
            answered += 1
            for error in body.get("errors", []):
                code = (error.get("extensions") or {}).get("code")
                if not code:
                    uncoded.append((query, error))
                elif code in ("INTERNAL_SERVER_ERROR", "DOWNSTREAM_SERVICE_ERROR"):
                    faults.append((query, error))  # a healthy system owes every caller a reason
                assert "Traceback" not in json.dumps(error)
    assert answered == 60
    assert uncoded == []
    assert faults == []
