"""Type references (``"[ID!]!"``) and how composition merges them.

Different subgraphs may declare the same field with types that differ only in
nullability. For output positions the supergraph takes the *least* restrictive
type (a subgraph that promises non-null still satisfies a nullable supergraph
field); for input positions it takes the *most* restrictive one (a value valid
for the supergraph must be valid for every subgraph). Anything else — another
named type or another list depth — is a type mismatch.

Spec: https://www.apollographql.com/docs/graphos/schema-design/federated-schemas/composition#rules-of-composition
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from graphql import ListTypeNode, NamedTypeNode, NonNullTypeNode, TypeNode, parse_type, print_ast

__all__ = ["input_type_of", "is_non_null", "named_type", "output_type_of"]

_Combine = Callable[[bool, bool], bool]
"""Given whether each side is non-null, decide whether the merged type is non-null."""

_NO_SUBTYPES: Mapping[str, frozenset[str]] = {}


def named_type(reference: str) -> str:
    """Return the named type at the bottom of ``reference`` (``"[ID!]!"`` → ``"ID"``)."""
    return reference.replace("[", "").replace("]", "").replace("!", "").strip()


def is_non_null(reference: str) -> bool:
    """Tell whether ``reference`` is a non-null type."""
    return reference.strip().endswith("!")


def output_type_of(
    references: Sequence[str], subtypes: Mapping[str, frozenset[str]] = _NO_SUBTYPES
) -> str | None:
    """Merge output field types: the most general common type, or ``None`` when they are incompatible.

    ``subtypes`` maps an interface or union to its implementations or members: a field typed ``Node``
    in one subgraph and ``Item`` (which implements ``Node``) in another merges to ``Node``.
    """
    return _fold(references, lambda a, b: a and b, subtypes)


def input_type_of(references: Sequence[str]) -> str | None:
    """Merge argument/input field types: the most restrictive type, or ``None`` when incompatible.

    PORT_NOTE: only the outermost ``!`` may differ (``Int`` vs ``Int!``); ``[Int]`` vs ``[Int!]`` is a
    mismatch, as in The Guild's composition (Apollo would accept it as a subtype).
    """
    if len({r.strip().removesuffix("!") for r in references}) > 1:
        return None
    return _fold(references, lambda a, b: a or b, _NO_SUBTYPES)


def _fold(references: Sequence[str], combine: _Combine, subtypes: Mapping[str, frozenset[str]]) -> str | None:
    if len(set(references)) == 1:
        return references[0]
    nodes = [parse_type(r) for r in references]
    merged: TypeNode | None = nodes[0]
    for node in nodes[1:]:
        if merged is None:
            return None
        merged = _merge(merged, node, combine, subtypes)
    return None if merged is None else print_ast(merged)


def _merge(
    a: TypeNode, b: TypeNode, combine: _Combine, subtypes: Mapping[str, frozenset[str]]
) -> TypeNode | None:
    a_non_null, b_non_null = isinstance(a, NonNullTypeNode), isinstance(b, NonNullTypeNode)
    inner_a = a.type if isinstance(a, NonNullTypeNode) else a
    inner_b = b.type if isinstance(b, NonNullTypeNode) else b
    inner: TypeNode | None
    if isinstance(inner_a, NamedTypeNode) and isinstance(inner_b, NamedTypeNode):
        name_a, name_b = inner_a.name.value, inner_b.name.value
        if name_a == name_b or name_b in subtypes.get(name_a, ()):
            inner = inner_a
        elif name_a in subtypes.get(name_b, ()):
            inner = inner_b
        else:
            inner = None
    elif isinstance(inner_a, ListTypeNode) and isinstance(inner_b, ListTypeNode):
        item = _merge(inner_a.type, inner_b.type, combine, subtypes)
        inner = None if item is None else ListTypeNode(type=item)
    else:
        inner = None
    if inner is None:
        return None
    if combine(a_non_null, b_non_null):
        return NonNullTypeNode(type=inner)
    return inner
