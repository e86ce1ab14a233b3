"""The committed gRPC stubs must be exactly what the protos generate."""

from __future__ import annotations

from pathlib import Path

from schema.protos.generate import PROTO_DIR, generate


def test_generated_stubs_are_fresh(tmp_path: Path) -> None:
    written = generate(tmp_path)
    assert written, "protoc wrote nothing"
    stale = [
        path.name
        for path in written
        if not (PROTO_DIR / path.name).exists() or (PROTO_DIR / path.name).read_bytes() != path.read_bytes()
    ]
    assert not stale, f"Stale generated stubs {stale}; run `python -m schema.protos.generate` and commit."


def test_every_proto_declares_a_versioned_package() -> None:
    for proto in PROTO_DIR.glob("*.proto"):
        text = proto.read_text(encoding="utf-8")
        assert f"package insuretech.{proto.stem}.v1;" in text, proto.name
