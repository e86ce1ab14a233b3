"""The query planner: ``QueryPlanner(supergraph).plan(document) -> QueryPlan`` (pure, no I/O).

The pipeline, one named stage each::

    normalize_operation → build_query_graph (once per supergraph) → build_fetch_graphs
    (find paths + choose the cheapest, per root field and per entity jump) → optimize
    (passes to a fixpoint, then batching of entity fetches across paths) → build_plan

Caching, transport and telemetry wrap the planner from outside.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gateway.planner.build import build_plan
from gateway.planner.errors import (
    InvalidOperationError,
    NoPathFoundError,
    PlanningError,
    UnsatisfiableRequiresError,
)
from gateway.planner.operation import normalize_operation
from gateway.planner.optimize import optimize
from gateway.planner.plan import (
    BatchFetchNode,
    ConditionNode,
    EntityCall,
    FetchNode,
    FlattenNode,
    ParallelNode,
    PlanNode,
    QueryPlan,
    SequenceNode,
)
from gateway.planner.query_graph import build_query_graph
from gateway.planner.root_fields import build_fetch_graphs

if TYPE_CHECKING:
    from graphql import DocumentNode

    from gateway.supergraph import Supergraph

__all__ = [
    "BatchFetchNode",
    "ConditionNode",
    "EntityCall",
    "FetchNode",
    "FlattenNode",
    "InvalidOperationError",
    "NoPathFoundError",
    "ParallelNode",
    "PlanNode",
    "PlanningError",
    "QueryPlan",
    "QueryPlanner",
    "SequenceNode",
    "UnsatisfiableRequiresError",
]


class QueryPlanner:
    """Plans operations against one supergraph snapshot; reuse it for every request."""

    def __init__(self, supergraph: Supergraph) -> None:
        self.supergraph = supergraph
        self.query_graph = build_query_graph(supergraph)

    def plan(self, document: DocumentNode, operation_name: str | None = None) -> QueryPlan:
        """Plan one operation of a document already validated against ``api_schema``.

        Args:
            document: the parsed, validated client document.
            operation_name: which operation to plan when the document has several.

        Returns:
            The query plan; ``plan.node`` is ``None`` when nothing needs fetching.

        Raises:
            InvalidOperationError: the operation cannot be selected.
            PlanningError: no subgraph path resolves some selection (``NoPathFoundError``,
                ``UnsatisfiableRequiresError``).
        """
        operation = normalize_operation(self.supergraph.schema, document, operation_name)
        try:
            graphs = build_fetch_graphs(self.query_graph, operation)
            return build_plan([optimize(graph) for graph in graphs], operation, self.query_graph)
        except PlanningError:
            raise
        except (KeyError, ValueError, AssertionError, RecursionError, TypeError) as exc:
            # A supergraph shape the planner does not handle: fail this operation cleanly.
            raise PlanningError(
                f"The gateway could not plan this operation ({type(exc).__name__}: {exc}); "
                "the supergraph may use a federation feature the planner does not support."
            ) from exc
