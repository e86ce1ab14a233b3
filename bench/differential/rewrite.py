"""Rewrite an operation into an equivalent one without ``@skip``/``@include``.

With the variables fixed, every ``@skip``/``@include`` has a value: selections it excludes are
removed and the directives dropped from the rest, then variables and fragments left unused are
removed. By the spec's CollectFields the result selects exactly the same fields, so any correct
server answers both operations identically. A server that answers them differently mishandles
conditions: that is how ``known`` recognises such a defect without trusting either answer.

A composite field left with nothing selected keeps ``__typename @skip(if: true)``: the document
stays valid and still selects nothing there. ``None`` is returned only when a whole operation or
fragment would select nothing.

See https://spec.graphql.org/October2021/#sec--skip
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    ArgumentNode,
    BooleanValueNode,
    DirectiveNode,
    DocumentNode,
    ExecutableDefinitionNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    NameNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
    VariableNode,
    parse,
    print_ast,
)
from graphql.language import Visitor, visit

__all__ = ["without_conditions"]


class _Emptied(Exception):
    """A composite field lost every selection."""


_NOTHING = FieldNode(
    name=NameNode(value="__typename"),
    directives=(
        DirectiveNode(
            name=NameNode(value="skip"),
            arguments=(ArgumentNode(name=NameNode(value="if"), value=BooleanValueNode(value=True)),),
        ),
    ),
)
"""``__typename @skip(if: true)``: selects nothing, keeps a selection set non-empty."""


def _included(directives: tuple[DirectiveNode, ...], variables: Mapping[str, Any]) -> bool:
    for directive in directives:
        if directive.name.value not in ("skip", "include"):
            continue
        argument = next((a for a in directive.arguments or () if a.name.value == "if"), None)
        if argument is None:
            continue
        value = argument.value
        if isinstance(value, BooleanValueNode):
            flag = value.value
        elif isinstance(value, VariableNode):
            flag = bool(variables.get(value.name.value))
        else:
            continue
        if flag != (directive.name.value == "include"):
            return False
    return True


def _selection_set(node: SelectionSetNode, variables: Mapping[str, Any]) -> SelectionSetNode:
    kept: list[SelectionNode] = []
    for selection in node.selections:
        if not _included(tuple(selection.directives or ()), variables):
            continue
        directives = tuple(d for d in selection.directives or () if d.name.value not in ("skip", "include"))
        if isinstance(selection, FieldNode):
            inner = selection.selection_set
            if inner is not None:
                inner = _selection_set(inner, variables)
                if not inner.selections:
                    inner = SelectionSetNode(selections=(_NOTHING,))
            kept.append(
                FieldNode(
                    alias=selection.alias,
                    name=selection.name,
                    arguments=selection.arguments,
                    directives=directives,
                    selection_set=inner,
                )
            )
        elif isinstance(selection, InlineFragmentNode):
            inner = _selection_set(selection.selection_set, variables)
            if inner.selections:
                kept.append(
                    InlineFragmentNode(
                        type_condition=selection.type_condition, directives=directives, selection_set=inner
                    )
                )
        elif isinstance(selection, FragmentSpreadNode):
            kept.append(FragmentSpreadNode(name=selection.name, directives=directives))
    return SelectionSetNode(selections=tuple(kept))


class _Uses(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.variables: set[str] = set()
        self.fragments: set[str] = set()

    def enter_variable(self, node: VariableNode, *_: Any) -> None:
        self.variables.add(node.name.value)

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: Any) -> None:
        self.fragments.add(node.name.value)


def without_conditions(document: str, variables: Mapping[str, Any]) -> str | None:
    """The operation of ``document`` with ``@skip``/``@include`` evaluated away, or ``None``."""
    parsed: DocumentNode = parse(document, no_location=True)
    try:
        definitions = []
        for definition in parsed.definitions:
            if isinstance(definition, OperationDefinitionNode | FragmentDefinitionNode):
                inner = _selection_set(definition.selection_set, variables)
                if not inner.selections:
                    raise _Emptied
                definitions.append((definition, inner))
    except _Emptied:
        return None
    fragments = {d.name.value: inner for d, inner in definitions if isinstance(d, FragmentDefinitionNode)}
    uses = _Uses()
    pending = [inner for d, inner in definitions if isinstance(d, OperationDefinitionNode)]
    while pending:
        seen = set(uses.fragments)
        visit(pending.pop(), uses)
        pending.extend(fragments[name] for name in uses.fragments - seen if name in fragments)
    out: list[ExecutableDefinitionNode] = []
    for definition, inner in definitions:
        if isinstance(definition, OperationDefinitionNode):
            used = tuple(
                v for v in definition.variable_definitions or () if v.variable.name.value in uses.variables
            )
            out.append(
                OperationDefinitionNode(
                    operation=definition.operation,
                    name=definition.name,
                    variable_definitions=used,
                    directives=definition.directives,
                    selection_set=inner,
                )
            )
        elif definition.name.value in uses.fragments:
            out.append(
                FragmentDefinitionNode(
                    name=definition.name,
                    type_condition=definition.type_condition,
                    directives=definition.directives,
                    selection_set=inner,
                )
            )
    return print_ast(DocumentNode(definitions=tuple(out)))
