"""The running system shared by the tests of one module (starting it takes a few seconds)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import require_service
from tests.system.system_world import World, system_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Backends on PostgreSQL, subgraphs and a partner gateway on Redis, all real."""
    require_service("PostgreSQL", "127.0.0.1", 5432)
    require_service("Redis", "127.0.0.1", 6379)
    with system_world(tmp_path_factory.mktemp("system")) as running:
        yield running
