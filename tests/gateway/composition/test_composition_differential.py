"""Seeded differential test: random subgraph sets composed by us and by The Guild's composer.

A small generator builds 2–3 subgraphs sharing two entities, a value type, an enum,
an input type and a union, with random ``@shareable``/``@external``/``@requires``/
``@override``/``@inaccessible``/``@tag`` placements. Many sets are invalid on
purpose. For every seed both composers must agree: both succeed with semantically
equal supergraphs (see ``conftest.semantics_of``), or both fail with at least one
error code in common. Seeds are fixed, so a failure is reproducible by its seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from gateway.composition import CompositionResult, Failure, SubgraphSource, Success, compose

SEEDS = range(0, 200)
SourcesFactory = Callable[[dict[str, str]], list[SubgraphSource]]
SemanticView = Callable[[str], dict[str, Any]]


def _entity(
    rng: random.Random, name: str, subgraph: str, others: list[str], strict: bool
) -> tuple[str, bool]:
    field_types = {"f0": "Int", "f1": "String", "f2": "Int", "f3": "String"}
    fields = ["id: ID!"]
    for field in rng.sample(sorted(field_types), rng.randint(0, 3)):
        type_ = field_types[field] + ("!" if rng.random() < 0.15 else "")
        roll = rng.random()
        directives = []
        if roll < (0.85 if strict else 0.6):
            directives.append("@shareable")
        elif roll < (0.9 if strict else 0.7):
            directives.append("@external")
        elif roll < (0.95 if strict else 0.8):
            directives.append(f'@override(from: "{rng.choice(others)}")')
        if rng.random() < 0.08:
            directives.append("@inaccessible")
        if rng.random() < 0.08:
            directives.append(f'@tag(name: "t{rng.randint(0, 2)}")')
        fields.append(f"{field}: {type_} {' '.join(directives)}".strip())
    external = [f.split(":")[0] for f in fields if "@external" in f]
    if external and rng.random() < 0.8:
        fields.append(f'needs: Int @requires(fields: "{external[0]}")')
    resolvable = ", resolvable: false" if rng.random() < 0.15 else ""
    return f'type {name} @key(fields: "id"{resolvable}) {{ {" ".join(fields)} }}', rng.random() < 0.6


def generate(seed: int) -> dict[str, str]:
    """Random SDL (without the ``@link`` header) for 2–3 subgraphs named a, b, c."""
    rng = random.Random(seed)
    strict = seed % 2 == 0  # even seeds: mostly valid sets; odd seeds: mostly invalid ones
    names = ["a", "b", "c"][: rng.randint(2, 3)]
    types: dict[str, list[str]] = {n: [] for n in names}
    queries: dict[str, list[str]] = {n: [] for n in names}
    for entity in ("E1", "E2"):
        for subgraph in rng.sample(names, rng.randint(1, len(names))):
            definition, queried = _entity(rng, entity, subgraph, [n for n in names if n != subgraph], strict)
            types[subgraph].append(definition)
            if queried:
                queries[subgraph].append(f"q{entity}{subgraph}(level: Level): {entity}")
    for subgraph in names:
        if rng.random() < 0.6:
            value_fields = rng.sample(["x: Int", "y: String", "z: [Int!]"], rng.randint(1, 3))
            types[subgraph].append(f"type V @shareable {{ {' '.join(value_fields)} }}")
            queries[subgraph].append("v: V @shareable")
        values = ["A", "B"] + (["C"] if rng.random() < (0.2 if strict else 0.5) else [])
        types[subgraph].append(f"enum Level {{ {' '.join(values)} }}")
        if rng.random() < 0.4:
            queries[subgraph].append(f"level{subgraph}: Level")
        if rng.random() < 0.5:
            extra = rng.sample(["q: String", "r: Int = 1", "s: Int!"], rng.randint(0, 1 if strict else 2))
            types[subgraph].append(f"input In {{ p: Int {' '.join(extra)} }}")
            queries[subgraph].append(f"search{subgraph}(in: In): Int")
        members = [e for e in ("E1", "E2") if any(t.startswith(f"type {e} ") for t in types[subgraph])]
        if members and rng.random() < 0.4:
            types[subgraph].append(f"union U = {' | '.join(members)}")
            queries[subgraph].append(f"u{subgraph}: [U]")
    result: dict[str, str] = {}
    for subgraph in names:
        query = queries[subgraph] or [f"ping{subgraph}: Int"]
        result[subgraph] = "\n".join([*types[subgraph], f"type Query {{ {' '.join(query)} }}"])
    return result


def _disagreement(reference: dict[str, Any], ours: CompositionResult, view: SemanticView) -> str | None:
    if "errors" in reference:
        codes = {e["code"] for e in reference["errors"]}
        if isinstance(ours, Success):
            return f"reference failed with {sorted(codes)}, we succeeded"
        if not codes & {e.code for e in ours.errors}:
            return f"reference codes {sorted(codes)}, ours {sorted({e.code for e in ours.errors})}"
        return None
    if isinstance(ours, Failure):
        return f"reference succeeded, we failed: {[str(e) for e in ours.errors]}"
    expected, actual = view(reference["supergraphSdl"]), view(ours.supergraph_sdl)
    if expected == actual:
        return None
    differing = sorted(
        n
        for n in {*expected["types"], *actual["types"]}
        if expected["types"].get(n) != actual["types"].get(n)
    )
    return f"supergraphs differ in types {differing}"


def test_random_subgraph_sets_agree_with_reference(
    reference_composer: Any, sources_factory: SourcesFactory, supergraph_semantics: SemanticView
) -> None:
    jobs = [sources_factory(generate(seed)) for seed in SEEDS]
    batch: Callable[[list[list[SubgraphSource]]], list[dict[str, Any]]] = reference_composer.batch
    references = batch(jobs)
    problems = []
    outcomes = {"both succeeded": 0, "both failed": 0}
    for seed, sources, reference in zip(SEEDS, jobs, references, strict=True):
        ours = compose(sources)
        problem = _disagreement(reference, ours, supergraph_semantics)
        if problem is not None:
            problems.append(f"seed {seed}: {problem}")
        else:
            outcomes["both succeeded" if isinstance(ours, Success) else "both failed"] += 1
    assert not problems, "\n".join(problems)
    assert outcomes["both succeeded"] >= len(SEEDS) // 5, outcomes  # the generator still exercises success
