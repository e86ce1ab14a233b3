"""``@skip``/``@include`` conditions: composing them and printing them as a valid document.

A selection may sit under several variable conditions at once: its own directives, those of the
fragments around it, and those a root-level fragment folds into a root field. Together they form
a *conjunction*: the selection is included when every condition holds. ``conjoin`` keeps that
conjunction canonical (sorted, each condition once) and tells when it can never hold
(``@include(if: $v)`` together with ``@skip(if: $v)``), so equal conjunctions compare equal and
merge, and impossible ones are dropped during normalization.

A subgraph document, though, allows each of ``@skip`` and ``@include`` only once per selection
(neither is repeatable). ``print_conditioned`` therefore puts one of each on the selection itself
and nests the rest as condition-only inline fragments around it
(``...@skip(if:$a){insurers@skip(if:$b){id}}``), which means the same and is always valid.

Spec: https://spec.graphql.org/October2021/#sec--skip and
https://spec.graphql.org/October2021/#sec-Directives-Are-Unique-Per-Location
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Condition", "Conditions", "conjoin", "print_conditioned"]


@dataclass(frozen=True, slots=True, order=True)
class Condition:
    """A variable-driven ``@include(if: $v)`` (``include=True``) or ``@skip(if: $v)``."""

    variable: str
    include: bool

    def printed(self) -> str:
        """The directive as printed in a subgraph operation."""
        return f"@{'include' if self.include else 'skip'}(if:${self.variable})"


Conditions = tuple[Condition, ...]
"""A canonical conjunction: sorted, without repeats, never both polarities of one variable."""


def conjoin(*groups: Iterable[Condition]) -> Conditions | None:
    """The canonical conjunction of ``groups``, or ``None`` when it can never hold.

    Example: ``conjoin([skip a], [skip b, skip a])`` is ``(skip a, skip b)``;
    ``conjoin([include a], [skip a])`` is ``None``.
    """
    found = {condition for group in groups for condition in group}
    if any(Condition(c.variable, not c.include) in found for c in found):
        return None
    return tuple(sorted(found))


def print_conditioned(head: str, body: str, conditions: Conditions) -> str:
    """Print a selection under ``conditions``: ``head`` is its name (or ``...on T``), ``body`` its
    printed sub-selection (empty for a leaf).

    The selection carries at most one ``@skip`` and one ``@include``; any further condition
    becomes a condition-only inline fragment wrapped around it.
    """
    direct: list[Condition] = []
    wrappers: list[Condition] = []
    for condition in conditions:
        if any(d.include == condition.include for d in direct):
            wrappers.append(condition)
        else:
            direct.append(condition)
    out = head + "".join(c.printed() for c in direct) + body
    for condition in reversed(wrappers):
        out = "..." + condition.printed() + "{" + out + "}"
    return out
