"""The supergraphs the differential test covers, each with its subgraphs, oracle and value pools.

A ``World`` is a composed supergraph plus what it takes to answer it: executable subgraph
schemas served over HTTP by ``server`` (or, for the project's own supergraph, the real stack
started by ``insuretech up``), an unfederated *oracle* schema over the same records where one
exists, and the argument values the generator draws from (ids that hit real records).

* ``media``: an interface and two unions spread over three subgraphs (``media/``), with faults.
* ``bench``: the gateway benchmark's four subgraphs (``bench/gateway_subgraphs``), whose
  pre-stitched schema is the oracle, with faults added here.
* ``project``: the InsureTech supergraph (``schema/supergraph.graphql``); it has no oracle,
  so our gateway is compared with Hive Gateway only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphql import GraphQLSchema

from bench.differential.executable import inject_faults
from bench.differential.generator import Pools

__all__ = ["ROOT", "World", "bench_world", "media_world", "project_world", "with_subgraph_urls"]

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class World:
    """One supergraph under test."""

    name: str
    supergraph_sdl: str
    """The composed supergraph (subgraph URLs are rewritten to where they are served)."""
    pools: Pools
    subgraphs: Mapping[str, GraphQLSchema] = field(default_factory=dict)
    """Executable subgraphs, served by ``server`` at ``/<world>/<subgraph>`` (empty: external)."""
    oracle: GraphQLSchema | None = None
    """The same API as one plain schema over the same records, served at ``/<world>/oracle``."""


def with_subgraph_urls(sdl: str, url_of: Mapping[str, str]) -> str:
    """Rewrite the ``@join__graph(name:, url:)`` URLs of a supergraph (``url_of``: name → URL)."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        return f'@join__graph(name: "{name}", url: "{url_of.get(name, match.group(2))}")'

    return re.sub(r'@join__graph\(name: "([^"]+)", url: "([^"]*)"\)', replace, sdl)


def media_world() -> World:
    """The media supergraph: interfaces and unions over three subgraphs, with an oracle."""
    from bench.differential.media import data
    from bench.differential.media.schemas import build_oracle_schema, build_subgraph_schemas

    ids = [r["id"] for r in (*data.PEOPLE, *data.BOOKS, *data.MOVIES, *data.SERIES)]
    return World(
        name="media",
        supergraph_sdl=(ROOT / "bench/differential/media/supergraph.graphql").read_text(),
        pools={
            "ID": [*ids, "zz"],
            "term": ["a", "Ka", "the", "r", "zz", ""],
            "first": [0, 1, 2, 3, 5, 20, -1],
        },
        subgraphs=build_subgraph_schemas(),
        oracle=build_oracle_schema(),
    )


BENCH_FAULTS: dict[tuple[str, str], frozenset[str]] = {
    ("Product", "inStock"): frozenset({"3"}),
    ("Product", "shippingEstimate"): frozenset({"5"}),
    ("Review", "body"): frozenset({"4", "11"}),
    ("User", "birthday"): frozenset({"2"}),
}
"""Faults added to the benchmark subgraphs and their oracle: ``(type, field)`` → object keys."""


def _bench_key(source: Any) -> Any:
    if isinstance(source, dict):
        return source.get("upc") or source.get("id")
    return getattr(source, "upc", None) or getattr(source, "id", None)


def bench_world() -> World:
    """The benchmark supergraph with its pre-stitched schema as the oracle (faults added)."""
    from bench.gateway_subgraphs import build_stitched_schema, build_subgraph_schemas

    subgraphs = {
        name: inject_faults(s, BENCH_FAULTS, _bench_key) for name, s in build_subgraph_schemas().items()
    }
    return World(
        name="bench",
        supergraph_sdl=(ROOT / "bench/gateway_subgraphs/supergraph.graphql").read_text(),
        pools={"ID": ["1", "2", "3", "6", "7", "x"], "first": [0, 1, 3, 5, 10, -1]},
        subgraphs=subgraphs,
        oracle=inject_faults(build_stitched_schema(), BENCH_FAULTS, _bench_key),
    )


def project_world(pools: Pools) -> World:
    """The InsureTech supergraph; its subgraphs are the real ones (``insuretech up``), no oracle.

    Args:
        pools: Argument values harvested from the running system (ids of seeded records).
    """
    return World(name="project", supergraph_sdl=(ROOT / "schema/supergraph.graphql").read_text(), pools=pools)
