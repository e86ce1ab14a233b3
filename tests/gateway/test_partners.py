from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from gateway.partners import PartnerConfigError, RegistrySource, hash_api_key, load_registry
from gateway.types import PartnerId

MANIFEST = {"format": "apollo-persisted-query-manifest", "version": 1, "operations": []}


def _write(tmp_path: Path, partners: list[dict[str, object]], **extra: object) -> Path:
    (tmp_path / "acme.json").write_text(json.dumps(MANIFEST))
    path = tmp_path / "partners.yaml"
    path.write_text(yaml.safe_dump({"partners": partners, **extra}))
    return path


def _partner(**overrides: object) -> dict[str, object]:
    return {
        "id": "acme",
        "name": "ACME Bank",
        "api_keys": [hash_api_key("secret-1")],
        "rate_limit": "20/second;600/minute",
        "manifests": ["acme.json"],
        "limits": {"max_depth": 6},
    } | overrides


def test_partner_is_found_by_its_key_and_inherits_default_limits(tmp_path: Path) -> None:
    registry = load_registry(_write(tmp_path, [_partner()], defaults={"limits": {"max_aliases": 3}}))
    partner = registry.authenticate("secret-1")
    assert partner is not None
    assert partner.id == "acme"
    assert partner.limits.max_depth == 6
    assert partner.limits.max_aliases == 3
    assert partner.manifests == ((tmp_path / "acme.json").resolve(),)
    assert registry.authenticate("secret-2") is None
    assert partner.max_in_flight == 4
    assert partner.first_party is False  # a partner sees only its own data unless the file says so


def test_first_party_is_declared_explicitly(tmp_path: Path) -> None:
    web = _partner(id="webapp", api_keys=[hash_api_key("web")], persisted_only=False, first_party=True)
    free_form = _partner(id="dev", api_keys=[hash_api_key("dev")], persisted_only=False)
    registry = load_registry(_write(tmp_path, [web, free_form]))
    assert registry.partners[PartnerId("webapp")].first_party is True
    assert (
        registry.partners[PartnerId("dev")].first_party is False
    )  # free-form GraphQL alone sees nothing more


@pytest.mark.parametrize(
    ("partner", "message"),
    [
        (_partner(id="ACME!"), r"partners\[0\]: 'id' must be"),
        (_partner(api_keys=["plain-key"]), r"partners\[0\] \('acme'\): api key 'plain-key' is not 'sha256"),
        (_partner(rate_limit="lots"), "is not in the limits notation"),
        (_partner(limits={"max_depth": 0}), "'max_depth' must be a positive integer"),
        (_partner(limits={"depth": 3}), "unknown limit 'depth'"),
        (_partner(manifests=["missing.json"]), "does not exist"),
        (_partner(max_in_flight=0), "'max_in_flight' must be a positive integer, got 0"),
        (_partner(first_party="yes"), "'first_party' must be true or false"),
    ],
)
def test_invalid_entries_are_named(tmp_path: Path, partner: dict[str, object], message: str) -> None:
    with pytest.raises(PartnerConfigError, match=message):
        load_registry(_write(tmp_path, [partner]))


def test_duplicate_ids_and_shared_keys_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PartnerConfigError, match="duplicate partner id 'acme'"):
        load_registry(_write(tmp_path, [_partner(), _partner()]))
    with pytest.raises(PartnerConfigError, match="is also used by 'acme'"):
        load_registry(_write(tmp_path, [_partner(), _partner(id="other")]))


def test_reload_keeps_the_last_good_registry(tmp_path: Path) -> None:
    path = _write(tmp_path, [_partner()])
    source = RegistrySource(path)
    path.write_text("partners: [{id: broken}]")
    os.utime(path, ns=(1, 1))
    assert source.refresh() is False
    assert source.last_error is not None
    assert source.current.authenticate("secret-1") is not None
    _write(tmp_path, [_partner(api_keys=[hash_api_key("secret-2")])])
    assert source.refresh() is True
    assert source.current.authenticate("secret-2") is not None
    assert source.current.authenticate("secret-1") is None
