"""Cross-subgraph rules and merge-time mismatches: each error code with its message, and the hints."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gateway.composition import CompositionResult, Failure, Success

ComposeSdls = Callable[[dict[str, str]], CompositionResult]

ENTITY = 'type Query { u: U }\ntype U @key(fields: "id") { id: ID! x: Int }'


@pytest.mark.parametrize(
    ("subgraphs", "code", "fragment"),
    [
        pytest.param(
            {"a": ENTITY, "b": 'type U @key(fields: "id") { id: ID! x: Int }'},
            "INVALID_FIELD_SHARING",
            "Non-shareable field 'U.x' is resolved from subgraphs 'a' and 'b' and defined as non-shareable in ['a', 'b']",
            id="entity-field",
        ),
        pytest.param(
            {"a": "type Query { a: Int }", "b": "type Query { a: Int @shareable }"},
            "INVALID_FIELD_SHARING",
            "non-shareable in ['a']",
            id="root-field-one-side",
        ),
        pytest.param(
            {
                "a": 'type Query { u: U }\ntype U @key(fields: "id") { id: ID! name: String }',
                "b": 'type Query { b: U @provides(fields: "name") }\ntype U @key(fields: "id") { id: ID! name: String @external }',
            },
            "INVALID_FIELD_SHARING",
            "'a' and 'b' (through @provides)",
            id="provides-needs-shareable-owner",
        ),
        pytest.param(
            {
                "a": "type Query { a: V }\ntype V @shareable { x: Int }",
                "b": "type Query { b: V }\ntype V @shareable { x: [Int] }",
            },
            "FIELD_TYPE_MISMATCH",
            "Field 'V.x' has incompatible types across subgraphs: 'Int' in subgraph 'a', '[Int]' in subgraph 'b'",
            id="output-list-depth",
        ),
        pytest.param(
            {
                "a": "type Query { a: V }\ntype V { x: Int }",
                "b": "type Query { b: V }\ninterface V { x: Int }",
            },
            "TYPE_KIND_MISMATCH",
            "Type 'V' is defined with different kinds: object in subgraph 'a', interface in subgraph 'b'",
            id="kind",
        ),
        pytest.param(
            {
                "a": "type Query { a(x: Int): Int @shareable }",
                "b": "type Query { a(x: String): Int @shareable }",
            },
            "FIELD_ARGUMENT_TYPE_MISMATCH",
            "Argument 'Query.a(x:)' has incompatible types",
            id="argument-type",
        ),
        pytest.param(
            {
                "a": "type Query { a(x: Int = 1): Int @shareable }",
                "b": "type Query { a(x: Int = 2): Int @shareable }",
            },
            "FIELD_ARGUMENT_DEFAULT_MISMATCH",
            "different default values across subgraphs: ['1', '2']",
            id="argument-default",
        ),
        pytest.param(
            {"a": "type Query { a(x: Int!): Int @shareable }", "b": "type Query { a: Int @shareable }"},
            "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH",
            "missing from subgraphs ['b']",
            id="required-argument",
        ),
        pytest.param(
            {
                "a": "type Query { a(i: I): Int }\ninput I { x: Int! }",
                "b": "type Query { b(i: I): Int }\ninput I { y: Int }",
            },
            "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH",
            "Input field 'I.x' is required in some subgraphs but missing from ['b']",
            id="required-input-field",
        ),
        pytest.param(
            {
                "a": "type Query { a(i: I): Int }\ninput I { x: Int }",
                "b": "type Query { b(i: I): Int }\ninput I { y: Int }",
            },
            "EMPTY_MERGED_INPUT_TYPE",
            "Input type 'I' has no field defined in every subgraph",
            id="empty-input",
        ),
        pytest.param(
            {
                "a": "type Query { a(i: I): Int }\ninput I { x: Int = 1 }",
                "b": "type Query { b(i: I): Int }\ninput I { x: Int = 2 }",
            },
            "INPUT_FIELD_DEFAULT_MISMATCH",
            "Input field 'I.x' has different default values",
            id="input-default",
        ),
        pytest.param(
            {
                "a": "type Query { a(i: I): Int }\ninput I { x: Int }",
                "b": "type Query { b(i: I): Int }\ninput I { x: String }",
            },
            "FIELD_TYPE_MISMATCH",
            "Input field 'I.x' has incompatible types",
            id="input-type",
        ),
        pytest.param(
            {
                "a": "type Query { a(e: E): E }\nenum E { X Y }",
                "b": "type Query { b(e: E): E }\nenum E { X }",
            },
            "ENUM_VALUE_MISMATCH",
            "values ['Y'] are missing from some of them",
            id="enum-both-ways",
        ),
        pytest.param(
            {
                "a": "type Query { a(e: E): Int }\nenum E { X }",
                "b": "type Query { b(e: E): Int }\nenum E { Y }",
            },
            "EMPTY_MERGED_ENUM_TYPE",
            "Input enum 'E' has no value defined in every subgraph",
            id="enum-empty-input",
        ),
        pytest.param(
            {
                "a": 'type Query { u: U }\ntype U @key(fields: "id") { id: ID! }',
                "b": 'type U @key(fields: "id") { id: ID! w: Int @external x: Int @requires(fields: "w") }',
            },
            "EXTERNAL_MISSING_ON_BASE",
            "Field 'U.w' is @external in every subgraph that declares it ('b')",
            id="external-missing-on-base",
        ),
        pytest.param(
            {
                "a": 'type Query { u: U }\ntype U @key(fields: "id") { id: ID! x: Int @override(from: "b") }',
                "b": 'type U @key(fields: "id") { id: ID! x: Int @override(from: "a") }',
            },
            "OVERRIDE_SOURCE_HAS_OVERRIDE",
            "Field 'U.x' is overridden in a cycle (a -> b -> a)",
            id="override-cycle",
        ),
        pytest.param(
            {
                "a": 'type Query { a: I }\ninterface I { x: Int }\ntype T implements I @key(fields: "id") { id: ID! x: Int }',
                "b": 'type Query { b: Int }\ninterface I { x: Int y: Int }\ntype T @key(fields: "id") { id: ID! z: Int }',
            },
            "INTERFACE_FIELD_NO_IMPLEM",
            "Type 'T' implements 'I' in the supergraph but no subgraph defines 'T.y'",
            id="interface-field",
        ),
        pytest.param(
            {"a": 'type Query { a: I }\ntype I @key(fields: "id") @interfaceObject { id: ID! }'},
            "INTERFACE_OBJECT_USAGE_ERROR",
            "no subgraph defines it as an interface with @key",
            id="interface-object-without-interface",
        ),
        pytest.param(
            {
                "a": 'type Query { u: U @shareable }\ntype U @key(fields: "id") { id: ID! }',
                "b": 'type Query { u: U @shareable }\ntype U @key(fields: "id") { id: ID! }\ntype Mutation { m: Int }',
            },
            None,
            "",
            id="valid-shared-root",
        ),
        pytest.param(
            {"a": "type Query @inaccessible { a: Int }"},
            "QUERY_ROOT_TYPE_INACCESSIBLE",
            "The root Query type is @inaccessible",
            id="query-inaccessible",
        ),
        pytest.param(
            {"a": "type Query { a: V }\ntype V { x: Int @inaccessible }"},
            "ONLY_INACCESSIBLE_CHILDREN",
            "Type 'V' is accessible but all its fields or values are @inaccessible",
            id="only-inaccessible",
        ),
        pytest.param(
            {"a": 'type U @key(fields: "id") { id: ID! }'},
            "NO_QUERIES",
            "No subgraph defines a field of the root Query type",
            id="no-queries",
        ),
    ],
)
def test_rule_reports_its_code(
    compose_sdls: ComposeSdls, subgraphs: dict[str, str], code: str | None, fragment: str
) -> None:
    result = compose_sdls(subgraphs)
    if code is None:
        assert isinstance(result, Success), getattr(result, "errors", None)
        return
    assert isinstance(result, Failure)
    matching = [e for e in result.errors if e.code == code]
    assert matching, [str(e) for e in result.errors]
    assert fragment in matching[0].message
    assert matching[0].message.endswith(".")


@pytest.mark.parametrize(
    ("subgraphs", "code", "fragment"),
    [
        pytest.param(
            {
                "a": '"""One."""\ntype Query { a: Int @shareable }',
                "b": '"""Two."""\ntype Query { a: Int @shareable }',
            },
            "INCONSISTENT_DESCRIPTION",
            "Element 'Query' has different descriptions",
            id="description",
        ),
        pytest.param(
            {
                "a": 'type Query { u: U }\ntype U @key(fields: "id") { id: ID! x: Int @override(from: "nowhere") }'
            },
            "FROM_SUBGRAPH_DOES_NOT_EXIST",
            "names subgraph 'nowhere', which is not part of the composition",
            id="override-unknown-subgraph",
        ),
        pytest.param(
            {
                "a": 'type Query { u: U }\ntype U @key(fields: "id") { id: ID! }',
                "b": 'type U @key(fields: "id") { id: ID! x: Int @override(from: "a") }',
            },
            "OVERRIDE_DIRECTIVE_CAN_BE_REMOVED",
            "which does not declare the field",
            id="override-removable",
        ),
        pytest.param(
            {
                "a": "type Query { a(e: E): Int }\nenum E { X Y }",
                "b": "type Query { b(e: E): Int }\nenum E { X }",
            },
            "INCONSISTENT_ENUM_VALUE_FOR_INPUT_ENUM",
            "Value 'Y' of input enum 'E' is missing from some subgraphs and was dropped",
            id="input-enum-value",
        ),
        pytest.param(
            {
                "a": 'type Query { u: U }\ntype U @key(fields: "id") { id: ID! x: Int }',
                "b": 'type U @key(fields: "id") { id: ID! x: Int @override(from: "a", label: "percent(5)") }',
            },
            "OVERRIDE_LABEL_IGNORED",
            "has label 'percent(5)'; progressive override is not supported",
            id="override-label",
        ),
        pytest.param(
            {"a": "type Query { a: Int }\nenum E { X }"},
            "UNUSED_ENUM_TYPE",
            "Enum 'E' is not used by any field",
            id="unused-enum",
        ),
    ],
)
def test_hints(compose_sdls: ComposeSdls, subgraphs: dict[str, str], code: str, fragment: str) -> None:
    result = compose_sdls(subgraphs)
    assert isinstance(result, Success), getattr(result, "errors", None)
    matching = [h for h in result.hints if h.code == code]
    assert matching, [str(h) for h in result.hints]
    assert fragment in matching[0].message
    assert str(matching[0]).startswith(f"[{code}] ")
