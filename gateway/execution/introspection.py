"""Answer introspection (``__schema``, ``__type``) locally, next to the planned fetches.

The gateway owns the API schema, so introspection never goes to a subgraph. An operation is
split once into a *data* document (for the planner; ``None`` when only introspection and
``__typename`` remain) and an *introspection* document (run by graphql-core against the API
schema; ``None`` when the operation has no introspection fields). Mixed operations run both;
the introspection result is merged into the data before shaping.

See https://spec.graphql.org/October2021/#sec-Introspection
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLSchema,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
    execute_sync,
)

from gateway.execution.executor import ExecutionOutcome
from gateway.types import JSONObject

__all__ = ["INTROSPECTION_FIELDS", "OperationParts", "run_introspection", "split_introspection"]

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


class OperationParts(NamedTuple):
    """An operation split into what subgraphs answer and what the gateway answers itself."""

    data: DocumentNode | None
    introspection: DocumentNode | None


def _is_meta(selection: SelectionNode, names: frozenset[str]) -> bool:
    return isinstance(selection, FieldNode) and selection.name.value in names


def _with_selections(
    operation: OperationDefinitionNode, selections: tuple[SelectionNode, ...]
) -> OperationDefinitionNode:
    return OperationDefinitionNode(
        operation=operation.operation,
        name=operation.name,
        variable_definitions=operation.variable_definitions,
        directives=operation.directives,
        selection_set=SelectionSetNode(selections=selections),
    )


def split_introspection(
    operation: OperationDefinitionNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> OperationParts:
    """Split ``operation`` by its root fields (direct root fields only).

    Fragments spread at the root stay in the data part.
    """
    selections = operation.selection_set.selections
    introspective = tuple(s for s in selections if _is_meta(s, INTROSPECTION_FIELDS))
    frags = tuple(fragments.values())
    if not introspective:
        return OperationParts(DocumentNode(definitions=(operation, *frags)), None)
    rest = tuple(s for s in selections if not _is_meta(s, INTROSPECTION_FIELDS))
    introspection = DocumentNode(definitions=(_with_selections(operation, introspective), *frags))
    if all(_is_meta(s, frozenset({"__typename"})) for s in rest):
        return OperationParts(None, introspection)
    return OperationParts(
        DocumentNode(definitions=(_with_selections(operation, rest), *frags)), introspection
    )


def run_introspection(
    schema: GraphQLSchema, document: DocumentNode, variables: JSONObject, outcome: ExecutionOutcome
) -> None:
    """Execute the introspection part with graphql-core and merge it into ``outcome``."""
    result = execute_sync(schema, document, variable_values=variables)
    if result.data:
        outcome.data.update(result.data)
    for error in result.errors or ():
        outcome.errors.append(dict(error.formatted))
