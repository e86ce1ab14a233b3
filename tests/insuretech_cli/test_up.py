"""``insuretech up`` end to end: seeds, starts every process, answers through the gateway, stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

OFFSET = 5_000 + os.getpid() % 5_000


def _wait_for_banner(process: subprocess.Popen[str], deadline: float) -> list[str]:
    assert process.stdout is not None
    lines: list[str] = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("Health at /health"):
            return lines
    raise AssertionError("insuretech up printed no URLs in time:\n" + "".join(lines))


def test_up_serves_a_federated_query_and_stops_every_child(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.endswith("DATABASE_URL")}
    env["INSURETECH_DATA_DIR"] = str(tmp_path)
    started = time.monotonic()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "insuretech_cli.main",
            "up",
            "--clients",
            "20",
            "--port-offset",
            str(OFFSET),
            "--no-web",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        banner = "".join(_wait_for_banner(process, started + 60))
        assert time.monotonic() - started < 60
        gateway = f"http://127.0.0.1:{4000 + OFFSET}/graphql"
        assert gateway in banner
        for port in (4001, 4002, 4003):
            assert f"http://127.0.0.1:{port + OFFSET}/graphql" in banner
            assert httpx.get(f"http://127.0.0.1:{port + OFFSET}/health").status_code == 200
        reply = httpx.post(
            gateway,
            json={
                "query": "{ applications(first: 2) { nodes { number client { fullName } product { name } } } }"
            },
            timeout=30,
        ).json()
        assert "errors" not in reply, reply
        nodes = reply["data"]["applications"]["nodes"]
        assert len(nodes) == 2
        assert all(node["client"]["fullName"] and node["product"]["name"] for node in nodes)
    finally:
        process.send_signal(signal.SIGTERM)
        remaining, _ = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "Stopped." in remaining
    leftovers = subprocess.run(
        ["pgrep", "-f", f"--port {4001 + OFFSET}"], capture_output=True, text=True, check=False
    ).stdout
    assert not leftovers.strip(), "a child outlived insuretech up"
