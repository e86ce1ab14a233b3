"""Reading a GraphQL selection set, for resolvers that ask their backend only for what it needs.

Strawberry hands resolvers the selection below their field as ``SelectedField``,
``InlineFragment`` and ``FragmentSpread`` objects. These helpers flatten fragments (whatever
their type condition) and ignore ``@skip``/``@include``: a backend asked for a part that is
then not used only did some wasted work, never gave a wrong answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

__all__ = ["field_names", "selected_fields"]


def selected_fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    """The fields of a selection set, with fragments flattened into it."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        elif isinstance(selection, InlineFragment | FragmentSpread):
            yield from selected_fields(selection.selections)


def field_names(selections: Iterable[Selection]) -> Iterator[str]:
    """The (GraphQL) names of the fields of a selection set, fragments flattened."""
    return (field.name for field in selected_fields(selections))
