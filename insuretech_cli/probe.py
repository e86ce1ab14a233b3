"""``python -m insuretech_cli.probe``: one health check, for container HEALTHCHECKs and exec probes.

One image runs every role, so the check to run is an argument (or ``INSURETECH_PROBE``):

* ``http URL`` — healthy when the URL answers 200 within the timeout;
* ``grpc HOST:PORT [SERVICE]`` — healthy when the gRPC health service answers SERVING;
* ``file PATH --max-age SECONDS`` — healthy when PATH was modified within SECONDS (workers such
  as the outbox relay renew a heartbeat file on every loop turn).

Exit status 0 is healthy, 1 unhealthy (the reason on stderr), 2 a usage error.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence

__all__ = ["check_file", "check_grpc", "check_http", "main"]

DEFAULT_TIMEOUT = 2.0


def check_http(url: str, timeout: float = DEFAULT_TIMEOUT) -> str | None:
    """``None`` when ``url`` answers 200, else why not."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (OSError, ValueError) as exc:
        return f"{url}: {type(exc).__name__}: {exc}"
    return None if status == 200 else f"{url}: HTTP {status}"


def check_grpc(address: str, service: str = "", timeout: float = DEFAULT_TIMEOUT) -> str | None:
    """``None`` when the gRPC health service at ``address`` reports ``service`` SERVING."""
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    with grpc.insecure_channel(address) as channel:
        try:
            reply = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service=service), timeout=timeout
            )
        except grpc.RpcError as exc:
            return f"{address}: {exc.code().name}"
    if reply.status != health_pb2.HealthCheckResponse.SERVING:
        return f"{address}: {health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)}"
    return None


def check_file(path: str, max_age: float) -> str | None:
    """``None`` when ``path`` exists and was modified less than ``max_age`` seconds ago."""
    try:
        age = time.time() - os.stat(path).st_mtime
    except OSError as exc:
        return f"{path}: {exc.strerror}"
    return None if age <= max_age else f"{path}: last renewed {age:.0f} s ago (limit {max_age:.0f} s)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m insuretech_cli.probe", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    kinds = parser.add_subparsers(dest="kind", required=True)
    kinds.add_parser("http").add_argument("url")
    grpc_parser = kinds.add_parser("grpc")
    grpc_parser.add_argument("address")
    grpc_parser.add_argument("service", nargs="?", default="")
    file_parser = kinds.add_parser("file")
    file_parser.add_argument("path")
    file_parser.add_argument("--max-age", type=float, required=True)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one check; the arguments default to ``INSURETECH_PROBE`` split like a shell would."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list:
        args_list = shlex.split(os.environ.get("INSURETECH_PROBE", ""))
    if not args_list:
        print("probe: no check given; pass one or set INSURETECH_PROBE.", file=sys.stderr)
        return 2
    args = _parser().parse_args(args_list)
    if args.kind == "http":
        problem = check_http(args.url, args.timeout)
    elif args.kind == "grpc":
        problem = check_grpc(args.address, args.service, args.timeout)
    else:
        problem = check_file(args.path, args.max_age)
    if problem is not None:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
