from __future__ import annotations

from graphql import FragmentDefinitionNode, OperationDefinitionNode, build_schema, parse

from gateway.operation_limits import OperationMeasures, count_tokens, measure_operation, violations
from gateway.partners import OperationLimits

SCHEMA = build_schema(
    """
    type Query { clients(first: Int, ids: [ID!]): [Client!]!  client(id: ID!): Client }
    type Client { id: ID! name: String applications(first: Int): [Application!]! friend: Client }
    type Application { id: ID! number: String }
    """
)


def _measure(query: str, variables: dict[str, object] | None = None) -> OperationMeasures:
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    return measure_operation(SCHEMA, operation, fragments, variables, default_list_size=10)


def test_depth_counts_nested_selection_sets_through_fragments() -> None:
    measures = _measure("{ client(id: 1) { ...F } } fragment F on Client { friend { friend { id } } }")
    assert measures.depth == 4


def test_aliases_and_root_fields_are_counted() -> None:
    measures = _measure(
        "{ a: client(id: 1) { id } b: client(id: 2) { id } ... on Query { client(id: 3) { id } } }"
    )
    assert measures.aliases == 2
    assert measures.root_fields == 3


def test_cost_multiplies_by_list_sizes() -> None:
    # clients(first: 5): 1, then 5 x (id + applications) = 10, then 5 x 3 x (id, number) = 30
    measures = _measure("{ clients(first: 5) { id applications(first: 3) { id number } } }")
    assert measures.cost == 1 + 10 + 30


def test_cost_uses_variables_ids_and_the_default_size() -> None:
    assert _measure("query($n: Int) { clients(first: $n) { id } }", {"n": 7}).cost == 1 + 7
    assert _measure('{ clients(ids: ["a", "b"]) { id } }').cost == 1 + 2
    assert _measure("{ clients { id } }").cost == 1 + 10


def test_cyclic_fragments_do_not_loop() -> None:
    measures = _measure("{ client(id: 1) { ...A } } fragment A on Client { friend { ...A } }")
    assert measures.depth == 3


def test_violations_name_each_exceeded_limit() -> None:
    found = violations(
        OperationMeasures(depth=9, aliases=40, root_fields=1, cost=1), OperationLimits(max_depth=8)
    )
    assert [code for code, _ in found] == ["DEPTH_LIMIT_EXCEEDED", "QUERY_TOO_COMPLEX"]
    assert "nests 9 levels deep; the limit is 8" in found[0][1]
    assert not violations(OperationMeasures(1, 0, 1, 1), OperationLimits())


def test_tokens_are_counted_lexically() -> None:
    assert count_tokens("{ client(id: 1) { id } }") == 11
