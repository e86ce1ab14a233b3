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
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    NamedTypeNode,
    NameNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    parse,
    print_ast,
)
from graphql.language import Visitor, visit

__all__ = ["without_conditions"]


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


class _Rewriter:
    """Evaluates conditions away; with a schema, also inlines named fragments and prunes every
    fragment whose type can never apply to the objects at its position."""

    def __init__(
        self,
        variables: Mapping[str, Any],
        schema: GraphQLSchema | None,
        fragments: Mapping[str, FragmentDefinitionNode],
    ) -> None:
        self.variables = variables
        self.schema = schema
        self.fragments = fragments

    def _possible(self, type_name: str) -> frozenset[str]:
        assert self.schema is not None
        named = self.schema.get_type(type_name)
        if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
            return frozenset(t.name for t in self.schema.get_possible_types(named))
        return frozenset({type_name})

    def selection_set(
        self, node: SelectionSetNode, parent: str | None = None, possible: frozenset[str] = frozenset()
    ) -> SelectionSetNode:
        kept: list[SelectionNode] = []
        for selection in node.selections:
            if not _included(tuple(selection.directives or ()), self.variables):
                continue
            directives = tuple(
                d for d in selection.directives or () if d.name.value not in ("skip", "include")
            )
            if isinstance(selection, FieldNode):
                kept.append(self._field(selection, directives, parent))
                continue
            if isinstance(selection, FragmentSpreadNode) and (self.schema is None or parent is None):
                kept.append(FragmentSpreadNode(name=selection.name, directives=directives))
                continue
            if isinstance(selection, FragmentSpreadNode):
                definition = self.fragments[selection.name.value]
                condition: NamedTypeNode | None = definition.type_condition
                body = definition.selection_set
            else:
                assert isinstance(selection, InlineFragmentNode)
                condition, body = selection.type_condition, selection.selection_set
            inner_parent, inner_possible = parent, possible
            if self.schema is not None and parent is not None:
                inner_parent = condition.name.value if condition is not None else parent
                inner_possible = possible & self._possible(inner_parent)
                if not inner_possible:
                    continue  # can never apply here
            inner = self.selection_set(body, inner_parent, inner_possible)
            if inner.selections and self._always_applies(parent, inner_parent, possible, inner_possible):
                kept.extend(inner.selections)  # a fragment that narrows nothing: inline it
            elif inner.selections:
                kept.append(
                    InlineFragmentNode(type_condition=condition, directives=directives, selection_set=inner)
                )
        return SelectionSetNode(selections=tuple(kept))

    def _always_applies(
        self, parent: str | None, inner: str | None, possible: frozenset[str], inner_possible: frozenset[str]
    ) -> bool:
        """Whether a fragment on ``inner`` applies to every object at a ``parent`` position and its
        selections are valid on ``parent`` too (same type, a union's, or an object position)."""
        if self.schema is None or parent is None or inner is None or inner_possible != possible:
            return False
        return (
            inner == parent
            or isinstance(self.schema.get_type(inner), GraphQLUnionType)
            or isinstance(self.schema.get_type(parent), GraphQLObjectType)
        )

    def _field(self, node: FieldNode, directives: tuple[DirectiveNode, ...], parent: str | None) -> FieldNode:
        inner = node.selection_set
        if inner is not None:
            child: str | None = None
            if self.schema is not None and parent is not None:
                parent_type = self.schema.get_type(parent)
                assert isinstance(parent_type, GraphQLObjectType | GraphQLInterfaceType), parent
                child = get_named_type(parent_type.fields[node.name.value].type).name
            inner = self.selection_set(inner, child, self._possible(child) if child else frozenset())
            if not inner.selections:
                inner = SelectionSetNode(selections=(_NOTHING,))
        return FieldNode(
            alias=node.alias,
            name=node.name,
            arguments=node.arguments,
            directives=directives,
            selection_set=inner,
        )


class _Uses(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.variables: set[str] = set()
        self.fragments: set[str] = set()

    def enter_variable(self, node: VariableNode, *_: Any) -> None:
        self.variables.add(node.name.value)

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: Any) -> None:
        self.fragments.add(node.name.value)


def without_conditions(
    document: str, variables: Mapping[str, Any], schema: GraphQLSchema | None = None
) -> str | None:
    """The operation of ``document`` with ``@skip``/``@include`` evaluated away, or ``None``.

    With ``schema``, named fragments are also inlined, fragments that can never apply where they
    stand are removed (CollectFields skips them for every object there), and fragments that
    apply to every object there are replaced by their selections.
    """
    parsed: DocumentNode = parse(document, no_location=True)
    fragments = {d.name.value: d for d in parsed.definitions if isinstance(d, FragmentDefinitionNode)}
    rewriter = _Rewriter(variables, schema, fragments)
    definitions: list[tuple[OperationDefinitionNode | FragmentDefinitionNode, SelectionSetNode]] = []
    for definition in parsed.definitions:
        if isinstance(definition, OperationDefinitionNode):
            root = schema.get_root_type(definition.operation) if schema is not None else None
            inner = rewriter.selection_set(
                definition.selection_set,
                root.name if root else None,
                frozenset({root.name}) if root else frozenset(),
            )
        elif isinstance(definition, FragmentDefinitionNode) and schema is None:
            inner = rewriter.selection_set(definition.selection_set)
        else:
            continue
        if not inner.selections:
            return None
        definitions.append((definition, inner))
    bodies = {d.name.value: inner for d, inner in definitions if isinstance(d, FragmentDefinitionNode)}
    uses = _Uses()
    pending = [inner for d, inner in definitions if isinstance(d, OperationDefinitionNode)]
    while pending:
        seen = set(uses.fragments)
        visit(pending.pop(), uses)
        pending.extend(bodies[name] for name in uses.fragments - seen if name in bodies)
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
