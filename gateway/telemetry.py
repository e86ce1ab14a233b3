"""Prometheus metrics of the gateway.

Each ``Metrics`` owns its ``CollectorRegistry`` so that several apps (tests) can coexist in one
process; ``/metrics`` renders it together with the default registry. Label values are bounded:
operation names are cut to 64 characters and anonymous operations are reported as
``"anonymous"``. ``python -m gateway --workers N`` sets ``PROMETHEUS_MULTIPROC_DIR`` so that
``/metrics`` aggregates all workers.
"""

from __future__ import annotations

import os
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

__all__ = ["METRICS_CONTENT_TYPE", "Metrics", "operation_label"]

METRICS_CONTENT_TYPE = CONTENT_TYPE_LATEST

_MAX_CACHED_CHILDREN = 4096
_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


def operation_label(name: str | None) -> str:
    """The ``operation`` label value for an operation name."""
    return name[:64] if name else "anonymous"


class Metrics:
    """The gateway's metric families, registered in a private registry."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        self.requests = Counter(
            "gateway_requests",
            "GraphQL requests by operation name and outcome (success, partial, error).",
            ["operation", "outcome"],
            registry=self.registry,
        )
        self.request_latency = Histogram(
            "gateway_request_duration_seconds",
            "Time to answer a GraphQL request, per operation name.",
            ["operation"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.subgraph_latency = Histogram(
            "gateway_subgraph_fetch_duration_seconds",
            "Time of one subgraph fetch, per subgraph.",
            ["subgraph"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.subgraph_errors = Counter(
            "gateway_subgraph_errors",
            "Failed subgraph fetches and subgraph-reported errors, per subgraph and code.",
            ["subgraph", "code"],
            registry=self.registry,
        )
        self.plan_cache = Counter(
            "gateway_plan_cache_lookups",
            "Query-plan cache lookups by level (local LRU, shared redis) and result (hit, miss).",
            ["level", "result"],
            registry=self.registry,
        )
        self.plan_cache_redis_errors = Counter(
            "gateway_plan_cache_redis_errors",
            "Failed reads/writes of the shared plan cache in Redis, and unreadable plans found there.",
            ["operation"],
            registry=self.registry,
        )

        # ``labels()`` costs a lock and a tuple build per call; the hot path reuses children.
        self._request_children: dict[tuple[str | None, str], tuple[Any, Any]] = {}
        self._fetch_children: dict[str, Any] = {}
        self._plan_hit = self.plan_cache.labels("local", "hit")
        self._plan_miss = self.plan_cache.labels("local", "miss")
        self._plan_shared = {
            True: self.plan_cache.labels("redis", "hit"),
            False: self.plan_cache.labels("redis", "miss"),
        }

    def observe_request(self, operation_name: str | None, outcome: str, seconds: float) -> None:
        """Record one finished GraphQL request."""
        key = (operation_name, outcome)
        children = self._request_children.get(key)
        if children is None:
            label = operation_label(operation_name)
            children = (self.requests.labels(label, outcome), self.request_latency.labels(label))
            if len(self._request_children) < _MAX_CACHED_CHILDREN:
                self._request_children[key] = children
        children[0].inc()
        children[1].observe(seconds)

    def observe_fetch(self, subgraph: str, seconds: float, error_code: str | None) -> None:
        """Record one subgraph fetch and, if it failed, its error code."""
        child = self._fetch_children.get(subgraph)
        if child is None:
            child = self._fetch_children[subgraph] = self.subgraph_latency.labels(subgraph)
        child.observe(seconds)
        if error_code is not None:
            self.subgraph_errors.labels(subgraph, error_code).inc()

    def plan_cache_hit(self) -> None:
        """Count a hit of the in-process plan cache."""
        self._plan_hit.inc()

    def plan_cache_miss(self) -> None:
        """Count a miss of the in-process plan cache."""
        self._plan_miss.inc()

    def plan_cache_shared_lookup(self, hit: bool) -> None:
        """Count a lookup of the shared plan cache in Redis (made after a local miss)."""
        self._plan_shared[hit].inc()

    def plan_cache_redis_error(self, operation: str) -> None:
        """Count a failed ``get``/``set`` of the shared plan cache, or an unreadable plan (``decode``)."""
        self.plan_cache_redis_errors.labels(operation).inc()

    def render(self) -> bytes:
        """This registry and the process-wide default one, in Prometheus' text format.

        The default registry carries the process collectors and metrics other modules register
        globally (rate limiting, for instance). With several workers
        (``PROMETHEUS_MULTIPROC_DIR`` set before start), every worker's samples are aggregated.
        """
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            aggregate = CollectorRegistry()
            multiprocess.MultiProcessCollector(aggregate)  # type: ignore[no-untyped-call]
            return generate_latest(aggregate)
        if self.registry is REGISTRY:
            return generate_latest(REGISTRY)
        return generate_latest(self.registry) + generate_latest(REGISTRY)
