"""Per-role CPU sampling from /proc: roles are recognised by command line and measured over a window."""

from __future__ import annotations

import os
import subprocess
import sys

from bench.locust.roles import Sampler, children_of, cpu_seconds, role_of_cmdline

BUSY = "import time\nend = time.process_time() + 0.6\nwhile time.process_time() < end: pass\ntime.sleep(5)"


def test_a_busy_child_is_measured_under_its_role() -> None:
    # python -c CODE -m gateway: /proc shows "-m gateway", as it does for the real gateway.
    child = subprocess.Popen([sys.executable, "-c", BUSY, "-m", "gateway"])
    idle = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)", "-m", "services.core_app"])
    try:
        assert child.pid in children_of(os.getpid())
        assert role_of_cmdline(child.pid) == "gateway"
        assert role_of_cmdline(idle.pid) == "backend:core_app"
        sampler = Sampler([os.getpid()], interval=0.1)
        sampler.start()
        while (cpu_seconds(child.pid) or 0) < 0.6:
            pass
        usage = sampler.stop()
    finally:
        child.kill()
        idle.kill()
        child.wait()
        idle.wait()
    assert 0.2 < usage["gateway"].cpu_s < 1.5
    assert usage["gateway"].processes == 1
    assert usage["gateway"].peak_rss > 1_000_000
    assert usage["backend:core_app"].cpu_s < 0.3
    assert cpu_seconds(child.pid) is None, "a finished process reads as gone"
    assert role_of_cmdline(os.getpid()) is None


def test_postgres_processes_come_from_the_lookup() -> None:
    sampler = Sampler([], postgres_pids=lambda: [os.getpid()], interval=0.1)
    sampler.start()
    sum(range(2_000_000))
    usage = sampler.stop()
    assert usage["postgresql"].processes == 1
    assert usage["postgresql"].cpu_s > 0
