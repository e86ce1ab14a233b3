"""Build the ``representations`` of an ``_entities`` fetch from the objects at a Flatten path.

A representation holds exactly the fields the fetch's ``requires`` selects (its key, any
``@requires`` fields and ``__typename``), read from the response built so far. Inline
fragments apply by ``__typename``. Identical representations are sent once: each unique
representation remembers every object (and response path) it came from, so its result is
merged into all of them.

See https://www.apollographql.com/docs/federation/subgraph-spec/#understanding-query_entities
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from gateway.planner.plan import FetchRewrite, KeyRenamer, RequiresField, RequiresSelection, ValueSetter
from gateway.types import JSONObject

__all__ = ["EntityBatch", "TypeMatcher", "apply_rewrites", "build_entity_batch"]

TypeMatcher = Callable[[str, str], bool]
"""``matches(typename, type_condition)``: does an object of ``typename`` satisfy the condition?"""


class _Missing(Exception):
    """A required field is absent from the object; it cannot be represented."""


@dataclass(slots=True)
class EntityBatch:
    """Unique representations, and for each one the targets it was built from."""

    representations: list[JSONObject] = field(default_factory=list)
    origins: list[list[JSONObject]] = field(default_factory=list)
    """For each representation, the objects it was built from (results merge into all)."""


def build_entity_batch(
    targets: Sequence[JSONObject],
    requires: Sequence[RequiresSelection],
    input_rewrites: Sequence[FetchRewrite],
    matches: TypeMatcher,
) -> EntityBatch:
    """Build deduplicated representations for ``targets``.

    Objects without ``__typename`` in their representation, or missing a required field (for
    example because an earlier fetch failed), are skipped.
    """
    flat = _flat_spec(requires, matches)
    batch = EntityBatch()
    index_by_key: dict[Any, int] = {}
    for target in targets:
        representation = flat.represent(target) if flat is not None else _represent(target, requires, matches)
        if representation is None:
            continue
        if input_rewrites:
            apply_rewrites(representation, input_rewrites, matches)
        key: Any
        try:
            # Same typename => same fields in the same order, so the values identify it.
            key = tuple(representation.values()) if flat is not None and not input_rewrites else None
            index = index_by_key.get(key) if key is not None else None
        except TypeError:  # an unhashable value (a list or object key field)
            key = None
        if key is None:
            key = orjson.dumps(representation)
            index = index_by_key.get(key)
        if index is None:
            index_by_key[key] = len(batch.representations)
            batch.representations.append(representation)
            batch.origins.append([target])
        else:
            batch.origins[index].append(target)
    return batch


class _FlatSpec:
    """``requires`` made only of leaf fields, possibly inside type-conditioned fragments.

    That is the shape of nearly every entity key (``... on Product { __typename upc }``), so it
    gets a fast path: per ``__typename``, the ``(response key, field name)`` pairs to copy.
    """

    __slots__ = ("_by_type", "fragments", "matches", "top")

    def __init__(self, requires: Sequence[RequiresSelection], matches: TypeMatcher) -> None:
        self.matches = matches
        self.top: list[tuple[str, str]] = []
        self.fragments: list[tuple[str | None, list[tuple[str, str]]]] = []
        for selection in requires:
            if isinstance(selection, RequiresField):
                self.top.append((selection.alias or selection.name, selection.name))
            else:
                fields = [
                    (f.alias or f.name, f.name) for f in selection.selections if isinstance(f, RequiresField)
                ]
                self.fragments.append((selection.type_condition, fields))
        self._by_type: dict[Any, tuple[tuple[str, str], ...]] = {}

    def fields_for(self, typename: Any) -> tuple[tuple[str, str], ...]:
        fields = self._by_type.get(typename)
        if fields is None:
            collected = list(self.top)
            for condition, pairs in self.fragments:
                if condition is None or (isinstance(typename, str) and self.matches(typename, condition)):
                    collected.extend(pairs)
            fields = self._by_type[typename] = tuple(collected)
        return fields

    def represent(self, obj: JSONObject) -> JSONObject | None:
        try:
            fields = self.fields_for(obj.get("__typename"))
        except TypeError:  # an unhashable __typename
            return None
        out: JSONObject = {}
        for key, name in fields:
            if key not in obj:
                return None
            out[name] = obj[key]
        return out if "__typename" in out else None


_FLAT_SPECS: dict[int, tuple[Sequence[RequiresSelection], TypeMatcher, _FlatSpec | None]] = {}


def _flat_spec(requires: Sequence[RequiresSelection], matches: TypeMatcher) -> _FlatSpec | None:
    """The cached fast-path spec of ``requires`` (``None`` if it has nested selections)."""
    cached = _FLAT_SPECS.get(id(requires))
    if cached is not None and cached[0] is requires and cached[1] is matches:
        return cached[2]
    flat = all(
        not selection.selections
        if isinstance(selection, RequiresField)
        else all(isinstance(f, RequiresField) and not f.selections for f in selection.selections)
        for selection in requires
    )
    spec = _FlatSpec(requires, matches) if flat else None
    if len(_FLAT_SPECS) > 4096:
        _FLAT_SPECS.clear()
    _FLAT_SPECS[id(requires)] = (requires, matches, spec)
    return spec


def _represent(
    obj: JSONObject, requires: Sequence[RequiresSelection], matches: TypeMatcher
) -> JSONObject | None:
    out: JSONObject = {}
    try:
        _select_into(obj, requires, out, matches)
    except _Missing:
        return None
    if "__typename" not in out:
        return None
    return out


def _select_into(
    source: JSONObject, selections: Sequence[RequiresSelection], out: JSONObject, matches: TypeMatcher
) -> None:
    for selection in selections:
        if isinstance(selection, RequiresField):
            key = selection.alias or selection.name
            if key not in source:
                raise _Missing(key)
            value = source[key]
            if selection.selections and value is not None:
                value = _select_value(value, selection.selections, matches)
            out[selection.name] = value
        else:
            condition = selection.type_condition
            typename = source.get("__typename")
            if condition is None or (isinstance(typename, str) and matches(typename, condition)):
                _select_into(source, selection.selections, out, matches)


def _select_value(value: Any, selections: Sequence[RequiresSelection], matches: TypeMatcher) -> Any:
    if isinstance(value, list):
        return [None if item is None else _select_value(item, selections, matches) for item in value]
    if isinstance(value, dict):
        out: JSONObject = {}
        _select_into(value, selections, out, matches)
        return out
    return value


def apply_rewrites(value: JSONObject, rewrites: Sequence[FetchRewrite], matches: TypeMatcher) -> None:
    """Apply input or output rewrites (``ValueSetter``/``KeyRenamer``) to ``value`` in place.

    Path elements are response keys or type conditions written ``"... on Type"``; lists are
    traversed implicitly.
    """
    for rewrite in rewrites:
        _rewrite_at(value, rewrite.path, rewrite, matches)


def _rewrite_at(value: Any, path: Sequence[str], rewrite: FetchRewrite, matches: TypeMatcher) -> None:
    if isinstance(value, list):
        for item in value:
            _rewrite_at(item, path, rewrite, matches)
        return
    if not isinstance(value, dict) or not path:
        return
    head, rest = path[0], path[1:]
    if head.startswith("... on "):
        typename = value.get("__typename")
        if isinstance(typename, str) and matches(typename, head[7:]):
            _rewrite_at(value, rest, rewrite, matches)
        return
    if rest:
        _rewrite_at(value.get(head), rest, rewrite, matches)
        return
    if isinstance(rewrite, ValueSetter):
        value[head] = rewrite.set_value
    elif isinstance(rewrite, KeyRenamer) and head in value:
        value[rewrite.rename_key_to] = value.pop(head)
