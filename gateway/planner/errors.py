"""Errors the planner raises.

Planning failures for a *valid* operation are gateway faults (``InternalError`` with the
``QUERY_PLANNING_FAILED`` code); ``reason`` refines them with a stable sub-code. Choosing the
operation out of the document is a client fault (``OperationNotFound``).
"""

from __future__ import annotations

from typing import ClassVar

from gateway.errors import ErrorCode, InternalError, OperationNotFound

__all__ = ["InvalidOperationError", "NoPathFoundError", "PlanningError", "UnsatisfiableRequiresError"]


class PlanningError(InternalError):
    """Root of planner errors: the operation cannot be planned against this supergraph."""

    code = ErrorCode.QUERY_PLANNING_FAILED
    reason: ClassVar[str] = "QUERY_PLANNING_FAILED"


class InvalidOperationError(OperationNotFound):
    """The document does not name exactly one operation (or references unknown fragments/fields)."""


class NoPathFoundError(PlanningError):
    """No subgraph (or chain of entity fetches) can resolve a selected field."""

    reason = "NO_PATH_FOUND"


class UnsatisfiableRequiresError(PlanningError):
    """A field's ``@requires`` (or an entity key) cannot be fetched before the field."""

    reason = "UNSATISFIABLE_REQUIRES"
