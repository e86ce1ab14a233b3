"""The two patch formats kustomize applies: strategic merge and JSON 6902.

A strategic merge patch merges maps recursively, deletes a key set to ``null``, and merges lists
of objects by their Kubernetes merge key (containers by ``name``, volume mounts by ``mountPath``…)
instead of replacing them; ``$patch: delete`` removes a list item, ``$patch: replace`` replaces a map.
A JSON 6902 patch is a list of ``add``/``replace``/``remove``/``test`` operations on JSON pointers.

See https://github.com/kubernetes/community/blob/master/contributors/devel/sig-api-machinery/strategic-merge-patch.md
and https://datatracker.ietf.org/doc/html/rfc6902
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["PatchError", "apply_json6902", "strategic_merge"]

# Merge keys of the list fields our manifests patch (the Kubernetes API's patchMergeKey and
# listMapKey tags): items whose key fields all match are merged, any other item is appended.
_MERGE_KEYS: dict[str, tuple[str, ...]] = {
    "containers": ("name",),
    "initContainers": ("name",),
    "env": ("name",),
    "volumes": ("name",),
    "volumeMounts": ("mountPath",),
    "imagePullSecrets": ("name",),
    "topologySpreadConstraints": ("topologyKey", "whenUnsatisfiable"),
    "hostAliases": ("ip",),
}


class PatchError(ValueError):
    """A patch cannot be applied (a missing path, a failed ``test``, a malformed operation)."""


def _merge_key(field: str, items: list[Any]) -> tuple[str, ...] | None:
    if field == "ports":  # container ports merge by containerPort, Service ports by port
        has_container_port = any(isinstance(i, dict) and "containerPort" in i for i in items)
        return ("containerPort",) if has_container_port else ("port",)
    return _MERGE_KEYS.get(field)


def strategic_merge(original: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """Return ``original`` with the strategic merge ``patch`` applied (neither is modified)."""
    return _merge_map(copy.deepcopy(original), copy.deepcopy(patch))


def _merge_map(target: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    if patch.pop("$patch", None) == "replace":
        return patch
    for key, value in patch.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            target[key] = _merge_map(target[key], value)
        elif isinstance(value, list) and isinstance(target.get(key), list):
            target[key] = _merge_list(key, target[key], value)
        else:
            target[key] = _strip_directives(value)
    return target


def _merge_list(field: str, target: list[Any], patch: list[Any]) -> list[Any]:
    key = _merge_key(field, [*target, *patch])
    if key is None or not all(isinstance(i, dict) for i in patch):
        return [_strip_directives(i) for i in patch]
    merged = list(target)
    for item in patch:
        index = next((n for n, t in enumerate(merged) if all(t.get(k) == item.get(k) for k in key)), None)
        if item.get("$patch") == "delete":
            if index is not None:
                del merged[index]
        elif index is None:
            merged.append(_strip_directives(item))
        else:
            merged[index] = _merge_map(merged[index], item)
    return merged


def _strip_directives(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_directives(v) for k, v in value.items() if not k.startswith("$")}
    if isinstance(value, list):
        return [_strip_directives(v) for v in value]
    return value


def _pointer(path: str) -> list[str]:
    if not path.startswith("/"):
        raise PatchError(f"JSON pointer {path!r} must start with '/'.")
    return [part.replace("~1", "/").replace("~0", "~") for part in path[1:].split("/")]


def _parent(document: Any, parts: list[str], path: str) -> Any:
    node = document
    for part in parts[:-1]:
        try:
            node = node[int(part)] if isinstance(node, list) else node[part]
        except (KeyError, IndexError, ValueError):
            raise PatchError(f"JSON patch path {path!r} does not exist.") from None
    return node


def apply_json6902(document: dict[str, Any], operations: list[dict[str, Any]]) -> dict[str, Any]:
    """Return ``document`` with the RFC 6902 ``operations`` applied (``move``/``copy`` unsupported)."""
    result = copy.deepcopy(document)
    for operation in operations:
        op, path = operation.get("op"), str(operation.get("path", ""))
        parts = _pointer(path)
        parent, last = _parent(result, parts, path), parts[-1]
        if op in ("add", "replace"):
            value = copy.deepcopy(operation["value"])
            if isinstance(parent, list):
                index = len(parent) if last == "-" else int(last)
                if op == "add":
                    parent.insert(index, value)
                else:
                    parent[index] = value
            else:
                if op == "replace" and last not in parent:
                    raise PatchError(f"JSON patch 'replace' at {path!r}: nothing there to replace.")
                parent[last] = value
        elif op == "remove":
            try:
                del parent[int(last) if isinstance(parent, list) else last]
            except (KeyError, IndexError, ValueError):
                raise PatchError(f"JSON patch 'remove' at {path!r}: nothing there to remove.") from None
        elif op == "test":
            actual = parent[int(last)] if isinstance(parent, list) else parent.get(last)
            if actual != operation.get("value"):
                raise PatchError(f"JSON patch 'test' at {path!r} failed: found {actual!r}.")
        else:
            raise PatchError(f"JSON patch operation {op!r} is not supported (add, replace, remove, test).")
    return result
