from __future__ import annotations

from graphql import OperationDefinitionNode, build_schema, parse, print_ast

from gateway.execution import ExecutionOutcome
from gateway.execution.introspection import run_introspection, split_introspection

SCHEMA = build_schema("type Query { a: Int b: String }")


def _operation(query: str) -> OperationDefinitionNode:
    operation = parse(query).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return operation


def test_operations_without_introspection_are_not_split() -> None:
    parts = split_introspection(_operation("{ a b }"), {})
    assert parts.introspection is None
    assert parts.data is not None
    assert print_ast(parts.data).split() == ["{", "a", "b", "}"]


def test_introspection_only_needs_no_plan() -> None:
    parts = split_introspection(_operation("{ __typename __schema { queryType { name } } }"), {})
    assert parts.data is None
    assert parts.introspection is not None


def test_mixed_operations_are_split_by_root_field() -> None:
    parts = split_introspection(_operation('query Q { a t: __type(name: "Query") { name } }'), {})
    assert parts.data is not None
    assert parts.introspection is not None
    assert "__type" not in print_ast(parts.data)
    assert " a" not in print_ast(parts.introspection)


def test_run_introspection_merges_results_and_errors() -> None:
    parts = split_introspection(_operation("query ($n: String!) { t: __type(name: $n) { name } }"), {})
    assert parts.introspection is not None
    outcome = ExecutionOutcome({"a": 1}, [])
    run_introspection(SCHEMA, parts.introspection, {"n": "Query"}, outcome)
    assert outcome.data == {"a": 1, "t": {"name": "Query"}}
    failing = ExecutionOutcome({}, [])
    run_introspection(SCHEMA, parts.introspection, {}, failing)
    assert failing.errors
