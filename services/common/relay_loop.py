"""The loop every outbox relay runs: a batch at a time, polling when idle, backing off after failures.

A relay subclasses ``RelayLoop`` and implements ``relay_batch`` (move some outbox rows, return
how many). ``run`` calls it until ``stop``: straight on while batches come back full, every
``poll_interval`` when the outbox is empty, and after a failure with an exponential backoff
(``initial_backoff`` doubling to ``max_backoff``). Failures the relay expects (an unreachable
peer) are logged as warnings, anything else with its traceback; none ends the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

__all__ = ["RelayLoop", "RelaySettings"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RelaySettings:
    """How a relay polls and backs off."""

    batch_size: int = 100
    """Outbox rows read per batch."""
    poll_interval: float = 0.5
    """Seconds to sleep when the outbox is empty."""
    initial_backoff: float = 0.5
    """Seconds to wait after the first failure; doubled per consecutive failure."""
    max_backoff: float = 30.0
    """Upper bound of the wait between retries."""
    heartbeat_path: str | None = None
    """A file whose modification time the loop renews on every turn (a liveness probe reads it)."""


class RelayLoop:
    """A background loop around ``relay_batch``; ``failures`` counts failed batches since start."""

    name: ClassVar[str] = "outbox-relay"
    """The task name, and the prefix of log lines."""
    expected_failures: ClassVar[tuple[type[Exception], ...]] = ()
    """Failures logged as one warning line (they carry a ``message``), not with a traceback."""

    def __init__(self, settings: RelaySettings | None = None) -> None:
        self.settings = settings or RelaySettings()
        self.failures = 0
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def relay_batch(self) -> int:
        """Move one batch; returns how many rows it finished (0: nothing to do)."""
        raise NotImplementedError

    async def run_until_idle(self) -> int:
        """Relay batches until one finishes nothing; returns how many rows were finished.

        Raises:
            Exception: whatever ``relay_batch`` raised.
        """
        total = 0
        while count := await self.relay_batch():
            total += count
        return total

    async def run(self) -> None:
        """Relay until ``stop()``: poll when idle, back off exponentially after failures."""
        backoff = self.settings.initial_backoff
        while not self._stop.is_set():
            if self.settings.heartbeat_path is not None:
                _touch(self.settings.heartbeat_path)
            try:
                count = await self.relay_batch()
            except self.expected_failures as exc:
                self.failures += 1
                _log.warning("%s: %s Retrying in %.1fs.", self.name, getattr(exc, "message", exc), backoff)
            except Exception:
                self.failures += 1
                _log.exception("%s: batch failed; retrying in %.1fs", self.name, backoff)
            else:
                backoff = self.settings.initial_backoff
                if count:
                    continue  # more may be waiting; no sleep between full batches
                await self._sleep(self.settings.poll_interval)
                continue
            await self._sleep(backoff)
            backoff = min(backoff * 2, self.settings.max_backoff)

    def start(self) -> asyncio.Task[None]:
        """Run ``run()`` as a background task of the current event loop."""
        if self._task is None or self._task.done():
            self._stop.clear()
            self._task = asyncio.create_task(self.run(), name=self.name)
        return self._task

    def request_stop(self) -> None:
        """Ask the loop to end after the current batch (safe from a signal handler)."""
        self._stop.set()

    async def stop(self) -> None:
        """Stop the loop; an in-flight batch gets 15 s to finish, then is cancelled."""
        self._stop.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._task), timeout=15)
            except TimeoutError:
                self._task.cancel()
                await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), timeout=seconds)


def _touch(path: str) -> None:
    """Create ``path`` or renew its modification time (microseconds; no need for a thread)."""
    with contextlib.suppress(OSError):  # a full or read-only disk must not stop the relay
        Path(path).touch()
