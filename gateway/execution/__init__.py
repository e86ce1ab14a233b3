"""Execution: interpret a query plan against the subgraphs and merge their results."""

from __future__ import annotations

from gateway.execution.executor import ExecutionOutcome, execute_plan, type_matcher
from gateway.execution.fetch import FetchObserver
from gateway.execution.http11 import Http11Transport
from gateway.execution.merge import deep_merge
from gateway.execution.representations import EntityBatch, TypeMatcher, build_entity_batch
from gateway.execution.targets import Targets, collect_objects, collect_targets
from gateway.execution.transport import HttpxTransport, MockTransport, SubgraphRequest, SubgraphTransport

__all__ = [
    "EntityBatch",
    "ExecutionOutcome",
    "FetchObserver",
    "Http11Transport",
    "HttpxTransport",
    "MockTransport",
    "SubgraphRequest",
    "SubgraphTransport",
    "Targets",
    "TypeMatcher",
    "build_entity_batch",
    "collect_objects",
    "collect_targets",
    "deep_merge",
    "execute_plan",
    "type_matcher",
]
