"""``python -m insuretech_cli.probe``: the one health check of the image's HEALTHCHECK and exec probes."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from insuretech_cli.probe import check_file, check_grpc, check_http, main
from services.common.server import ServiceSpec, build_server


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status = 200 if self.path == "/healthz" else 503
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_http_check(http_server: str) -> None:
    assert check_http(f"{http_server}/healthz") is None
    assert check_http(f"{http_server}/ready") == f"{http_server}/ready: HTTP 503"
    problem = check_http(f"http://127.0.0.1:{_closed_port()}/healthz", timeout=1)
    assert problem is not None
    assert "Connection refused" in problem


async def test_grpc_check_reads_the_standard_health_service() -> None:
    server, port = await build_server(
        ServiceSpec("probe-test", ("probe.v1.Thing",), lambda _s: None), "127.0.0.1:0"
    )
    await server.start()
    try:
        address = f"127.0.0.1:{port}"
        # The check is synchronous (it runs in its own process); run it off the event loop.
        import asyncio

        assert await asyncio.to_thread(check_grpc, address) is None
        assert await asyncio.to_thread(check_grpc, address, "probe.v1.Thing") is None
        assert await asyncio.to_thread(check_grpc, address, "probe.v1.Other") == f"{address}: NOT_FOUND"
    finally:
        await server.stop(grace=None)
    assert check_grpc(f"127.0.0.1:{_closed_port()}", timeout=0.5) is not None


def test_file_check(tmp_path: Path) -> None:
    path = tmp_path / "beat"
    assert check_file(str(path), 10) == f"{path}: No such file or directory"
    path.touch()
    assert check_file(str(path), 10) is None
    old = time.time() - 300
    os.utime(path, (old, old))
    assert check_file(str(path), 120) == f"{path}: last renewed 300 s ago (limit 120 s)"


def test_main_exit_codes(
    http_server: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["http", f"{http_server}/healthz"]) == 0
    assert main(["http", f"{http_server}/nope"]) == 1
    assert "unhealthy:" in capsys.readouterr().err
    monkeypatch.setenv("INSURETECH_PROBE", f"http {http_server}/healthz")
    assert main([]) == 0, "the image's HEALTHCHECK passes no arguments"
    monkeypatch.delenv("INSURETECH_PROBE")
    assert main([]) == 2
    with pytest.raises(SystemExit):
        main(["file", "/tmp/x"])  # --max-age is required
