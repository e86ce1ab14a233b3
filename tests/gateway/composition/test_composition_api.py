"""``compose()``: the public API, determinism, plumbing removal and subgraph-level input errors."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

import pytest
import strawberry
from graphql import build_ast_schema, parse

import gateway.composition as composition
from gateway.composition import ERROR_CODES, HINT_CODES, Failure, SubgraphSource, Success, compose
from gateway.supergraph import load_supergraph

ComposeSdls = Callable[[dict[str, str]], composition.CompositionResult]
SupergraphOf = Callable[[dict[str, str]], str]

FIXTURES = Path(__file__).parent / "fixtures"
_MODULES = sorted(
    f"gateway.composition.{p.stem}"
    for p in Path(composition.__file__).parent.glob("*.py")
    if p.stem not in {"__init__"}
)


@strawberry.federation.type(keys=["id"], name="Client")
class _StrawberryClient:
    id: strawberry.ID
    full_name: str = strawberry.federation.field(shareable=True)


@strawberry.type(name="Query")
class _StrawberryQuery:
    @strawberry.field
    def client(self, id: strawberry.ID) -> _StrawberryClient | None:
        return None


def _fixture_sources(name: str) -> list[SubgraphSource]:
    files = sorted((FIXTURES / name).glob("*.graphql"))
    return [SubgraphSource(f.stem, f"http://{f.stem}.svc/graphql", f.read_text()) for f in files]


def _isort_key(name: str) -> tuple[int, str]:
    """The order ruff's RUF022 keeps: CONSTANTS, then Classes, then functions."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


@pytest.mark.parametrize("module_name", [*_MODULES, "gateway.composition"])
def test_public_all_is_sorted_and_complete(module_name: str) -> None:
    module = importlib.import_module(module_name)
    exported = list(module.__all__)
    assert exported == sorted(exported, key=_isort_key)
    for name in exported:
        assert hasattr(module, name), name
    defined_here = {
        n
        for n, v in vars(module).items()
        if not n.startswith("_") and getattr(v, "__module__", None) == module_name and callable(v)
    }
    assert defined_here <= set(exported)


def test_registries_have_sentence_descriptions() -> None:
    for registry in (ERROR_CODES, HINT_CODES):
        for code, description in registry.items():
            assert code == code.upper()
            assert description.endswith(".")


def test_composes_the_entities_fixture_into_a_valid_graphql_schema() -> None:
    result = compose(_fixture_sources("entities"))
    assert isinstance(result, Success)
    schema = build_ast_schema(parse(result.supergraph_sdl))
    assert schema.query_type is not None
    assert set(schema.query_type.fields) == {
        "client",
        "clients",
        "searchClients",
        "application",
        "applications",
        "product",
        "products",
        "policy",
    }
    client = schema.get_type("Client")
    assert client is not None
    assert "policies" in client.fields  # type: ignore[attr-defined]


@pytest.mark.parametrize("fixture_set", ["entities", "requires_provides", "override", "interfaces_unions"])
def test_output_does_not_depend_on_input_order(fixture_set: str) -> None:
    sources = _fixture_sources(fixture_set)
    forward, backward = compose(sources), compose(list(reversed(sources)))
    assert isinstance(forward, Success)
    assert isinstance(backward, Success)
    assert forward.supergraph_sdl == backward.supergraph_sdl


def test_federation_plumbing_is_stripped(supergraph_of: SupergraphOf) -> None:
    sdl = supergraph_of(
        {
            "a": """
            type Query { _entities(representations: [_Any!]!): [_Entity]! _service: _Service! a: U }
            type U @key(fields: "id") { id: ID! }
            scalar _Any
            union _Entity = U
            type _Service { sdl: String! }
            """
        }
    )
    for name in ("_Any", "_Entity", "_Service", "_entities", "_service"):
        assert name not in sdl


def test_strawberry_schema_composes_in_process() -> None:
    schema = strawberry.federation.Schema(query=_StrawberryQuery)
    result = schema.execute_sync("{ _service { sdl } }")
    assert result.data is not None
    outcome = compose(
        [SubgraphSource("client_info", "http://client-info/graphql", result.data["_service"]["sdl"])]
    )
    assert isinstance(outcome, Success), outcome
    assert 'type Client @join__type(graph: CLIENT_INFO, key: "id") {' in outcome.supergraph_sdl
    assert "  fullName: String!\n" in outcome.supergraph_sdl


def test_renamed_root_types_get_default_names(supergraph_of: SupergraphOf) -> None:
    sdl = supergraph_of({"a": "schema { query: RootQuery }\ntype RootQuery { hello: String }"})
    assert "  query: Query\n" in sdl
    assert "type Query @join__type(graph: A) {\n  hello: String\n}" in sdl
    assert "RootQuery" not in sdl


def test_renamed_federation_imports_are_understood(supergraph_of: SupergraphOf) -> None:
    sdl = supergraph_of(
        {
            "a": 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", '
            'import: [{name: "@key", as: "@primaryKey"}])\n'
            'type Query { u: U @federation__shareable }\ntype U @primaryKey(fields: "id") { id: ID! }',
            "b": 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])\n'
            'type Query { u: U @shareable }\ntype U @key(fields: "id") { id: ID! }',
        }
    )
    assert 'type U @join__type(graph: A, key: "id") @join__type(graph: B, key: "id") {' in sdl


@pytest.mark.parametrize(
    ("sources", "code", "fragment"),
    [
        ([], "INVALID_SUBGRAPH_NAME", "No subgraph was given"),
        (
            [SubgraphSource("", "http://x", "type Query { a: Int }")],
            "INVALID_SUBGRAPH_NAME",
            "empty or reserved",
        ),
        (
            [SubgraphSource("a", "http://x", "type Query { a: Int }")] * 2,
            "INVALID_SUBGRAPH_NAME",
            "used more than once",
        ),
        ([SubgraphSource("a", "http://x", "type Query {")], "INVALID_GRAPHQL", "does not parse"),
        ([SubgraphSource("a", "http://x", "type Query { a: Int }")], "INVALID_LINK_DIRECTIVE_USAGE", "@link"),
        (
            [
                SubgraphSource(
                    "a", "http://x", 'extend schema @link(url: "https://specs.apollo.dev/federation/v1.0")'
                )
            ],
            "UNKNOWN_FEDERATION_LINK_VERSION",
            "federation/v1.0",
        ),
        (
            [
                SubgraphSource(
                    "a",
                    "http://x",
                    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3")\n'
                    'type Query { a: U }\ntype U @key(fields: "id") { id: ID! }',
                )
            ],
            "INVALID_GRAPHQL",
            "Unknown directive '@key'",
        ),
    ],
)
def test_bad_subgraphs_fail_with_a_code(sources: list[SubgraphSource], code: str, fragment: str) -> None:
    result = compose(sources)
    assert isinstance(result, Failure)
    assert [e.code for e in result.errors] == [code]
    assert fragment in result.errors[0].message
    assert result.errors[0].message.endswith(".")


def test_errors_render_with_their_code(compose_sdls: ComposeSdls) -> None:
    result = compose_sdls({"a": "type Query { a: Missing }"})
    assert isinstance(result, Failure)
    assert str(result.errors[0]).startswith(
        "[INVALID_GRAPHQL] Subgraph 'a' is not a valid schema: Unknown type"
    )
    assert result.errors[0].subgraphs == ("a",)


def test_custom_directives_are_dropped_with_a_hint(compose_sdls: ComposeSdls) -> None:
    result = compose_sdls(
        {"a": "directive @cached(ttl: Int) on FIELD_DEFINITION\ntype Query { a: Int @cached(ttl: 5) }"}
    )
    assert isinstance(result, Success)
    assert "@cached" not in result.supergraph_sdl
    assert [h.code for h in result.hints] == ["DROPPED_CUSTOM_DIRECTIVE"]
    assert "['@cached']" in result.hints[0].message


@pytest.mark.parametrize("registry", [ERROR_CODES, HINT_CODES], ids=["errors", "hints"])
def test_every_registered_code_is_used(registry: dict[str, str]) -> None:
    package = Path(composition.__file__).parent
    sources = "".join(p.read_text() for p in package.glob("*.py") if p.name not in {"errors.py", "hints.py"})
    for code in registry:
        assert f'"{code}"' in sources, code


@pytest.mark.parametrize("fixture_set", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_gateway_loads_every_composed_fixture(fixture_set: str) -> None:
    result = compose(_fixture_sources(fixture_set))
    assert isinstance(result, Success)
    load_supergraph(result.supergraph_sdl)
