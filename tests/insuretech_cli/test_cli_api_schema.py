"""The committed API schema (what the web app's typed client is generated from) must be current."""

from __future__ import annotations

from pathlib import Path

from graphql import build_schema

from insuretech_cli.api_schema import api_schema_sdl
from insuretech_cli.main import DEFAULT_API_SCHEMA, DEFAULT_SUPERGRAPH, main


def test_committed_api_schema_is_fresh() -> None:
    expected = api_schema_sdl(DEFAULT_SUPERGRAPH.read_text(encoding="utf-8"))
    assert DEFAULT_API_SCHEMA.read_text(encoding="utf-8") == expected, (
        "schema/api.graphql is stale; run `insuretech api-schema` and commit it."
    )


def test_api_schema_has_no_federation_machinery() -> None:
    schema = build_schema(DEFAULT_API_SCHEMA.read_text(encoding="utf-8"))
    names = set(schema.type_map) | {d.name for d in schema.directives}
    assert not {n for n in names if n.startswith(("join__", "link__"))}
    assert schema.subscription_type is not None
    assert "osagoOffers" in schema.subscription_type.fields


def test_command_writes_the_schema(tmp_path: Path) -> None:
    out = tmp_path / "api.graphql"
    assert main(["api-schema", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == DEFAULT_API_SCHEMA.read_text(encoding="utf-8")
