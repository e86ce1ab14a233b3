"""The state shared by the merge stages: subgraphs, the supergraph being built, findings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from gateway.composition.errors import CompositionError, composition_error
from gateway.composition.hints import CompositionHint, composition_hint
from gateway.composition.merged import Supergraph
from gateway.composition.model import Subgraph, TypeInfo, TypeKind
from gateway.composition.typerefs import named_type
from gateway.composition.usage import FieldUsage

__all__ = [
    "MergeContext",
    "TypeGroup",
    "abstract_subtypes",
    "enum_usage",
    "first_description",
    "union_ordered",
]

TypeGroup = list[tuple[Subgraph, TypeInfo]]
"""The definitions of one type name, one per subgraph that has it, in subgraph order."""


@dataclass(slots=True)
class MergeContext:
    """Everything a merge stage reads or reports to."""

    subgraphs: Sequence[Subgraph]
    supergraph: Supergraph
    usage: FieldUsage
    enum_usage: dict[str, set[str]]
    subtypes: dict[str, frozenset[str]] = field(default_factory=dict)
    """Interface or union name → the types that implement it or belong to it, in any subgraph."""
    errors: list[CompositionError] = field(default_factory=list)
    hints: list[CompositionHint] = field(default_factory=list)

    def error(self, code: str, message: str, *subgraphs: str) -> None:
        """Record a composition error."""
        self.errors.append(composition_error(code, message, *subgraphs))

    def hint(self, code: str, message: str) -> None:
        """Record a composition hint."""
        self.hints.append(composition_hint(code, message))

    def graph(self, subgraph: Subgraph) -> str:
        """Return the ``join__Graph`` value of ``subgraph``."""
        return self.supergraph.graph_enum(subgraph.name)


def enum_usage(subgraphs: Iterable[Subgraph]) -> dict[str, set[str]]:
    """Map each type name to the positions (``"input"``/``"output"``) it is used in, over all subgraphs."""
    usage: dict[str, set[str]] = {}
    for subgraph in subgraphs:
        for info in subgraph.types.values():
            for field_info in info.fields:
                usage.setdefault(named_type(field_info.type), set()).add("output")
                for argument in field_info.arguments:
                    usage.setdefault(named_type(argument.type), set()).add("input")
            if info.kind is TypeKind.INPUT_OBJECT:
                for input_field in info.input_fields:
                    usage.setdefault(named_type(input_field.type), set()).add("input")
    return usage


def abstract_subtypes(subgraphs: Iterable[Subgraph]) -> dict[str, frozenset[str]]:
    """Map each interface and union to the type names that implement it or are its members, anywhere."""
    found: dict[str, set[str]] = {}
    for subgraph in subgraphs:
        for info in subgraph.types.values():
            for interface in info.interfaces:
                found.setdefault(interface, set()).add(info.name)
            if info.members:
                found.setdefault(info.name, set()).update(info.members)
    return {name: frozenset(members) for name, members in found.items()}


def first_description(context: MergeContext, element: str, descriptions: Sequence[str | None]) -> str | None:
    """Keep the first non-empty description; hint when the subgraphs disagree."""
    present = [d for d in descriptions if d]
    if len(set(present)) > 1:
        context.hint(
            "INCONSISTENT_DESCRIPTION",
            f"Element {element!r} has different descriptions in different subgraphs; the first one is kept.",
        )
    return present[0] if present else None


def union_ordered(groups: Iterable[Iterable[str]]) -> list[str]:
    """Concatenate ``groups`` without duplicates, keeping first appearances in order."""
    return list(dict.fromkeys(item for group in groups for item in group))
