"""In-process settlement notifications."""

from __future__ import annotations

from services.core_app.osago.hub import SessionHub


async def test_notify_wakes_only_the_sessions_watchers() -> None:
    hub = SessionHub()
    with hub.subscribe("a") as first, hub.subscribe("a") as second, hub.subscribe("b") as other:
        hub.notify("a")
        assert first.is_set()
        assert second.is_set()
        assert not other.is_set()
        assert hub.watcher_count("a") == 2
    assert hub.watcher_count("a") == 0


def test_notify_without_watchers_is_harmless() -> None:
    SessionHub().notify("nobody")
