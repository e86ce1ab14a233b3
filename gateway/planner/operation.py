"""Normalize a client operation into an immutable selection tree the planner walks.

Named fragments become inline fragments, fragments on the enclosing type are inlined, fields
with the same response key are merged, constant ``@skip``/``@include`` are evaluated, and
variable-driven ones become ``Condition``s kept on the selection (they are forwarded to the
subgraph and also turn into ``ConditionNode``s around fetches that only serve them). What
constant conditions exclude is removed here, once: a fragment left empty disappears, and a
composite field left without sub-selections keeps ``__typename`` (it still answers ``{}``).
Arguments are kept printed (``'currency:"USD"'``) with the variables they use, so selections
are hashable and cheap to print into subgraph operations.

Spec: https://spec.graphql.org/October2021/#sec-Executing-Selection-Sets
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeAlias

from graphql import (
    ArgumentNode,
    BooleanValueNode,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
    get_named_type,
    is_abstract_type,
    parse,
    print_ast,
)

from gateway.planner.conditions import Condition, Conditions, conjoin
from gateway.planner.errors import InvalidOperationError

__all__ = [
    "Condition",
    "NField",
    "NFragment",
    "NSelection",
    "NormalizedOperation",
    "normalize_operation",
    "parse_field_set",
]


@dataclass(frozen=True, slots=True)
class NField:
    """A field selection: response key, printed arguments, conditions and sub-selections."""

    name: str
    alias: str | None = None
    arguments: tuple[tuple[str, str], ...] = ()
    """``(name, printed value)`` pairs in source order."""
    variables: frozenset[str] = frozenset()
    """Variables used by the arguments."""
    conditions: Conditions = ()
    """A canonical conjunction (``conditions.conjoin``)."""
    selections: tuple[NSelection, ...] = ()

    @property
    def response_key(self) -> str:
        """The key under which the field appears in the response."""
        return self.alias or self.name

    @property
    def signature(self) -> tuple[str, tuple[tuple[str, str], ...], Conditions]:
        """What must be equal for two selections with the same response key to merge."""
        return (self.name, self.arguments, self.conditions)


@dataclass(frozen=True, slots=True)
class NFragment:
    """An inline fragment (named fragments are inlined into these)."""

    type_condition: str
    conditions: Conditions = ()
    """A canonical conjunction (``conditions.conjoin``)."""
    selections: tuple[NSelection, ...] = ()


NSelection: TypeAlias = NField | NFragment


@dataclass(frozen=True, slots=True)
class NormalizedOperation:
    """The operation the planner plans."""

    kind: str
    """``query``, ``mutation`` or ``subscription``."""
    root_type: str
    selections: tuple[NSelection, ...]
    name: str | None = None
    variable_definitions: dict[str, str] = field(default_factory=dict)
    """Variable name → printed definition without ``$`` name (``'Int=5'``)."""


def _conditions(directives: Iterable[DirectiveNode]) -> Conditions | None:
    """Variable conditions of a selection; ``None`` when they exclude it whatever the variables."""
    out: list[Condition] = []
    for directive in directives:
        name = directive.name.value
        if name not in ("skip", "include"):
            continue
        value = next((a.value for a in directive.arguments or () if a.name.value == "if"), None)
        include = name == "include"
        if isinstance(value, BooleanValueNode):
            if value.value != include:
                return None
        elif isinstance(value, VariableNode):
            out.append(Condition(value.name.value, include))
    return conjoin(out)


def _variables_in(nodes: Sequence[ArgumentNode]) -> frozenset[str]:
    found: set[str] = set()
    for node in nodes:
        _collect_variables(node.value, found)
    return frozenset(found)


def _collect_variables(value: ValueNode, found: set[str]) -> None:
    if isinstance(value, VariableNode):
        found.add(value.name.value)
    elif isinstance(value, ListValueNode):
        for item in value.values:
            _collect_variables(item, found)
    elif isinstance(value, ObjectValueNode):
        for object_field in value.fields:
            _collect_variables(object_field.value, found)


class _Normalizer:
    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.schema = schema
        self.fragments = fragments

    def selection_set(self, node: SelectionSetNode | None, parent: str) -> tuple[NSelection, ...]:
        out: list[NSelection] = []
        for selection in node.selections if node else ():
            out.extend(self.selection(selection, parent))
        return merge_selections(out)

    def selection(self, node: object, parent: str) -> list[NSelection]:
        if isinstance(node, FieldNode):
            if node.name.value in ("__schema", "__type"):
                return []  # introspection is answered by the gateway, never planned
            conditions = _conditions(node.directives or ())
            if conditions is None:
                return []
            arguments = tuple(node.arguments or ())
            selections: tuple[NSelection, ...] = ()
            if node.selection_set is not None:
                selections = self.selection_set(node.selection_set, self.field_type(parent, node.name.value))
                if not selections:
                    # Every sub-selection was excluded by a constant condition: the field is
                    # still selected and answers ``{}``, but a subgraph document needs a
                    # sub-selection, so ``__typename`` stands in (the response never shows it).
                    selections = (NField("__typename"),)
            return [
                NField(
                    name=node.name.value,
                    alias=node.alias.value if node.alias else None,
                    arguments=tuple((a.name.value, print_ast(a.value)) for a in arguments),
                    variables=_variables_in(arguments),
                    conditions=conditions,
                    selections=selections,
                )
            ]
        if isinstance(node, FragmentSpreadNode):
            definition = self.fragments.get(node.name.value)
            if definition is None:
                raise InvalidOperationError(f"Unknown fragment '{node.name.value}'.")
            type_condition = definition.type_condition.name.value
            selection_set = definition.selection_set
        elif isinstance(node, InlineFragmentNode):
            type_condition = node.type_condition.name.value if node.type_condition else parent
            selection_set = node.selection_set
        else:
            return []
        conditions = _conditions(node.directives or ())
        if conditions is None:
            return []
        inner = self.selection_set(selection_set, type_condition)
        if not inner:
            return []  # contributes nothing, whatever its conditions
        if type_condition == parent and not conditions:
            return list(inner)
        return [NFragment(type_condition=type_condition, conditions=conditions, selections=inner)]

    def field_type(self, parent: str, field_name: str) -> str:
        parent_type = self.schema.get_type(parent)
        fields = getattr(parent_type, "fields", None)
        if not fields or field_name not in fields:
            raise InvalidOperationError(f"Cannot query field '{field_name}' on type '{parent}'.")
        return str(get_named_type(fields[field_name].type).name)


def merge_selections(selections: Iterable[NSelection]) -> tuple[NSelection, ...]:
    """Merge fields with the same response key and signature, and equal fragments, keeping order."""
    order: list[object] = []
    merged: dict[object, NSelection] = {}
    for selection in selections:
        key: object
        if isinstance(selection, NField):
            key = ("f", selection.response_key, selection.signature)
        else:
            key = ("t", selection.type_condition, selection.conditions)
        existing = merged.get(key)
        if existing is None:
            order.append(key)
            merged[key] = selection
        else:
            combined = merge_selections((*existing.selections, *selection.selections))
            merged[key] = replace(existing, selections=combined)
    return tuple(merged[k] for k in order)


def normalize_operation(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None = None
) -> NormalizedOperation:
    """Select the operation and normalize its selection set.

    Raises:
        InvalidOperationError: no (or an ambiguous) operation, or an unknown root type.
    """
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1:
        wanted = f"named {operation_name!r}" if operation_name else "without a name"
        raise InvalidOperationError(
            f"Expected exactly one operation {wanted} in the document, found {len(operations)}; "
            "pass 'operationName' to choose one."
        )
    operation = operations[0]
    kind = operation.operation.value
    root = {"query": schema.query_type, "mutation": schema.mutation_type}.get(kind, schema.subscription_type)
    if root is None:
        raise InvalidOperationError(f"The schema does not support {kind} operations.")
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    normalizer = _Normalizer(schema, fragments)
    definitions = {v.variable.name.value: _print_definition(v) for v in operation.variable_definitions or ()}
    return NormalizedOperation(
        kind=kind,
        root_type=root.name,
        selections=normalizer.selection_set(operation.selection_set, root.name),
        name=operation.name.value if operation.name else None,
        variable_definitions=definitions,
    )


def _print_definition(node: VariableDefinitionNode) -> str:
    printed = print_ast(node.type)
    if node.default_value is not None:
        printed += "=" + print_ast(node.default_value)
    return printed


def parse_field_set(schema: GraphQLSchema, parent: str, fields: str) -> tuple[NSelection, ...]:
    """Parse a ``FieldSet`` (``@key``/``@requires``/``@provides`` argument) on ``parent``.

    Raises:
        InvalidOperationError: the field set does not parse or names unknown fields.
    """
    try:
        document = parse("{" + fields + "}", no_location=True)
    except Exception as exc:
        raise InvalidOperationError(f"The field set {fields!r} on '{parent}' does not parse.") from exc
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return _Normalizer(schema, {}).selection_set(operation.selection_set, parent)


def is_abstract(schema: GraphQLSchema, type_name: str) -> bool:
    """Whether the named type is an interface or a union in ``schema``."""
    gql_type = schema.get_type(type_name)
    return gql_type is not None and is_abstract_type(gql_type)
