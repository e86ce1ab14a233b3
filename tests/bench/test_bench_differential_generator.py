"""The operation generator draws valid, reproducible operations that use every feature it promises."""

from __future__ import annotations

import re

from graphql import parse, validate

from bench.differential.generator import OperationGenerator
from bench.differential.worlds import media_world
from gateway.supergraph import load_supergraph


def _generator() -> tuple[OperationGenerator, object]:
    world = media_world()
    schema = load_supergraph(world.supergraph_sdl).api_schema
    return OperationGenerator(schema, world.pools), schema


def test_the_same_seed_gives_the_same_operation() -> None:
    generator, _ = _generator()
    assert generator.generate(7) == generator.generate(7)
    assert generator.generate(7) != generator.generate(8)


def test_operations_are_valid_and_their_variables_are_the_declared_ones() -> None:
    generator, schema = _generator()
    for seed in range(200):
        operation = generator.generate(seed)
        assert not validate(schema, parse(operation.document)), operation  # type: ignore[arg-type]
        declared = set(re.findall(r"\$(\w+):", operation.document.split("{", 1)[0]))
        assert declared == set(operation.variables), operation


def test_operations_use_every_feature_the_differential_test_needs() -> None:
    generator, _ = _generator()
    documents = [generator.generate(seed).document for seed in range(400)]
    features = {
        "inline fragment on an interface": r"\.\.\. on Media\b",
        "inline fragment on a union": r"\.\.\. on (SearchResult|Reviewable)\b",
        "named fragment": r"\nfragment F\d+ on ",
        "alias": r"\b\w+[AB]: \w+",
        "__typename": r"__typename",
        "argument literal": r'\((id|term|first): ("|-?\d)',
        "argument variable": r"\((id|term|first): \$x\d+",
        "@skip with a literal": r"@skip\(if: (true|false)\)",
        "@include with a variable": r"@include\(if: \$v\d\)",
        "condition-only fragment": r"\.\.\. @(skip|include)",
    }
    missing = [
        name for name, pattern in features.items() if not any(re.search(pattern, d) for d in documents)
    ]
    assert not missing
