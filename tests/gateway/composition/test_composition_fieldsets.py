"""Field sets: parsing, top-level names, resolution against a subgraph."""

from __future__ import annotations

import pytest
from graphql import GraphQLSyntaxError

from gateway.composition import SubgraphSource
from gateway.composition.fieldsets import parse_field_set, resolve_field_set, top_level_fields
from gateway.composition.model import Subgraph
from gateway.composition.subgraphs import read_subgraph

SDL = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { p: Product }
type Product @key(fields: "id") { id: ID! owner: Owner tags: [String!] media: Media }
type Owner { id: ID! name: String }
union Media = Photo
type Photo { url: String }
"""


@pytest.fixture
def subgraph() -> Subgraph:
    read = read_subgraph(SubgraphSource("s", "http://s", SDL))
    assert isinstance(read, Subgraph)
    return read


def test_top_level_fields() -> None:
    assert top_level_fields("id owner { id } ... on X { y }") == ["id", "owner"]
    assert top_level_fields("id {") == []


def test_parse_rejects_non_selection_sets() -> None:
    with pytest.raises(GraphQLSyntaxError):
        parse_field_set("a } query B { c")


def test_resolves_nested_and_fragments(subgraph: Subgraph) -> None:
    resolution = resolve_field_set(
        subgraph, "Product", "id owner { name } media { ... on Photo { url } } __typename"
    )
    assert resolution.problems == []
    assert [(s.parent, s.field.name) for s in resolution.selected] == [
        ("Product", "id"),
        ("Product", "owner"),
        ("Owner", "name"),
        ("Product", "media"),
        ("Photo", "url"),
    ]


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ("nope", "field 'Product.nope' does not exist"),
        ("owner", "field 'Product.owner' has a composite type and needs a selection"),
        ("id { x }", "field 'Product.id' is a leaf and cannot have a selection"),
        ("media { ... on Video { url } }", "type 'Video' does not exist in the subgraph"),
        ("id {", "does not parse"),
    ],
)
def test_reports_problems(subgraph: Subgraph, fields: str, problem: str) -> None:
    assert any(problem in p for p in resolve_field_set(subgraph, "Product", fields).problems)
