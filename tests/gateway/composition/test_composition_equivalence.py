"""Our supergraphs equal The Guild's ``@theguild/federation-composition`` semantically.

Each fixture set under ``fixtures/`` is composed twice — by :func:`gateway.composition.compose`
and by ``composeServices`` in Node — and the two supergraphs are compared through
``semantics_of`` (see its docstring for the normalisations). Both sides see exactly
the same SDL, except that the ``strawberry`` set (printed by Strawberry, federation
v2.11) is handed to The Guild as v2.9, its newest version (see ``reference_sdl``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from gateway.composition import Failure, SubgraphSource, Success, compose

FixtureLoader = Callable[[str], list[SubgraphSource]]
Batch = Callable[[list[list[SubgraphSource]]], list[dict[str, Any]]]
SemanticView = Callable[[str], dict[str, Any]]
SourcesFactory = Callable[[dict[str, str]], list[SubgraphSource]]

FIXTURE_SETS = [
    "entities",
    "shareable",
    "requires_provides",
    "override",
    "interfaces_unions",
    "enums",
    "inaccessible_tag",
    "value_types",
    "advanced",
    "kitchen_sink",
    "entity_interfaces",
    "abstract_types",
    "interface_object",
    "strawberry",
]
PROJECT_SUBGRAPHS = Path(__file__).parents[3] / "schema" / "subgraphs"
PROJECT_SOURCES = [
    SubgraphSource(f.stem, f"http://{f.stem}.svc/graphql", f.read_text())
    for f in sorted(PROJECT_SUBGRAPHS.glob("*.graphql"))
]
ERROR_CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "error_cases.yaml").read_text()
)


@pytest.fixture(scope="module")
def reference_results(
    reference_composer: Any, load_fixture_set: FixtureLoader, sources_factory: SourcesFactory
) -> dict[str, dict[str, Any]]:
    """Every reference composition this module needs, computed in one Node process."""
    jobs = {f"set:{name}": load_fixture_set(name) for name in FIXTURE_SETS}
    jobs.update({f"case:{i}": sources_factory(case["subgraphs"]) for i, case in enumerate(ERROR_CASES)})
    if PROJECT_SOURCES:
        jobs["project"] = PROJECT_SOURCES
    batch: Batch = reference_composer.batch
    return dict(zip(jobs, batch(list(jobs.values())), strict=True))


def _assert_same_supergraph(
    sources: list[SubgraphSource], reference: dict[str, Any], view: SemanticView
) -> None:
    assert "supergraphSdl" in reference, reference
    ours = compose(sources)
    assert isinstance(ours, Success), ours
    expected = view(reference["supergraphSdl"])
    actual = view(ours.supergraph_sdl)
    assert actual["graphs"] == expected["graphs"]
    assert actual["roots"] == expected["roots"]
    assert actual["links"] == expected["links"]
    assert sorted(actual["types"]) == sorted(expected["types"])
    for name, expected_type in expected["types"].items():
        assert actual["types"][name] == expected_type, name


@pytest.mark.parametrize("fixture_set", FIXTURE_SETS)
def test_supergraph_matches_reference(
    fixture_set: str,
    load_fixture_set: FixtureLoader,
    reference_results: dict[str, dict[str, Any]],
    supergraph_semantics: SemanticView,
) -> None:
    sources = load_fixture_set(fixture_set)
    _assert_same_supergraph(sources, reference_results[f"set:{fixture_set}"], supergraph_semantics)


def test_project_subgraphs_match_reference(
    reference_results: dict[str, dict[str, Any]], supergraph_semantics: SemanticView
) -> None:
    """``schema/subgraphs/*.graphql`` (client_info, applications, core_app) compose like the reference."""
    if not PROJECT_SOURCES:
        pytest.skip(f"No subgraph SDL in {str(PROJECT_SUBGRAPHS)!r} yet.")
    _assert_same_supergraph(PROJECT_SOURCES, reference_results["project"], supergraph_semantics)


@pytest.mark.parametrize("index", range(len(ERROR_CASES)), ids=[c["code"] for c in ERROR_CASES])
def test_invalid_subgraphs_fail_like_reference(
    index: int, reference_results: dict[str, dict[str, Any]], sources_factory: SourcesFactory
) -> None:
    case = ERROR_CASES[index]
    sources = sources_factory(case["subgraphs"])
    reference_codes = {e["code"] for e in reference_results[f"case:{index}"].get("errors", [])}
    ours = compose(sources)
    assert isinstance(ours, Failure), ours
    assert case["code"] in reference_codes
    assert case["code"] in {e.code for e in ours.errors}
