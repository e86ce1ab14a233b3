"""Write each subgraph's SDL to ``schema/subgraphs/<name>.graphql``: ``python -m subgraphs.export_sdl``.

The files are the contract the gateway composes; a test fails when one is stale (``--check``
does the same from the command line and exits 1).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from strawberry.federation import Schema

__all__ = ["SDL_DIR", "export_sdl", "stale_sdl_files", "subgraph_schemas"]

SDL_DIR = Path(__file__).resolve().parent.parent / "schema" / "subgraphs"


def subgraph_schemas() -> dict[str, Schema]:
    """The schema of every subgraph, by subgraph name."""
    from subgraphs.applications.schema import schema as applications
    from subgraphs.client_info.schema import schema as client_info
    from subgraphs.core_app.schema import schema as core_app

    return {"client_info": client_info, "applications": applications, "core_app": core_app}


def _render(schema: Schema) -> str:
    return schema.as_str().rstrip("\n") + "\n"


def stale_sdl_files(directory: Path = SDL_DIR) -> list[Path]:
    """The SDL files that are missing or differ from the current schemas."""
    stale = []
    for name, schema in subgraph_schemas().items():
        path = directory / f"{name}.graphql"
        if not path.exists() or path.read_text(encoding="utf-8") != _render(schema):
            stale.append(path)
    return stale


def export_sdl(directory: Path = SDL_DIR) -> list[Path]:
    """Write every subgraph's SDL into ``directory``; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in subgraph_schemas().items():
        path = directory / f"{name}.graphql"
        path.write_text(_render(schema), encoding="utf-8")
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the SDL files, or with ``--check`` report stale ones (exit status 1)."""
    parser = argparse.ArgumentParser(prog="python -m subgraphs.export_sdl", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only report stale files")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_sdl_files()
        for path in stale:
            print(f"stale: {path}; run `python -m subgraphs.export_sdl`.", file=sys.stderr)
        return 1 if stale else 0
    for path in export_sdl():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
