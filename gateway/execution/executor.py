"""Interpret a ``QueryPlan``: walk its nodes and run their fetches against the subgraphs.

Each node runs for a list of *targets* — objects of the response under construction and their
response paths. The plan starts with one target, the (empty) root object. ``FlattenNode``
narrows the targets to the objects found at its path (through lists and past nulls);
``FetchNode`` fetches for them and merges the results in place; ``BatchFetchNode`` does so
for the objects at several paths in one request. ``SequenceNode`` runs its
children in order, ``ParallelNode`` concurrently, and ``ConditionNode`` picks a branch by a
boolean variable.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import NamedTuple, assert_never

from gateway.execution.fetch import FetchObserver, RunState, run_batch_fetch, run_fetch
from gateway.execution.representations import TypeMatcher
from gateway.execution.targets import Targets
from gateway.execution.transport import SubgraphTransport
from gateway.planner.plan import (
    BatchFetchNode,
    ConditionNode,
    FetchNode,
    FlattenNode,
    ParallelNode,
    PlanNode,
    QueryPlan,
    SequenceNode,
)
from gateway.types import JSONObject

__all__ = ["ExecutionOutcome", "execute_plan", "type_matcher"]


class ExecutionOutcome(NamedTuple):
    """The merged (unshaped) response data and the errors gathered while fetching."""

    data: JSONObject
    errors: list[JSONObject]


def type_matcher(possible_types: Mapping[str, frozenset[str]]) -> TypeMatcher:
    """Build a ``TypeMatcher`` from a map of abstract type → its concrete types."""

    def matches(typename: str, condition: str) -> bool:
        return typename == condition or typename in possible_types.get(condition, ())

    return matches


def _same_type(typename: str, condition: str) -> bool:
    return typename == condition


async def execute_plan(
    plan: QueryPlan,
    *,
    transport: SubgraphTransport,
    variables: JSONObject | None = None,
    matches: TypeMatcher | None = None,
    observer: FetchObserver | None = None,
    headers: tuple[tuple[str, str], ...] = (),
) -> ExecutionOutcome:
    """Run ``plan`` and return the merged data and subgraph errors.

    Args:
        plan: The query plan to interpret.
        transport: Sends subgraph requests.
        variables: The client's coerced variables; each fetch forwards only those it uses.
        matches: Decides whether a ``__typename`` satisfies a type condition (abstract types).
        observer: Called after every fetch with ``(subgraph, seconds, error code or None)``.
        headers: HTTP headers sent with every subgraph request (request id, forwarded headers).

    Returns:
        The merged data (keyed by client response keys, possibly with extra fields) and errors.
    """
    state = RunState(transport, variables or {}, matches or _same_type, observer, headers)
    if plan.node is not None:
        await _run(plan.node, state, Targets([state.data], state.matches))
    return ExecutionOutcome(state.data, state.errors)


async def _run(node: PlanNode, state: RunState, targets: Targets) -> None:
    match node:
        case FetchNode():
            await run_fetch(node, state, targets)
        case BatchFetchNode():
            await run_batch_fetch(node, state, targets)
        case SequenceNode():
            for child in node.nodes:
                await _run(child, state, targets)
        case ParallelNode():
            if len(node.nodes) == 1:
                await _run(node.nodes[0], state, targets)
            else:
                async with asyncio.TaskGroup() as group:
                    for child in node.nodes:
                        group.create_task(_run(child, state, targets))
        case FlattenNode():
            await _run(node.node, state, targets.flatten(node.path))
        case ConditionNode():
            branch = node.if_clause if state.variables.get(node.condition) else node.else_clause
            if branch is not None:
                await _run(branch, state, targets)
        case _:
            assert_never(node)
