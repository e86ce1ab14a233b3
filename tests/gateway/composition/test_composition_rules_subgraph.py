"""Per-subgraph rules: each rule's error code and message, and a valid counterpart without errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gateway.composition import CompositionResult, Failure, Success

ComposeSdls = Callable[[dict[str, str]], CompositionResult]

BASE = 'type Query { u: U }\ntype U @key(fields: "id") { id: ID! w: Int @shareable }'


@pytest.mark.parametrize(
    ("subgraphs", "code", "fragment"),
    [
        pytest.param(
            {"a": 'type Query { u: U }\ntype U @key(fields: "nope") { id: ID! }'},
            "KEY_INVALID_FIELDS",
            "field 'U.nope' does not exist",
            id="key-unknown-field",
        ),
        pytest.param(
            {"a": 'type Query { u: U }\ntype U @key(fields: "id {") { id: ID! }'},
            "KEY_INVALID_FIELDS",
            "does not parse",
            id="key-syntax",
        ),
        pytest.param(
            {"a": 'type Query { u: U }\ntype U @key(fields: "id") { id(x: Int): ID! }'},
            "KEY_FIELDS_HAS_ARGS",
            "'U.id', which takes arguments",
            id="key-args",
        ),
        pytest.param(
            {"a": 'type Query { u: U }\ninterface I { x: Int }\ntype U @key(fields: "i { x }") { i: I! }'},
            "KEY_FIELDS_SELECT_INVALID_TYPE",
            "'U.i' of type 'I!'",
            id="key-interface",
        ),
        pytest.param(
            {"a": BASE, "b": 'type U @key(fields: "id") { id: ID! x: Int @requires(fields: "nope") }'},
            "REQUIRES_INVALID_FIELDS",
            "field 'U.nope' does not exist",
            id="requires-unknown",
        ),
        pytest.param(
            {
                "a": BASE,
                "b": 'type U @key(fields: "id") { id: ID! w: Int @shareable x: Int @requires(fields: "w") }',
            },
            "REQUIRES_FIELDS_MISSING_EXTERNAL",
            "selects 'U.w', which is not @external there",
            id="requires-not-external",
        ),
        pytest.param(
            {"a": 'type Query { a: Int @provides(fields: "x") }'},
            "PROVIDES_ON_NON_OBJECT_FIELD",
            "on a field of type 'Int'",
            id="provides-scalar",
        ),
        pytest.param(
            {
                "a": BASE,
                "b": 'type Query { b: U @provides(fields: "nope") }\ntype U @key(fields: "id") { id: ID! }',
            },
            "PROVIDES_INVALID_FIELDS",
            "field 'U.nope' does not exist",
            id="provides-unknown",
        ),
        pytest.param(
            {
                "a": BASE,
                "b": 'type Query { b: U @provides(fields: "w") }\ntype U @key(fields: "id") { id: ID! w: Int @shareable }',
            },
            "PROVIDES_FIELDS_MISSING_EXTERNAL",
            "selects 'U.w', which is not @external there",
            id="provides-not-external",
        ),
        pytest.param(
            {"a": BASE, "b": 'type U @key(fields: "id") { id: ID! w: Int @external }'},
            "EXTERNAL_UNUSED",
            "Field 'U.w' is @external in subgraph 'b' but no @key, @requires or @provides uses it",
            id="external-unused",
        ),
        pytest.param(
            {"a": 'type Query { u: U }\ntype U @key(fields: "id") { id: ID! x: Int @override(from: "a") }'},
            "OVERRIDE_FROM_SELF_ERROR",
            "uses @override(from: 'a'), its own subgraph",
            id="override-self",
        ),
        pytest.param(
            {
                "a": 'type Query { u: U }\ntype U @key(fields: "id") { id: ID! x: Int }',
                "b": 'type U @key(fields: "id") { id: ID! x: Int @override(from: "a") @external }',
            },
            "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE",
            "is both @override and @external",
            id="override-external",
        ),
    ],
)
def test_rule_reports_its_code(
    compose_sdls: ComposeSdls, subgraphs: dict[str, str], code: str, fragment: str
) -> None:
    result = compose_sdls(subgraphs)
    assert isinstance(result, Failure)
    matching = [e for e in result.errors if e.code == code]
    assert matching, [str(e) for e in result.errors]
    assert fragment in matching[0].message
    assert matching[0].message.endswith(".")


@pytest.mark.parametrize(
    "subgraphs",
    [
        pytest.param(
            {
                "a": 'type Query { u: U }\ntype U @key(fields: "id sku") @key(fields: "o { id }") '
                "{ id: ID! sku: String! o: O! }\ntype O { id: ID! }"
            },
            id="compound-and-nested-keys",
        ),
        pytest.param(
            {
                "a": BASE,
                "b": 'type U @key(fields: "id") { id: ID! w: Int @external x: Int @requires(fields: "w") }',
            },
            id="requires-external",
        ),
        pytest.param(
            {
                "a": BASE,
                "b": 'type Query { b: U @provides(fields: "w") }\ntype U @key(fields: "id") { id: ID! w: Int @external }',
            },
            id="provides-external",
        ),
        pytest.param(
            {
                "a": 'type Query { u: U }\ninterface Named { w: Int }\ntype U @key(fields: "id") { id: ID! w: Int @shareable }',
                "b": 'interface Named { w: Int }\ntype U implements Named @key(fields: "id") { id: ID! w: Int @external }',
            },
            id="external-for-interface",
        ),
    ],
)
def test_valid_directives_compose(compose_sdls: ComposeSdls, subgraphs: dict[str, str]) -> None:
    result = compose_sdls(subgraphs)
    assert isinstance(result, Success), getattr(result, "errors", None)
