"""Generate the Python stubs (with mypy stubs) for every ``.proto`` in this folder.

Run ``python -m schema.protos.generate`` after changing a proto. The output is
deterministic, so ``tests/schema/test_protos.py`` regenerates into a temporary folder and
fails when the committed stubs differ.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from importlib import resources
from pathlib import Path

__all__ = ["PROTO_DIR", "generate", "main"]

PROTO_DIR = Path(__file__).resolve().parent
_REPO_ROOT = PROTO_DIR.parent.parent


def _protoc(args: list[str]) -> int:
    from grpc_tools import protoc

    return int(protoc.main(args))


def generate(out_root: Path) -> list[Path]:
    """Compile every proto into ``out_root/schema/protos`` and return the files written.

    Protos are compiled with the repository root as the include path, so generated modules
    import each other as ``schema.protos.x_pb2`` and work as part of the ``schema`` package.
    """
    well_known = str(resources.files("grpc_tools") / "_proto")
    protos = sorted(PROTO_DIR.glob("*.proto"))
    bin_dir = Path(sys.executable).parent
    staging = Path(tempfile.mkdtemp(prefix="protos-"))
    try:
        layout = staging / "tree" / "schema" / "protos"
        layout.mkdir(parents=True)
        for proto in protos:
            shutil.copy(proto, layout / proto.name)
        target = out_root / "schema" / "protos"
        target.mkdir(parents=True, exist_ok=True)
        args = [
            "protoc",
            f"-I{staging / 'tree'}",
            f"-I{well_known}",
            f"--plugin=protoc-gen-mypy={bin_dir / 'protoc-gen-mypy'}",
            f"--plugin=protoc-gen-mypy_grpc={bin_dir / 'protoc-gen-mypy_grpc'}",
            f"--python_out={out_root}",
            f"--grpc_python_out={out_root}",
            f"--mypy_out={out_root}",
            f"--mypy_grpc_out={out_root}",
            *[f"schema/protos/{p.name}" for p in protos],
        ]
        code = _protoc(args)
        if code != 0:
            raise RuntimeError(f"protoc failed with exit code {code}; see the messages above.")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sorted(p for p in target.iterdir() if "_pb2" in p.name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=_REPO_ROOT, help="root to write schema/protos/ under")
    ns = parser.parse_args(argv)
    written = generate(ns.out)
    for path in written:
        print(path.relative_to(ns.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
