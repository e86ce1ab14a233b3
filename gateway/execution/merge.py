"""Deep-merge subgraph results into the response being assembled.

Results arrive keyed by the client's response keys, so merging is a plain recursive union:
objects merge key by key, lists of the same length merge item by item, and a ``null`` never
overwrites a value another fetch already produced. Values are shared, not copied: the
response tree only ever grows, and shaping builds a fresh output.

See https://github.com/graph-hive/router (response/merge) for the same rule.
"""

from __future__ import annotations

from typing import Any

from gateway.types import JSONObject

__all__ = ["deep_merge"]


def deep_merge(target: JSONObject, source: JSONObject) -> None:
    """Merge ``source`` into ``target`` in place."""
    for key, value in source.items():
        existing = target.get(key)
        if existing is None:
            target[key] = value
        elif value is not None:
            target[key] = _merge_values(existing, value)


def _merge_values(existing: Any, value: Any) -> Any:
    if isinstance(existing, dict) and isinstance(value, dict):
        deep_merge(existing, value)
        return existing
    if isinstance(existing, list) and isinstance(value, list) and len(existing) == len(value):
        for index, item in enumerate(value):
            current = existing[index]
            if current is None:
                existing[index] = item
            elif item is not None:
                existing[index] = _merge_values(current, item)
        return existing
    return value
