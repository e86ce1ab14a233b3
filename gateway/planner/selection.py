"""Selection-set algebra for fetch groups: a mutable tree that merges as fields are added.

While the walker fills a fetch group it adds fields one at a time (client fields, keys,
``@requires`` fields, ``__typename``); ``SelectionNode`` merges them by response key and
type condition, and prints the result in the compact form subgraph operations use
(``{topProducts{__typename upc name}}``). Fragments whose type condition is ``None`` carry only
conditions (``...@include(if:$v){...}``); a conjunction of several conditions prints through
``conditions.print_conditioned``, so the document stays valid at every level.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from gateway.planner.conditions import Conditions, print_conditioned
from gateway.planner.operation import NField, NSelection
from gateway.planner.plan import RequiresField, RequiresInlineFragment, RequiresSelection

__all__ = ["FieldEntry", "SelectionNode", "provides", "representation_conflict", "requires_from_node"]

_FragmentKey = tuple[str | None, Conditions]


@dataclass(eq=False, slots=True)
class FieldEntry:
    """One field of a ``SelectionNode``; ``sub`` is set for composite fields."""

    name: str
    alias: str | None
    arguments: tuple[tuple[str, str], ...]
    variables: frozenset[str]
    conditions: Conditions
    sub: SelectionNode | None = None

    @property
    def response_key(self) -> str:
        """The key the field has in the subgraph response (alias or name)."""
        return self.alias or self.name


@dataclass(eq=False, slots=True)
class SelectionNode:
    """A mutable selection set: fields by (response key, conditions) and fragments by type."""

    fields: dict[tuple[str, Conditions], FieldEntry] = field(default_factory=dict)
    fragments: dict[_FragmentKey, SelectionNode] = field(default_factory=dict)

    def add_field(self, selection: NField, composite: bool) -> FieldEntry:
        """Add (or find) the field of ``selection`` without its sub-selections."""
        key = (selection.response_key, selection.conditions)
        entry = self.fields.get(key)
        if entry is None:
            entry = FieldEntry(
                name=selection.name,
                alias=selection.alias,
                arguments=selection.arguments,
                variables=selection.variables,
                conditions=selection.conditions,
                sub=SelectionNode() if composite else None,
            )
            self.fields[key] = entry
        elif composite and entry.sub is None:
            entry.sub = SelectionNode()
        return entry

    def add_typename(self) -> None:
        """Select ``__typename`` here (needed for abstract types and entity representations)."""
        self.add_field(NField("__typename"), composite=False)

    def fragment(self, type_condition: str | None, conditions: Conditions = ()) -> SelectionNode:
        """The (possibly new) inline fragment with this type condition and conditions."""
        key = (type_condition, conditions)
        node = self.fragments.get(key)
        if node is None:
            node = self.fragments[key] = SelectionNode()
        return node

    def add_selections(self, selections: tuple[NSelection, ...]) -> tuple[NSelection, ...]:
        """Merge internal selections (keys, requirements) into this node.

        A field whose response key the client already uses for another field (``upc: name``)
        is aliased (``upc__fed0: upc``); the returned selections carry those aliases, so the
        representation reads the right response key.
        """
        effective: list[NSelection] = []
        for selection in selections:
            if isinstance(selection, NField):
                selection = self._unclash(selection)
                entry = self.add_field(selection, composite=bool(selection.selections))
                if entry.sub is not None:
                    inner = entry.sub.add_selections(selection.selections)
                    selection = replace(selection, selections=inner)
            else:
                inner = self.fragment(selection.type_condition, selection.conditions).add_selections(
                    selection.selections
                )
                selection = replace(selection, selections=inner)
            effective.append(selection)
        return tuple(effective)

    def _unclash(self, selection: NField) -> NField:
        index = 0
        while True:
            entry = self.fields.get((selection.response_key, selection.conditions))
            if entry is None or (entry.name == selection.name and entry.arguments == selection.arguments):
                return selection
            selection = replace(selection, alias=f"{selection.name}__fed{index}")
            index += 1

    def merge(self, other: SelectionNode) -> None:
        """Merge another node into this one (used when fetch groups merge)."""
        for key, entry in other.fields.items():
            mine = self.fields.get(key)
            if mine is None:
                self.fields[key] = entry
            elif entry.sub is not None:
                if mine.sub is None:
                    mine.sub = SelectionNode()
                mine.sub.merge(entry.sub)
        for fkey, node in other.fragments.items():
            self.fragment(*fkey).merge(node)

    def is_empty(self) -> bool:
        """Whether nothing at all is selected (fragments included)."""
        return not self.fields and all(node.is_empty() for node in self.fragments.values())

    def variables(self) -> set[str]:
        """The variables used by arguments and conditions anywhere below."""
        found: set[str] = set()
        for entry in self.fields.values():
            found |= entry.variables
            found |= {c.variable for c in entry.conditions}
            if entry.sub is not None:
                found |= entry.sub.variables()
        for (_, conditions), node in self.fragments.items():
            if node.is_empty():
                continue  # not printed
            found |= {c.variable for c in conditions}
            found |= node.variables()
        return found

    def print(self) -> str:
        """Print compactly: ``{a b:c(x:1){d} ...on T{e}}``."""
        parts: list[str] = []
        for entry in self.fields.values():
            head = f"{entry.alias}:{entry.name}" if entry.alias else entry.name
            if entry.arguments:
                head += "(" + ",".join(f"{name}:{value}" for name, value in entry.arguments) + ")"
            body = ""
            if entry.sub is not None:
                if entry.sub.is_empty():
                    entry.sub.add_typename()
                body = entry.sub.print()
            parts.append(print_conditioned(head, body, entry.conditions))
        for (type_condition, conditions), node in self.fragments.items():
            if node.is_empty():
                continue
            head = f"...on {type_condition}" if type_condition else "..."
            parts.append(print_conditioned(head, node.print(), conditions))
        return "{" + " ".join(parts) + "}"


def requires_from_node(node: SelectionNode) -> tuple[RequiresSelection, ...]:
    """Convert a representation selection into the plan's ``requires`` records."""
    out: list[RequiresSelection] = []
    for entry in node.fields.values():
        out.append(
            RequiresField(
                name=entry.name,
                selections=requires_from_node(entry.sub) if entry.sub is not None else (),
                alias=entry.alias,
            )
        )
    for (type_condition, _), sub in node.fragments.items():
        if not sub.is_empty():
            out.append(
                RequiresInlineFragment(type_condition=type_condition, selections=requires_from_node(sub))
            )
    return tuple(out)


def representation_conflict(first: SelectionNode, second: SelectionNode) -> bool:
    """Whether two representation selections need one field under two response keys.

    A representation holds each field once (by name), so ``price(currency: "USD")`` and
    ``price(currency: "EUR")`` (aliased differently) cannot share one ``_entities`` fetch.
    """
    for key, node in first.fragments.items():
        other = second.fragments.get(key)
        if other is not None and representation_conflict(node, other):
            return True
    names = {entry.name: entry for entry in first.fields.values()}
    for entry in second.fields.values():
        mine = names.get(entry.name)
        if mine is None:
            continue
        if mine.response_key != entry.response_key:
            return True
        if mine.sub is not None and entry.sub is not None and representation_conflict(mine.sub, entry.sub):
            return True
    return False


def provides(node: SelectionNode, selections: tuple[NSelection, ...]) -> bool:
    """Whether ``node`` selects ``selections`` unconditionally (what a representation can rely on)."""
    for selection in selections:
        if isinstance(selection, NField):
            entry = node.fields.get((selection.response_key, ()))
            if entry is None or (
                selection.selections and (entry.sub is None or not provides(entry.sub, selection.selections))
            ):
                return False
        else:
            inner = node.fragments.get((selection.type_condition, ()))
            if inner is None or not provides(inner, selection.selections):
                return False
    return True
