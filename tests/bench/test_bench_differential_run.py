"""The differential test as a standing guard: 2,000 generated operations per supergraph.

Each operation goes through our gateway, Hive Gateway (npm, installed into the benchmark's Node
cache on first use) and, for the media and benchmark supergraphs, the unfederated oracle. The
test fails when our answer differs from the oracle's, or when a difference from Hive Gateway is
not one of the listed known Hive defects (``bench.differential.known``). The counts are printed
(``pytest -s``) and are in the failure message. The 20,000-operation run is
``python -m bench.differential`` (docs/benchmarks.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench import node_tools
from bench.differential.run import Tally, run_worlds

pytestmark = pytest.mark.slow

OPERATIONS = 2_000


def _require_hive() -> None:
    """Skip without Node/npm or the package, except under CI, where that fails the test."""
    reason = node_tools.ensure_packages("hive")
    if reason is None:
        return
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(reason)
    pytest.skip(reason)


def _report(tally: Tally) -> str:
    lines = tally.lines()
    for example in tally.unexplained[:3]:
        lines.append(f"-- {example.kind} (seed {example.operation.seed}): {example.operation.document}")
        lines.append(f"   variables: {example.operation.variables}")
        lines += [f"   {name}: {str(body)[:800]}" for name, body in example.responses.items()]
    return "\n".join(lines)


@pytest.mark.parametrize("world", ["media", "bench", "project"])
async def test_generated_operations_agree_with_the_oracle_and_hive(world: str, tmp_path: Path) -> None:
    _require_hive()
    (tally,) = await run_worlds([world], range(OPERATIONS), tmp_path)
    print("\n" + _report(tally))
    assert tally.sent == OPERATIONS
    assert tally.failures == 0, _report(tally)
    assert tally.identical > OPERATIONS // 2, _report(tally)  # the comparison compares something
