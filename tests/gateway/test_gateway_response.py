from __future__ import annotations

from typing import Any

import pytest
from graphql import FragmentDefinitionNode, OperationDefinitionNode, build_schema, parse

from gateway.response import OperationShaper, ShapedResult, condition_variables
from gateway.types import JSONObject

SCHEMA = build_schema(
    """
    interface Node { id: ID! }
    type Product implements Node { id: ID! name: String price: Int! kind: Kind tags: [String!] }
    type User implements Node { id: ID! email: String! friends: [User!]! }
    enum Kind { NEW USED }
    union SearchResult = Product | User
    type Query {
      node(id: ID!): Node
      search: [SearchResult!]
      top: [Product!]!
      me: User
      version: String
    }
    type Mutation { rename(name: String!): Product }
    """
)


def shape(
    query: str, data: JSONObject | None, variables: dict[str, Any] | None = None, **kw: Any
) -> ShapedResult:
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    return OperationShaper(SCHEMA, operation, fragments).shape(data, variables or {}, **kw)


def test_aliases_field_order_and_unrequested_fields() -> None:
    result = shape(
        "{ me { mail: email id } version }",
        {"version": "1", "me": {"__typename": "User", "id": "u", "mail": "a@b", "email": "x", "secret": 1}},
    )
    assert result.errors == []
    assert result.data == {"me": {"mail": "a@b", "id": "u"}, "version": "1"}
    assert list(result.data["me"]) == ["mail", "id"]


def test_fragments_on_abstract_types_resolve_by_typename() -> None:
    query = """
    { search { __typename ... on Product { name } ...U } node(id: 1) { id ... on User { email } } }
    fragment U on User { email ... on Node { id } }
    """
    data: JSONObject = {
        "search": [
            {"__typename": "Product", "name": "T", "email": "no"},
            {"__typename": "User", "email": "e", "id": "1"},
        ],
        "node": {"__typename": "Product", "id": "p"},
    }
    result = shape(query, data)
    assert result.data == {
        "search": [{"__typename": "Product", "name": "T"}, {"__typename": "User", "email": "e", "id": "1"}],
        "node": {"id": "p"},
    }


def test_typename_is_filled_for_objects_and_root() -> None:
    result = shape("{ __typename me { __typename } }", {"me": {}})
    assert result.data == {"__typename": "Query", "me": {"__typename": "User"}}
    assert shape("mutation { __typename }", {}).data == {"__typename": "Mutation"}


def test_skip_and_include_with_variables_and_literals() -> None:
    query = """query ($s: Boolean!, $i: Boolean!) {
      me { id @skip(if: $s) email @include(if: $i) friends @include(if: false) { id } }
      version @skip(if: true)
    }"""
    data: JSONObject = {"me": {"id": "1", "email": "e"}, "version": "v"}
    assert shape(query, data, {"s": True, "i": True}).data == {"me": {"email": "e"}}
    assert shape(query, data, {"s": False, "i": False}).data == {"me": {"id": "1"}}


def test_null_in_non_null_field_bubbles_to_nearest_nullable_parent() -> None:
    result = shape("{ me { id email } version }", {"me": {"id": "1", "email": None}, "version": "v"})
    assert result.data == {"me": None, "version": "v"}
    assert result.errors == [
        {
            "message": "Cannot return null for non-nullable field User.email.",
            "path": ["me", "email"],
            "extensions": {"code": "DOWNSTREAM_SERVICE_ERROR"},
        }
    ]


def test_null_bubbles_through_non_null_lists_to_data() -> None:
    result = shape("{ top { id price } }", {"top": [{"id": "1", "price": 1}, {"id": "2", "price": None}]})
    assert result.data is None
    assert result.errors[0]["path"] == ["top", 1, "price"]


def test_null_item_in_nullable_list_of_non_null_nulls_the_list() -> None:
    result = shape(
        "{ search { ... on Product { id } } }", {"search": [{"__typename": "Product", "id": "1"}, None]}
    )
    assert result.data == {"search": None}
    assert result.errors[0]["path"] == ["search", 1]


def test_missing_fields_count_as_null() -> None:
    result = shape("{ me { id } version }", {})
    assert result.data == {"me": None, "version": None}
    assert result.errors == []


def test_no_duplicate_error_where_a_subgraph_error_exists() -> None:
    upstream = [{"message": "boom", "path": ["me", "email"]}]
    result = shape("{ me { email } }", {"me": {"email": None}}, upstream_errors=upstream)
    assert result.data == {"me": None}
    assert result.errors == []


def test_an_error_above_explains_the_nulls_below_it() -> None:
    # client_info answered NOT_FOUND for the client of item 1: its fields are missing, and that
    # one error is the explanation; the rest of the list is unharmed.
    data = {"search": [{"__typename": "User", "id": "1", "email": "a"}, {"__typename": "User", "id": "2"}]}
    upstream = [{"message": "No user.", "path": ["search", 1], "extensions": {"code": "NOT_FOUND"}}]
    result = shape("{ search { ... on User { id email } } }", data, upstream_errors=upstream)
    assert result.errors == []


def test_every_shaping_error_has_a_code() -> None:
    results = [
        shape("{ top { id price } }", {"top": [{"id": "1", "price": None}]}),
        shape("{ top { kind } }", {"top": [{"kind": "BROKEN"}]}),
        shape("{ search { ... on User { id } } }", {"search": [{"id": "1"}]}),
        shape("{ me { id } }", {"me": "not an object"}),
    ]
    errors = [error for result in results for error in result.errors]
    assert len(errors) == 4
    assert {error["extensions"]["code"] for error in errors} == {"DOWNSTREAM_SERVICE_ERROR"}


def test_enum_values_are_checked() -> None:
    result = shape("{ top { kind } }", {"top": [{"kind": "NEW"}, {"kind": "BROKEN"}]})
    assert result.data == {"top": [{"kind": "NEW"}, {"kind": None}]}
    assert result.errors == [
        {
            "message": "Enum 'Kind' cannot represent value: 'BROKEN'.",
            "path": ["top", 1, "kind"],
            "extensions": {"code": "DOWNSTREAM_SERVICE_ERROR"},
        }
    ]


def test_no_second_error_for_a_null_a_subgraph_error_below_explains() -> None:
    # The subgraph's ``friends.0.email`` failed and it nulled ``friends`` itself; the gateway sees
    # ``friends`` missing, which that error already explains.
    upstream = [{"message": "boom", "path": ["me", "friends", 0, "email"]}]
    result = shape("{ me { friends { email } } }", {"me": {}}, upstream_errors=upstream)
    assert result.data == {"me": None}
    assert result.errors == []


def test_no_second_error_for_a_field_of_an_object_whose_fetch_failed() -> None:
    upstream = [{"message": "down", "path": ["me"], "extensions": {"code": "SUBGRAPH_UNAVAILABLE"}}]
    result = shape("{ me { email } version }", {"me": {}, "version": "1"}, upstream_errors=upstream)
    assert result.data == {"me": None, "version": "1"}
    assert result.errors == []


def test_an_unexplained_null_still_gets_its_error() -> None:
    upstream = [{"message": "boom", "path": ["version"]}]
    result = shape("{ me { email } version }", {"me": {}, "version": None}, upstream_errors=upstream)
    assert result.errors == [
        {
            "message": "Cannot return null for non-nullable field User.email.",
            "path": ["me", "email"],
            "extensions": {"code": "DOWNSTREAM_SERVICE_ERROR"},
        }
    ]


def test_union_value_without_typename_is_an_error() -> None:
    result = shape("{ search { ... on User { id } } }", {"search": [{"id": "1"}]})
    assert result.data == {"search": None}
    assert "runtime type" in result.errors[0]["message"]


@pytest.mark.parametrize("fast_path", [True, False])
@pytest.mark.parametrize("typename", [None, "Node"])
def test_interface_value_without_concrete_typename_keeps_interface_fields(
    fast_path: bool, typename: str | None
) -> None:
    # An @interfaceObject subgraph knows only the interface; no subgraph may know the object's
    # concrete type. Its interface-level fields are shaped; fragments on implementations are not.
    node: JSONObject = {"id": "1", "nid": "1", "email": "e"}
    if typename is not None:
        node["__typename"] = typename
    result = shape(
        "{ node(id: 1) { id ... on Node { nid: id } ... on User { email } } }",
        {"node": node},
        fast_path=fast_path,
    )
    assert result.errors == []
    assert result.data == {"node": {"id": "1", "nid": "1"}}


def test_interface_value_with_unknown_typename_is_an_error() -> None:
    result = shape("{ node(id: 1) { id } }", {"node": {"__typename": "Ghost", "id": "1"}})
    assert result.data == {"node": None}
    assert "runtime type" in result.errors[0]["message"]


def test_wrong_shapes_are_errors() -> None:
    result = shape("{ me { id } top { tags } }", {"me": "oops", "top": [{"tags": "x"}]})
    assert result.data == {"me": None, "top": [{"tags": None}]}
    assert len(result.errors) == 2


def test_lists_of_leaves_and_nested_objects() -> None:
    result = shape(
        "{ me { friends { id friends { id } } } top { tags } }",
        {"me": {"friends": [{"id": "a", "friends": []}]}, "top": [{"tags": ["x", "y"]}]},
    )
    assert result.data == {"me": {"friends": [{"id": "a", "friends": []}]}, "top": [{"tags": ["x", "y"]}]}


def test_same_response_key_selected_twice_merges_subselections() -> None:
    result = shape("{ me { id } me { email } }", {"me": {"id": "1", "email": "e"}})
    assert result.data == {"me": {"id": "1", "email": "e"}}


def test_introspection_fields_pass_through() -> None:
    result = shape(
        "{ __schema { queryType { name } } version }", {"__schema": {"queryType": {"name": "Query"}}}
    )
    assert result.data == {"__schema": {"queryType": {"name": "Query"}}, "version": None}


def test_data_is_not_modified() -> None:
    data: JSONObject = {"me": {"id": "1", "extra": 2}}
    shape("{ me { id } }", data)
    assert data == {"me": {"id": "1", "extra": 2}}


def test_condition_variables_are_collected_from_fragments() -> None:
    document = parse(
        "query { ...F me { id @skip(if: $a) } } fragment F on Query { version @include(if: $b) }"
    )
    operation = document.definitions[0]
    fragment = document.definitions[1]
    assert isinstance(operation, OperationDefinitionNode)
    assert isinstance(fragment, FragmentDefinitionNode)
    assert condition_variables(operation, {"F": fragment}) == ("a", "b")


def test_schema_without_mutation_root_is_rejected() -> None:
    schema = build_schema("type Query { a: Int }")
    operation = parse("mutation { a }").definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    with pytest.raises(ValueError, match="no root type"):
        OperationShaper(schema, operation, {})


def test_fast_path_is_used_for_well_formed_data() -> None:
    document = parse("{ me { id email friends { id } } search { ... on Product { kind tags } } }")
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    shaper = OperationShaper(SCHEMA, operation, {})
    data: JSONObject = {
        "me": {"id": "1", "email": "e", "friends": [{"id": "2"}]},
        "search": [{"__typename": "Product", "kind": "NEW", "tags": ["a"]}, {"__typename": "User"}],
    }
    _plan, fast = shaper._root_plan({})
    assert fast(data) == shaper.shape(data, {}, fast_path=False).data
