"""CPU time and memory of each role of a running ``insuretech up``, sampled from ``/proc``.

The children of ``insuretech up`` are recognised by their command line (``-m gateway``,
``-m subgraphs.<name>``, ``-m services.<name>``); PostgreSQL's share is the CPU time of the
server processes serving our own database (``pg_stat_activity.datname``), so other work on a
shared server is not counted. Sampling every second catches connections that come and go.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["RoleUsage", "Sampler", "children_of", "cpu_seconds", "role_of_cmdline"]

_TICKS = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of one process, ``None`` once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICKS


def rss_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
    except OSError:
        return 0


def children_of(pid: int) -> list[int]:
    """Direct children of ``pid``."""
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        pass
    return found


def role_of_cmdline(pid: int) -> str | None:
    """``gateway``, ``subgraph:<name>``, ``backend:<name>`` or the load generator, else ``None``."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    args = [a.decode(errors="replace") for a in argv]
    if "-m" not in args or args.index("-m") + 1 >= len(args):
        return None
    module = args[args.index("-m") + 1]
    if module == "gateway":
        return "gateway"
    if module.startswith("subgraphs."):
        return "subgraph:" + module.split(".", 1)[1]
    if module.startswith("services."):
        return "backend:" + module.split(".", 1)[1]
    if module == "locust":
        return "load generator (locust)"
    return None


@dataclass(slots=True)
class RoleUsage:
    """CPU seconds used during the window and the peak resident memory of one role."""

    cpu_s: float = 0.0
    peak_rss: int = 0
    processes: int = 0


@dataclass
class Sampler:
    """Samples every role once per ``interval`` between ``start()`` and ``stop()``.

    Args:
        roots: the processes whose children are the roles (the ``insuretech up`` process).
        postgres_pids: returns the PostgreSQL server processes of our database right now.
    """

    roots: Iterable[int]
    postgres_pids: Callable[[], list[int]] | None = None
    interval: float = 1.0
    _first: dict[int, float] = field(default_factory=dict)
    _last: dict[int, float] = field(default_factory=dict)
    _role: dict[int, str] = field(default_factory=dict)
    _rss: dict[str, int] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    started_at: float = 0.0
    stopped_at: float = 0.0

    def _pids(self) -> dict[int, str]:
        found: dict[int, str] = {}
        for root in self.roots:
            for child in children_of(root):
                role = role_of_cmdline(child)
                if role is not None:
                    found[child] = role
        if self.postgres_pids is not None:
            with contextlib.suppress(Exception):
                found.update({pid: "postgresql" for pid in self.postgres_pids()})
        return found

    def sample(self) -> None:
        """Read every role's CPU time and memory once."""
        for pid, role in self._pids().items():
            seconds = cpu_seconds(pid)
            if seconds is None:
                continue
            self._role[pid] = role
            if self.started_at:  # a process born during the window counts from zero
                self._first.setdefault(pid, 0.0)
            self._last[pid] = seconds
            self._rss[role] = max(self._rss.get(role, 0), rss_bytes(pid))

    def start(self) -> None:
        self.sample()
        self.started_at = time.monotonic()
        # Processes alive at the start count from their CPU time then; later ones from zero.
        self._first = dict(self._last)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def stop(self) -> dict[str, RoleUsage]:
        """Stop sampling; per role, the CPU seconds used since ``start()`` and the peak memory."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.sample()
        self.stopped_at = time.monotonic()
        usage: dict[str, RoleUsage] = {}
        for pid, last in self._last.items():
            entry = usage.setdefault(self._role[pid], RoleUsage())
            entry.cpu_s += last - self._first.get(pid, 0.0)
            entry.processes += 1
        for role, rss in self._rss.items():
            usage.setdefault(role, RoleUsage()).peak_rss = rss
        return usage
