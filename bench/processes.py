"""Processes of the gateway benchmark: start pinned to cores, wait until ready, measure CPU, stop.

Every server under test runs in its own session (``start_new_session``), pinned with
``taskset``; its CPU time is the sum over the session's processes, read from ``/proc``, so
forking gateways are measured whole. Only processes started here are ever signalled.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.loadgen import post_once

__all__ = [
    "HOST",
    "ServerProcess",
    "free_port",
    "running",
    "sample_cpu",
    "session_cpu_seconds",
    "start",
    "stop",
    "wait_ready",
]

HOST = "127.0.0.1"
_PROBE = b'{"query":"{ __typename }"}'


def free_port() -> int:
    """A TCP port that is free right now on ``HOST``."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass(slots=True)
class ServerProcess:
    """A server we started: its name, process and log file."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path


def start(
    name: str, command: list[str], cpus: str, *, env: dict[str, str], cwd: Path, logs: Path
) -> ServerProcess:
    """Start ``command`` pinned to ``cpus`` in its own session, logging to a file."""
    log = logs / f"{name}.log"
    with log.open("wb") as out:
        popen = subprocess.Popen(
            ["taskset", "-c", cpus, *command],
            cwd=cwd,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return ServerProcess(name, popen, log)


def stop(process: ServerProcess) -> None:
    """Stop a process we started (its whole session), politely first."""
    if process.popen.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.popen.pid, signal.SIGTERM)
    try:
        process.popen.wait(timeout=8)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.popen.pid, signal.SIGKILL)
        process.popen.wait(timeout=5)


def _log_tail(process: ServerProcess, lines: int = 6) -> str:
    text = process.log.read_text(errors="replace").strip().splitlines()
    return " | ".join(text[-lines:])


async def wait_ready(process: ServerProcess, port: int, path: str, patience: float = 90.0) -> str | None:
    """Poll with a tiny query until the server answers 200; a sentence saying why not otherwise."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            return f"{process.name} exited with code {process.popen.returncode}: {_log_tail(process)}"
        try:
            response = await post_once(HOST, port, path, _PROBE, wait=5)
            if response.status == 200:
                return None
        except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError):
            pass
        await asyncio.sleep(0.3)
    return f"{process.name} did not answer on port {port} within {patience:g} s: {_log_tail(process)}"


def session_cpu_seconds(session: int) -> float:
    """User + system CPU seconds of every live process in session ``session`` (Linux ``/proc``)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:  # field 6 of stat: the session id
            ticks += int(fields[11]) + int(fields[12])  # fields 14 and 15: utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


async def sample_cpu(session: int, warmup: float, duration: float) -> float:
    """CPU seconds ``session`` uses between ``warmup`` and ``warmup + duration`` seconds from now."""
    await asyncio.sleep(warmup)
    before = session_cpu_seconds(session)
    await asyncio.sleep(duration)
    return session_cpu_seconds(session) - before


@contextlib.contextmanager
def running(process: ServerProcess) -> Iterator[ServerProcess]:
    """Stop ``process`` when the block ends, however it ends."""
    try:
        yield process
    finally:
        stop(process)
