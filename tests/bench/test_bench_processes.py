"""Process helpers of the gateway benchmark."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from bench.processes import free_port, running, session_cpu_seconds, start, wait_ready


def test_session_cpu_seconds_counts_this_process() -> None:
    busy = sum(i * i for i in range(200_000))
    assert busy > 0
    assert session_cpu_seconds(os.getsid(0)) > 0.0


async def test_wait_ready_reports_a_server_that_exits(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "print('no gateway here')"]
    process = start("broken", command, "0", env={}, cwd=tmp_path, logs=tmp_path)
    with running(process):
        reason = await wait_ready(process, free_port(), "/graphql", patience=10)
    assert reason is not None
    assert "broken exited with code 0: no gateway here" in reason
