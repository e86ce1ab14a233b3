"""Static limits on an operation, checked before it is planned: depth, aliases, root fields, cost.

All checks walk the operation once with fragments expanded (each fragment at most once per
path, so a cyclic document cannot loop). The cost estimate charges 1 per field, multiplied by the
sizes of the lists above it: a list field's size is its ``first``/``last``/``limit`` argument, the
length of an ``ids`` list, or ``OperationLimits.default_list_size``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from graphql.language import Lexer, Source, TokenKind

from gateway.partners import OperationLimits

__all__ = ["OperationMeasures", "count_tokens", "measure_operation", "violations"]

_SIZE_ARGUMENTS = ("first", "last", "limit", "pageSize")
_LIST_ARGUMENTS = ("ids", "inputs")


@dataclass(frozen=True, slots=True)
class OperationMeasures:
    """What an operation weighs against ``OperationLimits``."""

    depth: int
    aliases: int
    root_fields: int
    cost: int


def count_tokens(source: str) -> int:
    """Lexical tokens in ``source`` (what ``max_tokens`` limits)."""
    lexer = Lexer(Source(source))
    count = 0
    while lexer.advance().kind != TokenKind.EOF:
        count += 1
    return count


def _list_size(node: FieldNode, variables: Mapping[str, Any], default: int) -> int:
    for argument in node.arguments or ():
        name = argument.name.value
        value = argument.value
        if isinstance(value, VariableNode):
            resolved = variables.get(value.name.value)
            if name in _SIZE_ARGUMENTS and isinstance(resolved, int):
                return max(resolved, 0)
            if name in _LIST_ARGUMENTS and isinstance(resolved, list):
                return len(resolved)
        elif name in _SIZE_ARGUMENTS and isinstance(value, IntValueNode):
            return max(int(value.value), 0)
        elif name in _LIST_ARGUMENTS and isinstance(value, ListValueNode):
            return len(value.values)
    return default


def _is_list(field: GraphQLField | None) -> bool:
    if field is None:
        return False
    type_ = field.type
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


class _Walker:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        default_list_size: int,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.default_list_size = default_list_size
        self.aliases = 0
        self.cost = 0
        self.depth = 0

    def walk(
        self,
        selection_set: SelectionSetNode,
        parent: Any,
        depth: int,
        multiplier: int,
        active: frozenset[str],
    ) -> int:
        """Walk a selection set; returns how many fields it selects directly (fragments expanded)."""
        self.depth = max(self.depth, depth)
        fields = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                fields += 1
                if selection.alias is not None:
                    self.aliases += 1
                self.cost += multiplier
                if selection.selection_set is not None:
                    field_def = None
                    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
                        field_def = parent.fields.get(selection.name.value)
                    child_type = get_named_type(field_def.type) if field_def is not None else None
                    size = (
                        _list_size(selection, self.variables, self.default_list_size)
                        if _is_list(field_def)
                        else 1
                    )
                    self.walk(
                        selection.selection_set, child_type, depth + 1, multiplier * max(size, 1), active
                    )
            elif isinstance(selection, InlineFragmentNode):
                target = parent
                if selection.type_condition is not None:
                    target = self.schema.get_type(selection.type_condition.name.value)
                fields += self.walk(selection.selection_set, target, depth, multiplier, active)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in active:
                    continue
                target = self.schema.get_type(fragment.type_condition.name.value)
                fields += self.walk(fragment.selection_set, target, depth, multiplier, active | {name})
        return fields


def measure_operation(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any] | None = None,
    *,
    default_list_size: int = 20,
) -> OperationMeasures:
    """Measure ``operation`` (depth counts nested selection sets; the root set is depth 1)."""
    root = schema.get_root_type(operation.operation)
    walker = _Walker(schema, fragments, variables or {}, default_list_size)
    root_fields = walker.walk(operation.selection_set, root, 1, 1, frozenset())
    return OperationMeasures(walker.depth, walker.aliases, root_fields, walker.cost)


def violations(measures: OperationMeasures, limits: OperationLimits) -> list[tuple[str, str]]:
    """``(code, message)`` for each limit the measures exceed; empty when all are respected."""
    found: list[tuple[str, str]] = []
    if measures.depth > limits.max_depth:
        found.append(
            (
                "DEPTH_LIMIT_EXCEEDED",
                f"The operation nests {measures.depth} levels deep; the limit is {limits.max_depth}. "
                "Split it into smaller operations.",
            )
        )
    checks = (
        ("aliases", measures.aliases, limits.max_aliases),
        ("root fields", measures.root_fields, limits.max_root_fields),
        ("estimated cost", measures.cost, limits.max_cost),
    )
    for what, value, limit in checks:
        if value > limit:
            found.append(
                (
                    "QUERY_TOO_COMPLEX",
                    f"The operation's {what} is {value}; the limit is {limit}. Ask for fewer items or fields.",
                )
            )
    return found
