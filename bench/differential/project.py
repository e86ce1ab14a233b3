"""The project's own supergraph for the differential run: ``insuretech up`` on SQLite.

``project_stack`` starts every backend, subgraph and gateway with ``insuretech up`` (seeded
SQLite files in a temporary folder, ports shifted by an offset), harvests ids of seeded records
for the generator's argument pools, and yields the world and the subgraph URLs, so both gateways
under test can be started on the same supergraph and subgraphs.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import IO, Any

import httpx

from bench.differential.worlds import ROOT, World, project_world

__all__ = ["HARVEST", "project_stack"]

HARVEST = """
{
  clientsPage(first: 6) { nodes { id policies { id } } }
  products(includeInactive: true) { id }
  insurers(includeInactive: true) { id }
  applications(first: 6) { nodes { id } }
}
"""
"""What the generator's ``ID`` pool is filled from: ids of a few records of every kind."""

_CLIENTS = 12
_STARTUP_SECONDS = 120.0


def _ids(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [v for k, v in value.items() if k == "id" and isinstance(v, str)] + [
            i for v in value.values() for i in _ids(v)
        ]
    if isinstance(value, list):
        return [i for v in value for i in _ids(v)]
    return []


def _pools(gateway: str) -> dict[str, list[Any]]:
    reply = httpx.post(gateway, json={"query": HARVEST}, timeout=30).json()
    if reply.get("errors") or not reply.get("data"):
        raise RuntimeError(f"Harvesting ids from the project failed: {reply}")
    ids = sorted(set(_ids(reply["data"])))
    return {
        "ID": [*ids, "00000000-0000-0000-0000-000000000000", "x"],
        "Date": ["2025-03-01", "2026-01-15"],
        "first": [0, 1, 2, 5],
        "limit": [0, 1, 3],
        "after": ["", "x"],
        "q": ["ОСАГО", "a", ""],
        "query": ["Ив", "+7", "a"],
    }


@contextlib.asynccontextmanager
async def project_stack(
    logs: Path, port_offset: int | None
) -> AsyncIterator[tuple[World, str, dict[str, str]]]:
    """Start the project with ``insuretech up``; yield (world, its gateway's URL, subgraph URLs).

    Raises:
        RuntimeError: the stack did not come up, or the ids could not be harvested.
    """
    offset = port_offset if port_offset is not None else _free_offset()
    with tempfile.TemporaryDirectory(prefix="differential-project-") as data_dir:
        env = {k: v for k, v in os.environ.items() if not k.endswith("DATABASE_URL") and k != "REDIS_URL"}
        env["INSURETECH_DATA_DIR"] = data_dir
        env["PYTHONPATH"] = str(ROOT)
        log = (logs / "project.log").open("w")
        process = _spawn(offset, env, log)
        drain = threading.Thread(target=_drain, args=(process, log), daemon=True)
        try:
            _wait_for_banner(process)
            # The children share this pipe for their logs: keep draining it, or they block on it.
            drain.start()
            gateway = f"http://127.0.0.1:{4000 + offset}/graphql"
            urls = {
                "client_info": f"http://127.0.0.1:{4001 + offset}/graphql",
                "applications": f"http://127.0.0.1:{4002 + offset}/graphql",
                "core_app": f"http://127.0.0.1:{4003 + offset}/graphql",
            }
            yield project_world(_pools(gateway)), gateway, urls
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            if drain.is_alive():
                drain.join(timeout=10)
            assert process.stdout is not None
            process.stdout.close()
            log.close()


def _spawn(offset: int, env: dict[str, str], log: IO[str]) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "insuretech_cli.main", "up", "--no-web", "--clients", str(_CLIENTS)]
    return subprocess.Popen(
        [*command, "--port-offset", str(offset)],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )


_PORTS = (4000, 4001, 4002, 4003, 50051, 50052, 50053)
"""The ports insuretech up binds, before its offset."""


def _free_offset() -> int:
    """An offset that puts every port of the stack on a port free right now (pid-derived start)."""
    start = 6_000 + os.getpid() % 3_000
    for offset in range(start, start + 3_000, 7):
        if all(_free(port + offset) for port in _PORTS):
            return offset
    raise RuntimeError("No free ports for insuretech up; pass a port offset.")


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _drain(process: subprocess.Popen[str], log: IO[str]) -> None:
    assert process.stdout is not None
    with contextlib.suppress(ValueError, OSError):  # the log closes when the stack stops
        for line in process.stdout:
            log.write(line)


def _wait_for_banner(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    deadline = time.monotonic() + _STARTUP_SECONDS
    seen: list[str] = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        if line.startswith("Health at /health"):
            return
    raise RuntimeError("insuretech up did not start:\n" + "".join(seen[-20:]))
