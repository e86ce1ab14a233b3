"""Strategic merge and JSON 6902 patches, as kustomize applies them."""

from __future__ import annotations

from typing import Any

import pytest

from deploy.patching import PatchError, apply_json6902, strategic_merge

POD: dict[str, Any] = {
    "containers": [
        {"name": "a", "image": "x:1", "env": [{"name": "K", "value": "1"}], "ports": [{"containerPort": 80}]},
        {"name": "b", "image": "y:1"},
    ],
    "topologySpreadConstraints": [
        {"topologyKey": "zone", "whenUnsatisfiable": "ScheduleAnyway", "maxSkew": 1},
    ],
    "tolerations": [{"key": "t1"}],
}


def test_lists_merge_by_their_kubernetes_merge_keys() -> None:
    patched = strategic_merge(
        POD,
        {
            "containers": [
                {
                    "name": "a",
                    "env": [{"name": "L", "value": "2"}],
                    "ports": [{"containerPort": 80, "name": "http"}],
                }
            ],
            "tolerations": [{"key": "t2"}],
        },
    )
    a, b = patched["containers"]
    assert a["image"] == "x:1"
    assert a["env"] == [{"name": "K", "value": "1"}, {"name": "L", "value": "2"}]
    assert a["ports"] == [{"containerPort": 80, "name": "http"}]
    assert b == {"name": "b", "image": "y:1"}
    assert patched["tolerations"] == [{"key": "t2"}], "lists without a merge key are replaced"
    assert POD["containers"][0]["env"] == [{"name": "K", "value": "1"}], "the original is untouched"


def test_spread_constraints_merge_on_topology_key_and_when_unsatisfiable() -> None:
    # As in Kubernetes (listMapKey topologyKey + whenUnsatisfiable): a different policy is a new item.
    patched = strategic_merge(
        POD, {"topologySpreadConstraints": [{"topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"}]}
    )
    assert [c["whenUnsatisfiable"] for c in patched["topologySpreadConstraints"]] == [
        "ScheduleAnyway",
        "DoNotSchedule",
    ]


def test_null_deletes_a_key_and_patch_directives_delete_or_replace() -> None:
    patched = strategic_merge(
        POD,
        {
            "tolerations": None,
            "containers": [{"name": "b", "$patch": "delete"}],
            "extra": {"$patch": "replace", "k": 1},
        },
    )
    assert "tolerations" not in patched
    assert [c["name"] for c in patched["containers"]] == ["a"]
    assert patched["extra"] == {"k": 1}


def test_json6902_operations() -> None:
    document = {"spec": {"items": [1, 2], "name": "x"}}
    patched = apply_json6902(
        document,
        [
            {"op": "test", "path": "/spec/name", "value": "x"},
            {"op": "add", "path": "/spec/items/-", "value": 3},
            {"op": "add", "path": "/spec/items/0", "value": 0},
            {"op": "replace", "path": "/spec/name", "value": "y"},
            {"op": "remove", "path": "/spec/items/1"},
            {"op": "add", "path": "/spec/a~1b", "value": True},
        ],
    )
    assert patched == {"spec": {"items": [0, 2, 3], "name": "y", "a/b": True}}
    assert document == {"spec": {"items": [1, 2], "name": "x"}}


@pytest.mark.parametrize(
    ("operation", "message"),
    [
        ({"op": "test", "path": "/spec/name", "value": "z"}, "'test' at '/spec/name' failed"),
        ({"op": "replace", "path": "/spec/missing", "value": 1}, "nothing there to replace"),
        ({"op": "remove", "path": "/spec/missing"}, "nothing there to remove"),
        ({"op": "add", "path": "/nope/deeper", "value": 1}, "does not exist"),
        ({"op": "move", "path": "/spec/name", "from": "/spec/x"}, "not supported"),
        ({"op": "add", "path": "spec", "value": 1}, "must start with '/'"),
    ],
)
def test_json6902_failures_are_patch_errors(operation: dict[str, object], message: str) -> None:
    with pytest.raises(PatchError, match=message):
        apply_json6902({"spec": {"name": "x"}}, [operation])
