"""``insuretech compose``: compose subgraph SDL files or running subgraphs into a supergraph file.

Usage::

    insuretech compose \\
        --subgraph client_info=http://client-info:8000/graphql=schema/subgraphs/client_info.graphql \\
        --from-service core_app=http://localhost:8003/graphql \\
        --out schema/supergraph.graphql

``--subgraph NAME=ROUTING_URL=PATH`` reads SDL from a file; ``--from-service NAME=URL`` asks a running
subgraph for ``{ _service { sdl } }`` and also uses URL as the routing URL. Without ``--out`` the
supergraph goes to standard output. Errors and hints go to standard error; the exit status is 0 on
success, 1 when composition (or reading a subgraph) fails, 2 on a usage error. The output file is
replaced atomically, so a failed run never leaves a partial supergraph behind.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import httpx

from gateway.composition.compose import compose
from gateway.composition.errors import CompositionError, composition_error
from gateway.composition.results import Failure
from gateway.composition.sources import SubgraphSource, fetch_subgraph_sdl

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``insuretech compose``."""
    parser = argparse.ArgumentParser(
        prog="insuretech compose",
        description="Compose Federation v2 subgraphs into a supergraph SDL (join v0.3).",
    )
    parser.add_argument(
        "--subgraph",
        action="append",
        default=[],
        metavar="NAME=ROUTING_URL=PATH",
        help="a subgraph whose SDL is read from PATH (repeatable)",
    )
    parser.add_argument(
        "--from-service",
        action="append",
        default=[],
        metavar="NAME=URL",
        help="a running subgraph asked for `{ _service { sdl } }` at URL (repeatable)",
    )
    parser.add_argument("--out", type=Path, default=None, help="write the supergraph here (default: stdout)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for each --from-service")
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    http_client: httpx.Client | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run ``insuretech compose``.

    Args:
        argv: The arguments after the command name (default: ``sys.argv[1:]``).
        http_client: The client for ``--from-service`` (a test passes one over ``httpx.MockTransport``).
        stdout: Where the supergraph goes without ``--out`` (default: ``sys.stdout``).
        stderr: Where errors, hints and the summary go (default: ``sys.stderr``).

    Returns:
        The exit status: 0 success, 1 composition or input failure, 2 usage error.
    """
    out, err = stdout or sys.stdout, stderr or sys.stderr
    parser = build_parser()
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has already printed the usage message
        return int(exc.code or 0)
    if not arguments.subgraph and not arguments.from_service:
        parser.print_usage(err)
        print("insuretech compose: error: give at least one --subgraph or --from-service.", file=err)
        return 2
    sources, errors = _read_sources(
        arguments.subgraph, arguments.from_service, arguments.timeout, http_client
    )
    if errors:
        return _fail(errors, err)
    result = compose(sources)
    if isinstance(result, Failure):
        return _fail(result.errors, err)
    for hint in result.hints:
        print(f"hint: {hint}", file=err)
    if arguments.out is None:
        out.write(result.supergraph_sdl)
    else:
        try:
            _write_atomically(arguments.out, result.supergraph_sdl)
        except OSError as exc:
            print(
                f"insuretech compose: cannot write {str(arguments.out)!r}: {exc.strerror or exc}.", file=err
            )
            return 1
        print(f"Composed {len(sources)} subgraphs into {str(arguments.out)!r}.", file=err)
    return 0


def _fail(errors: Sequence[CompositionError], err: TextIO) -> int:
    print(f"Composition failed with {len(errors)} error(s):", file=err)
    for error in errors:
        print(f"  {error}", file=err)
    return 1


def _read_sources(
    files: Sequence[str], services: Sequence[str], timeout: float, http_client: httpx.Client | None
) -> tuple[list[SubgraphSource], list[CompositionError]]:
    sources: list[SubgraphSource] = []
    errors: list[CompositionError] = []
    for spec in files:
        parsed = _parse_file_spec(spec)
        if isinstance(parsed, CompositionError):
            errors.append(parsed)
        else:
            sources.append(parsed)
    if services:
        client = http_client or httpx.Client()
        try:
            for spec in services:
                name, separator, url = spec.partition("=")
                if not separator or not name or not url:
                    errors.append(_bad_spec(spec, "--from-service", "NAME=URL"))
                    continue
                fetched = fetch_subgraph_sdl(name, url, client, timeout=timeout)
                if isinstance(fetched, CompositionError):
                    errors.append(fetched)
                else:
                    sources.append(fetched)
        finally:
            if http_client is None:
                client.close()
    return sources, errors


def _parse_file_spec(spec: str) -> SubgraphSource | CompositionError:
    name, first, rest = spec.partition("=")
    url, second, path = rest.rpartition("=")
    if not (first and second and name and url and path):
        return _bad_spec(spec, "--subgraph", "NAME=ROUTING_URL=PATH")
    try:
        sdl = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return composition_error(
            "SUBGRAPH_SOURCE_INVALID",
            f"Cannot read the SDL of subgraph {name!r} from {path!r}: {exc}. Check the path.",
            name,
        )
    return SubgraphSource(name, url, sdl)


def _bad_spec(spec: str, option: str, form: str) -> CompositionError:
    return composition_error(
        "SUBGRAPH_SOURCE_INVALID", f"{option} {spec!r} is malformed; expected {form}.", spec.partition("=")[0]
    )


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
