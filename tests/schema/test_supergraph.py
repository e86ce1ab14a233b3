"""The committed supergraph must be what the committed subgraph SDL composes to."""

from __future__ import annotations

from pathlib import Path

from gateway.composition import SubgraphSource, Success, compose
from insuretech_cli.topology import SUBGRAPHS

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"


def test_committed_supergraph_is_fresh() -> None:
    sources = [
        SubgraphSource(
            s.name, s.url, (SCHEMA_DIR / "subgraphs" / f"{s.name}.graphql").read_text(encoding="utf-8")
        )
        for s in SUBGRAPHS
    ]
    result = compose(sources)
    assert isinstance(result, Success), result
    committed = (SCHEMA_DIR / "supergraph.graphql").read_text(encoding="utf-8")
    assert result.supergraph_sdl.strip() == committed.strip(), (
        "schema/supergraph.graphql is stale; run `insuretech compose` and commit it."
    )
