"""The simple satisfiability check: fields must be reachable where their type is reached."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gateway.composition import CompositionResult, Failure, SubgraphSource, Success
from gateway.composition.model import Subgraph
from gateway.composition.satisfiability import reachable_types
from gateway.composition.subgraphs import read_subgraph

ComposeSdls = Callable[[dict[str, str]], CompositionResult]


def test_value_type_with_a_subgraph_specific_field_is_unsatisfiable(compose_sdls: ComposeSdls) -> None:
    result = compose_sdls(
        {
            "a": "type Query { a: V }\ntype V @shareable { x: Int }",
            "b": "type Query { b: V }\ntype V @shareable { x: Int y: Int }",
        }
    )
    assert isinstance(result, Failure)
    assert [e.code for e in result.errors] == ["SATISFIABILITY_ERROR"]
    assert result.errors[0].message.startswith(
        "Field 'V.y' cannot be resolved when 'V' is reached through 'Query.a' (resolved by subgraphs ['a'])"
    )


def test_entity_without_a_key_in_the_reaching_subgraph_is_unsatisfiable(compose_sdls: ComposeSdls) -> None:
    result = compose_sdls(
        {
            "a": 'type Query { a: U }\ntype U @key(fields: "id") { id: ID! }',
            "b": 'type U @key(fields: "sku") { sku: String! extra: Int }',
        }
    )
    assert isinstance(result, Failure)
    messages = [e.message for e in result.errors]
    assert any(m.startswith("Field 'U.extra' cannot be resolved") for m in messages), messages


@pytest.mark.parametrize(
    "subgraphs",
    [
        pytest.param(
            {
                "a": "type Query { v: V @shareable }\ntype V @shareable { x: Int }",
                "b": "type Query { v: V @shareable }\ntype V @shareable { y: Int }",
            },
            id="shared-root-field-reaches-both",
        ),
        pytest.param(
            {
                "a": 'type Query { a: U }\ntype U @key(fields: "id") { id: ID! sku: String! @shareable }',
                "b": 'type U @key(fields: "id") @key(fields: "sku") { id: ID! sku: String! @shareable }',
                "c": 'type U @key(fields: "sku") { sku: String! extra: Int }',
            },
            id="two-key-jumps",
        ),
        pytest.param(
            {
                "a": 'type Query { a: U }\ntype U @key(fields: "id") { id: ID! }',
                "b": 'type U @key(fields: "id") { id: ID! extra: Int }',
            },
            id="one-key-jump",
        ),
    ],
)
def test_key_jumps_make_fields_reachable(compose_sdls: ComposeSdls, subgraphs: dict[str, str]) -> None:
    assert isinstance(compose_sdls(subgraphs), Success)


def test_reachable_types_follow_fields_unions_and_interfaces() -> None:
    subgraph = read_subgraph(
        SubgraphSource(
            "s",
            "http://s",
            'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external"])\n'
            "type Query { i: I u: U }\ninterface I { x: Int }\ntype A implements I { x: Int }\n"
            "union U = B\ntype B { y: Int }\ntype Lonely { z: Int }",
        )
    )
    assert isinstance(subgraph, Subgraph)
    assert reachable_types(subgraph) == {
        "Query": "Query",
        "I": "Query.i",
        "U": "Query.u",
        "A": "Query.i.... on A",
        "B": "Query.u.... on B",
    }
