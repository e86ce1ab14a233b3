"""Composition hints: non-fatal findings that a successful composition reports.

A hint says the supergraph is valid but probably not what the subgraph authors
meant (an input field dropped because one subgraph lacks it, inconsistent
descriptions, an ``@override`` that can be removed). Codes follow Apollo's hint
names; :data:`HINT_CODES` is the registry.

Spec: https://www.apollographql.com/docs/graphos/reference/federation/hints
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["HINT_CODES", "CompositionHint", "composition_hint"]

HINT_CODES: Mapping[str, str] = {
    "INCONSISTENT_DESCRIPTION": "Subgraphs give an element different descriptions; the first one is kept.",
    "INCONSISTENT_BUT_COMPATIBLE_FIELD_TYPE": "Subgraphs declare a field with compatible but different types.",
    "INCONSISTENT_BUT_COMPATIBLE_ARGUMENT_TYPE": "Subgraphs declare an argument with compatible but different types.",
    "INCONSISTENT_ARGUMENT_PRESENCE": "An optional argument is missing from some subgraph and was dropped.",
    "INCONSISTENT_INPUT_OBJECT_FIELD": "An optional input field is missing from some subgraph and was dropped.",
    "INCONSISTENT_ENUM_VALUE_FOR_INPUT_ENUM": "An input enum value is missing from some subgraph and was dropped.",
    "UNUSED_ENUM_TYPE": "An enum is used by no field or argument; it was merged like an output enum.",
    "FROM_SUBGRAPH_DOES_NOT_EXIST": "@override names a subgraph that is not part of the composition.",
    "OVERRIDE_DIRECTIVE_CAN_BE_REMOVED": "@override names a subgraph that does not declare the field.",
    "OVERRIDE_LABEL_IGNORED": "@override(label:) is composed as a full override (join v0.3 has no labels).",
    "DROPPED_CUSTOM_DIRECTIVE": "A custom directive application is not carried into the supergraph.",
}


@dataclass(frozen=True, slots=True)
class CompositionHint:
    """One non-fatal finding of a successful composition."""

    code: str
    """A key of :data:`HINT_CODES`."""
    message: str

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


def composition_hint(code: str, message: str) -> CompositionHint:
    """Build a :class:`CompositionHint`, checking that ``code`` is registered."""
    if code not in HINT_CODES:  # pragma: no cover - a programming error, caught by the registry test
        raise KeyError(f"Unknown composition hint code {code!r}.")
    return CompositionHint(code, message)
