"""The objects a plan node runs for, found by walking a Flatten path through the response.

Every Flatten node of every request walks its path (``"@"`` for list items) through the
response built so far, so the walk only collects objects. Their response paths are needed only
when a subgraph reports an error for one of them; ``Targets.paths_of`` then re-walks the path
with paths attached and finds the object by identity. (Re-walking, rather than indexing, stays
correct when a parallel fetch has merged more objects into the response in the meantime.) One
object may sit at several paths, because merged values are shared, not copied: ``paths_of``
gives them all, so an error is reported at every position it affects.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gateway.execution.representations import TypeMatcher
from gateway.types import JSONObject

__all__ = ["PathLink", "Targets", "collect_objects", "collect_targets", "path_to_list"]

PathLink = tuple[Any, str | int] | None
"""A response path as a linked list ``(parent, key)``; ``None`` is the root."""


def path_to_list(link: PathLink) -> list[str | int]:
    """Materialize a linked response path."""
    out: list[str | int] = []
    while link is not None:
        link, key = link
        out.append(key)
    out.reverse()
    return out


class Targets:
    """Objects of the response under construction that a node runs for.

    Args:
        objects: The objects, in response order.
        matches: Decides type conditions (``"... on T"`` path steps).
        parent: The targets ``path`` was walked from (``None`` for the root).
        path: The Flatten path from ``parent`` to these objects.
    """

    __slots__ = ("_paths", "matches", "objects", "parent", "path")

    def __init__(
        self,
        objects: list[JSONObject],
        matches: TypeMatcher,
        parent: Targets | None = None,
        path: Sequence[str] = (),
    ) -> None:
        self.objects = objects
        self.matches = matches
        self.parent = parent
        self.path = path
        self._paths: dict[int, list[list[str | int]]] | None = None

    def flatten(self, path: Sequence[str]) -> Targets:
        """The objects at ``path`` below these targets."""
        return Targets(collect_objects(self.objects, path, self.matches), self.matches, self, path)

    def _links(self) -> list[tuple[JSONObject, PathLink]]:
        if self.parent is None:
            return [(obj, None) for obj in self.objects]
        return collect_targets(self.parent._links(), self.path, self.matches)

    def paths_of(self, obj: JSONObject) -> list[list[str | int]]:
        """Every response path of ``obj`` (one of ``objects``); empty if it is gone.

        An object can sit at several paths: an entity result merged into every object its
        representation came from shares its nested values among them.
        """
        if self._paths is None:
            paths: dict[int, list[list[str | int]]] = {}
            for found, link in self._links():
                paths.setdefault(id(found), []).append(path_to_list(link))
            self._paths = paths
        return self._paths.get(id(obj), [])

    def unique_objects(self) -> list[JSONObject]:
        """``objects`` without repeats (a shared object is listed once per path it sits at)."""
        return list({id(obj): obj for obj in self.objects}.values())


def collect_objects(values: Sequence[Any], path: Sequence[str], matches: TypeMatcher) -> list[JSONObject]:
    """Find the objects at ``path`` below each of ``values``.

    ``"@"`` steps into every item of a list (lists are also entered implicitly), ``"... on T"``
    keeps only objects whose ``__typename`` satisfies ``T``, and nulls are skipped.
    """
    current: list[Any] = list(values)
    for key in path:
        found: list[Any] = []
        append = found.append
        if key == "@":
            for value in current:
                if value.__class__ is list:
                    for item in value:
                        if item is not None:
                            append(item)
                elif value.__class__ is dict:
                    append(value)
        elif key.startswith("... on "):
            condition = key[7:]
            for value in current:
                for obj in _objects(value):
                    typename = obj.get("__typename")
                    if isinstance(typename, str) and matches(typename, condition):
                        append(obj)
        else:
            for value in current:
                if value.__class__ is dict:
                    child = value.get(key)
                    if child is not None:
                        append(child)
                else:
                    for obj in _objects(value):
                        child = obj.get(key)
                        if child is not None:
                            append(child)
        current = found
    out: list[JSONObject] = []
    for value in current:
        if value.__class__ is dict:
            out.append(value)
        else:
            out.extend(_objects(value))
    return out


def _objects(value: Any) -> list[JSONObject]:
    if isinstance(value, dict):
        return [value]
    out: list[JSONObject] = []
    if isinstance(value, list):
        for item in value:
            out.extend(_objects(item))
    return out


def collect_targets(
    targets: Sequence[tuple[Any, PathLink]], path: Sequence[str], matches: TypeMatcher
) -> list[tuple[JSONObject, PathLink]]:
    """``collect_objects`` with response paths: the same walk, in the same order."""
    current: list[tuple[Any, PathLink]] = list(targets)
    for key in path:
        found: list[tuple[Any, PathLink]] = []
        for value, link in current:
            _step(value, link, key, matches, found)
        current = found
    out: list[tuple[JSONObject, PathLink]] = []
    for value, link in current:
        _linked_objects(value, link, out)
    return out


def _step(
    value: Any, link: PathLink, key: str, matches: TypeMatcher, found: list[tuple[Any, PathLink]]
) -> None:
    if isinstance(value, list):
        if key == "@":
            for index, item in enumerate(value):
                if item is not None:
                    found.append((item, (link, index)))
        else:  # lists are entered implicitly
            for index, item in enumerate(value):
                _step(item, (link, index), key, matches, found)
        return
    if not isinstance(value, dict):
        return
    if key == "@":
        found.append((value, link))
    elif key.startswith("... on "):
        typename = value.get("__typename")
        if isinstance(typename, str) and matches(typename, key[7:]):
            found.append((value, link))
    else:
        child = value.get(key)
        if child is not None:
            found.append((child, (link, key)))


def _linked_objects(value: Any, link: PathLink, out: list[tuple[JSONObject, PathLink]]) -> None:
    if isinstance(value, dict):
        out.append((value, link))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _linked_objects(item, (link, index), out)
