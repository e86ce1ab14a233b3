"""Field sets: the ``fields:`` strings of ``@key``, ``@requires`` and ``@provides``.

A field set is a selection set without its outer braces (``"id"``, ``"id sku"``,
``"owner { id }"``, ``"... on Book { isbn }"``). Composition parses it with
graphql-core and resolves every selected field against one subgraph's types, so
the rules can say which fields a directive touches and whether they exist.

Spec: https://www.apollographql.com/docs/graphos/schema-design/federated-schemas/reference/directives#key
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graphql import FieldNode, GraphQLSyntaxError, InlineFragmentNode, OperationDefinitionNode, Source, parse

from gateway.composition.typerefs import named_type

if TYPE_CHECKING:
    from graphql import SelectionSetNode

    from gateway.composition.model import FieldInfo, Subgraph

__all__ = ["FieldSetResolution", "SelectedField", "parse_field_set", "resolve_field_set", "top_level_fields"]


@functools.lru_cache(maxsize=1024)
def parse_field_set(text: str) -> SelectionSetNode:
    """Parse ``text`` as a selection set; raise ``GraphQLSyntaxError`` when it is not one (cached: nodes are not mutated)."""
    document = parse("{" + text + "}", no_location=True)
    definition = document.definitions[0]
    if len(document.definitions) != 1 or not isinstance(definition, OperationDefinitionNode):
        raise GraphQLSyntaxError(Source(text), 0, "Expected one selection set.")
    return definition.selection_set


def top_level_fields(text: str) -> list[str]:
    """Return the field names selected at the top level of ``text`` (empty when it does not parse)."""
    try:
        selection_set = parse_field_set(text)
    except GraphQLSyntaxError:
        return []
    return [s.name.value for s in selection_set.selections if isinstance(s, FieldNode)]


@dataclass(frozen=True, slots=True)
class SelectedField:
    """One field a field set selects: its parent type, the field, and whether it has a sub-selection."""

    parent: str
    field: FieldInfo
    has_selection: bool
    has_arguments: bool


@dataclass(slots=True)
class FieldSetResolution:
    """The result of resolving a field set against a subgraph type."""

    selected: list[SelectedField] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Sentence fragments such as ``"field 'Product.nope' does not exist"``."""


def resolve_field_set(subgraph: Subgraph, type_name: str, text: str) -> FieldSetResolution:
    """Resolve every field ``text`` selects, starting at ``type_name`` in ``subgraph``."""
    resolution = FieldSetResolution()
    try:
        selection_set = parse_field_set(text)
    except GraphQLSyntaxError as exc:
        resolution.problems.append(f"the field set {text!r} does not parse ({exc.message})")
        return resolution
    _resolve(subgraph, type_name, selection_set, resolution)
    return resolution


def _resolve(
    subgraph: Subgraph, type_name: str, selection_set: SelectionSetNode, out: FieldSetResolution
) -> None:
    parent = subgraph.type(type_name)
    for selection in selection_set.selections:
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else type_name
            if subgraph.type(condition) is None:
                out.problems.append(f"type {condition!r} does not exist in the subgraph")
                continue
            _resolve(subgraph, condition, selection.selection_set, out)
            continue
        if not isinstance(selection, FieldNode):
            out.problems.append("fragment spreads are not allowed in field sets")
            continue
        name = selection.name.value
        if name == "__typename":
            continue
        info = parent.field(name) if parent is not None else None
        if info is None:
            out.problems.append(f"field '{type_name}.{name}' does not exist")
            continue
        out.selected.append(
            SelectedField(type_name, info, selection.selection_set is not None, bool(selection.arguments))
        )
        target = subgraph.type(named_type(info.type))
        if selection.selection_set is not None:
            if target is None or not (target.fields or target.members):
                out.problems.append(f"field '{type_name}.{name}' is a leaf and cannot have a selection")
                continue
            _resolve(subgraph, target.name, selection.selection_set, out)
        elif target is not None and (target.fields or target.members):
            out.problems.append(f"field '{type_name}.{name}' has a composite type and needs a selection")
