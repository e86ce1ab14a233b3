"""Type references: named types and the output/input merge of nullability."""

from __future__ import annotations

import pytest

from gateway.composition.typerefs import input_type_of, is_non_null, named_type, output_type_of


@pytest.mark.parametrize(("reference", "expected"), [("ID", "ID"), ("[ID!]!", "ID"), ("[[Int]]", "Int")])
def test_named_type(reference: str, expected: str) -> None:
    assert named_type(reference) == expected


def test_is_non_null() -> None:
    assert is_non_null("[Int]!")
    assert not is_non_null("[Int!]")


@pytest.mark.parametrize(
    ("references", "output", "input_"),
    [
        (["String", "String!"], "String", "String!"),
        (["[Int!]!", "[Int]"], "[Int]", None),
        (["[Int!]!", "[Int!]"], "[Int!]", "[Int!]!"),
        (["[Int!]", "[Int!]"], "[Int!]", "[Int!]"),
        (["Int", "String"], None, None),
        (["Int", "[Int]"], None, None),
        (["[[Int]]", "[Int]"], None, None),
    ],
)
def test_merge(references: list[str], output: str | None, input_: str | None) -> None:
    assert output_type_of(references) == output
    assert input_type_of(references) == input_


def test_output_merge_takes_the_abstract_type() -> None:
    subtypes = {"Node": frozenset({"Item"})}
    assert output_type_of(["Item!", "Node"], subtypes) == "Node"
    assert output_type_of(["[Node!]", "[Item!]!"], subtypes) == "[Node!]"
    assert output_type_of(["Item", "Other"], subtypes) is None
    assert input_type_of(["Item", "Node"]) is None
