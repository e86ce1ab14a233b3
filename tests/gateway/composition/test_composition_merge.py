"""Merge stages that are not tied to one feature: graph names, kinds, descriptions."""

from __future__ import annotations

from collections.abc import Callable

from gateway.composition.merge import graph_enum_names

SupergraphOf = Callable[[dict[str, str]], str]
BlockOf = Callable[[str, str], str]


def test_graph_enum_names() -> None:
    assert graph_enum_names(["client_info", "core-app", "core.app", "2fa", "Core_App"]) == {
        "client_info": "CLIENT_INFO",
        "core-app": "CORE_APP",
        "core.app": "CORE_APP_1",
        "2fa": "_2FA",
        "Core_App": "CORE_APP_2",
    }


def test_first_description_wins_and_deprecation_is_kept(
    supergraph_of: SupergraphOf, block_of: BlockOf
) -> None:
    sdl = supergraph_of(
        {
            "a": "type Query { v: V @shareable }\ntype V @shareable { x: Int @deprecated }",
            "b": '"""A value."""\ntype Query { v: V @shareable }\n"""Value."""\ntype V @shareable { x: Int }',
        }
    )
    assert (
        block_of(sdl, "V")
        == '"""Value."""\ntype V @join__type(graph: A) @join__type(graph: B) {\n  x: Int @deprecated\n}\n'
    )
    assert block_of(sdl, "Query").startswith('"""A value."""\ntype Query')


def test_interface_object_fields_reach_implementations(
    supergraph_of: SupergraphOf, block_of: BlockOf
) -> None:
    sdl = supergraph_of(
        {
            "a": 'type Query { m: [Media!]! }\ninterface Media @key(fields: "id") { id: ID! }\n'
            'type Book implements Media @key(fields: "id") { id: ID! }',
            "b": 'type Media @key(fields: "id") @interfaceObject { id: ID! reviews: Int }',
        }
    )
    assert block_of(sdl, "Book") == (
        'type Book implements Media @join__type(graph: A, key: "id") @join__implements(graph: A, interface: "Media") {\n'
        "  id: ID!\n"
        "  reviews: Int @join__field\n"
        "}\n"
    )
