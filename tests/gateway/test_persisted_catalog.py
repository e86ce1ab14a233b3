from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gateway.partners import PartnerConfigError, PartnerRegistry, parse_registry
from gateway.persisted_catalog import build_catalog
from gateway.persisted_queries import sha256_hex
from gateway.pipeline import Gateway
from gateway.types import PartnerId
from tests.gateway.partner_world import DEPLOY, make_gateway

KEY_A = "sha256:" + "a" * 64
KEY_B = "sha256:" + "b" * 64


@pytest.fixture(scope="module")
def gateway() -> Gateway:
    return make_gateway()


def _registry(tmp_path: Path, *partners: dict[str, Any]) -> PartnerRegistry:
    return parse_registry({"partners": list(partners)}, tmp_path)


def _manifest(tmp_path: Path, name: str, *operations: tuple[str, str, str]) -> str:
    ops = [
        {"id": sha256_hex(body), "name": op_name, "type": kind, "body": body}
        for op_name, kind, body in operations
    ]
    path = tmp_path / name
    path.write_text(
        json.dumps({"format": "apollo-persisted-query-manifest", "version": 1, "operations": ops})
    )
    return name


def _partner(pid: str, key: str, *manifests: str, **extra: Any) -> dict[str, Any]:
    return {"id": pid, "name": pid, "api_keys": [key], "manifests": list(manifests), **extra}


def test_deploy_manifests_are_prepared_and_planned_once(gateway: Gateway) -> None:
    from gateway.partners import load_registry

    registry = load_registry(DEPLOY / "partners.yaml")
    misses = gateway.plans.misses
    catalog = build_catalog(gateway, registry)
    entry = catalog.named("GetApplication")
    assert entry is not None
    assert entry.plan is not None
    assert catalog.lookup(entry.operation.id) is entry
    assert catalog.lookup(entry.sha256) is entry
    assert catalog.allows(PartnerId("acme-bank"), entry)
    create = catalog.named("CreateApplication")
    assert create is not None
    assert create.is_mutation
    assert not catalog.allows(PartnerId("travelshop"), create)
    assert catalog.allows(PartnerId("acme-bank"), create)
    planned = len({e.sha256 for e in catalog.by_ref.values() if e.plan is not None})
    assert gateway.plans.misses - misses <= planned
    build_catalog(gateway, registry)  # a reload of the same operations plans nothing new
    assert gateway.plans.misses - misses <= planned


def test_an_operation_that_does_not_validate_names_partner_manifest_and_operation(
    gateway: Gateway, tmp_path: Path
) -> None:
    manifest = _manifest(
        tmp_path, "bad.json", ("Broken", "query", "query Broken { application(id: 1) { nope } }")
    )
    with pytest.raises(PartnerConfigError) as caught:
        build_catalog(gateway, _registry(tmp_path, _partner("acme", KEY_A, manifest)))
    message = str(caught.value)
    assert "partner 'acme'" in message
    assert "'bad.json'" in message
    assert "'Broken'" in message
    assert "Cannot query field 'nope'" in message


def test_an_operation_over_the_partners_static_limits_fails_the_load(
    gateway: Gateway, tmp_path: Path
) -> None:
    body = 'query Deep { application(id: "x") { client { applications { client { id } } } } }'
    manifest = _manifest(tmp_path, "deep.json", ("Deep", "query", body))
    with pytest.raises(PartnerConfigError, match="operation limits: The operation nests 5 levels deep"):
        build_catalog(
            gateway, _registry(tmp_path, _partner("acme", KEY_A, manifest, limits={"max_depth": 3}))
        )


@pytest.mark.parametrize(
    ("kind", "body", "error"),
    [
        ("query", "{ __schema { queryType { name } } }", "introspection"),
        ("mutation", 'query Q { application(id: "x") { id } }', "manifest says 'mutation'"),
        ("query", "query A { __typename } query B { __typename }", "exactly one operation"),
        ("query", "query Q { application(", "not a valid operation"),
    ],
)
def test_unservable_operations_are_refused(
    gateway: Gateway, tmp_path: Path, kind: str, body: str, error: str
) -> None:
    manifest = _manifest(tmp_path, "m.json", ("Q", kind, body))
    with pytest.raises(PartnerConfigError, match=error):
        build_catalog(gateway, _registry(tmp_path, _partner("acme", KEY_A, manifest)))


def test_a_name_two_bodies_share_is_not_resolvable_by_name(gateway: Gateway, tmp_path: Path) -> None:
    first = _manifest(tmp_path, "a.json", ("Get", "query", 'query Get { application(id: "1") { id } }'))
    second = _manifest(tmp_path, "b.json", ("Get", "query", 'query Get { application(id: "2") { id } }'))
    catalog = build_catalog(
        gateway, _registry(tmp_path, _partner("one", KEY_A, first), _partner("two", KEY_B, second))
    )
    assert catalog.named("Get") is None
    entries = {e.sha256 for e in catalog.by_ref.values()}
    assert len(entries) == 2
    one, two = PartnerId("one"), PartnerId("two")
    assert [catalog.allows(one, e) for e in catalog.by_ref.values()].count(True) == 1
    assert [catalog.allows(two, e) for e in catalog.by_ref.values()].count(True) == 1


def test_an_unreadable_manifest_names_the_partner(gateway: Gateway, tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(PartnerConfigError, match=r"partner 'acme'.*not valid JSON"):
        build_catalog(gateway, _registry(tmp_path, _partner("acme", KEY_A, "broken.json")))
