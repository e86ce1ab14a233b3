"""``without_conditions`` evaluates @skip/@include away and keeps the document valid and equivalent."""

from __future__ import annotations

from graphql import graphql_sync, parse, validate

from bench.differential.rewrite import without_conditions
from bench.differential.worlds import media_world

QUERY = """
query Q($v: Boolean!, $x: ID!) {
  person(id: $x) { born @include(if: $v) born ...F @skip(if: true) ... on Person @include(if: $v) { name } }
  media(first: 2) { title @skip(if: $v) ... @include(if: $v) { id } }
}
fragment F on Person { id ...G }
fragment G on Person { id }
"""


def test_excluded_selections_unused_fragments_and_variables_go() -> None:
    rewritten = without_conditions(QUERY, {"v": False, "x": "p1"})
    assert rewritten is not None
    assert "@skip" not in rewritten
    assert "@include" not in rewritten
    assert "fragment" not in rewritten
    assert "$v" not in rewritten
    assert "$x: ID!" in rewritten


def test_the_rewrite_answers_like_the_original() -> None:
    world = media_world()
    assert world.oracle is not None
    for v in (False, True):
        variables = {"v": v, "x": "p2"}
        rewritten = without_conditions(QUERY, variables)
        assert rewritten is not None
        assert not validate(world.oracle, parse(rewritten))
        expected = graphql_sync(world.oracle, QUERY, variable_values=variables).data
        assert graphql_sync(world.oracle, rewritten, variable_values=variables).data == expected


def test_a_field_left_with_nothing_keeps_a_skipped_typename() -> None:
    assert without_conditions("{ person(id: 1) { born @skip(if: true) } }", {}) == (
        "{\n  person(id: 1) {\n    __typename @skip(if: true)\n  }\n}"
    )


def test_an_operation_left_with_nothing_has_no_rewrite() -> None:
    assert without_conditions("{ person(id: 1) @skip(if: true) { born } }", {}) is None
