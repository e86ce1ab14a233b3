"""Reading the federation ``@link``: versions, imports, aliases and prefixed names."""

from __future__ import annotations

from graphql import parse

from gateway.composition.federation_spec import (
    FEDERATION_DIRECTIVES,
    FederationLink,
    LinkProblem,
    directive_definitions,
    read_federation_link,
)


def test_imports_aliases_and_prefixes() -> None:
    link = read_federation_link(
        parse(
            'schema @link(url: "https://specs.apollo.dev/federation/v2.11", '
            'import: ["@key", {name: "@shareable", as: "@share"}, "@unknown", 42]) { query: Q }\ntype Q { a: Int }'
        )
    )
    assert isinstance(link, FederationLink)
    assert link.version == "v2.11"
    assert link.names["key"] == "key"
    assert link.names["shareable"] == "share"
    assert link.names["requires"] == "federation__requires"


def test_other_links_are_ignored_and_missing_federation_is_reported() -> None:
    link = read_federation_link(parse('extend schema @link(url: "https://specs.apollo.dev/tag/v0.3")'))
    assert isinstance(link, LinkProblem)
    assert link.code == "INVALID_LINK_DIRECTIVE_USAGE"


def test_unknown_major_version() -> None:
    link = read_federation_link(parse('extend schema @link(url: "https://specs.apollo.dev/federation/v3.0")'))
    assert isinstance(link, LinkProblem)
    assert link.code == "UNKNOWN_FEDERATION_LINK_VERSION"


def test_definitions_use_local_names_and_skip_defined_ones() -> None:
    names = {name: f"federation__{name}" for name in FEDERATION_DIRECTIVES} | {"key": "primaryKey"}
    text = directive_definitions(FederationLink("v2.3", names), frozenset({"federation__tag"}))
    assert "directive @primaryKey(fields: String!, resolvable: Boolean = true) repeatable on OBJECT" in text
    assert "directive @federation__requires(fields: String!) on FIELD_DEFINITION" in text
    assert "@federation__tag" not in text
