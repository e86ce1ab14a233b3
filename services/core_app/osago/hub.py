"""In-process notifications "an offer of session S has settled", one asyncio event per watcher.

A watcher subscribes before reading the session and re-reads it whenever its event fires. The
event only says "look again": the database stays the source of truth, so watchers on another
instance (which never hear this hub) still see every offer by polling.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["SessionHub"]


class SessionHub:
    """Wake the watchers of a quote session when one of its offers settles."""

    def __init__(self) -> None:
        self._watchers: dict[str, set[asyncio.Event]] = {}

    @contextmanager
    def subscribe(self, session_id: str) -> Iterator[asyncio.Event]:
        """An event set on every settlement in ``session_id`` while the block runs."""
        event = asyncio.Event()
        watchers = self._watchers.setdefault(session_id, set())
        watchers.add(event)
        try:
            yield event
        finally:
            watchers.discard(event)
            if not watchers:
                self._watchers.pop(session_id, None)

    def notify(self, session_id: str) -> None:
        """Wake every watcher of ``session_id``."""
        for event in self._watchers.get(session_id, ()):
            event.set()

    def watcher_count(self, session_id: str) -> int:
        """How many watchers ``session_id`` has (for tests and metrics)."""
        return len(self._watchers.get(session_id, ()))
