"""A small, fast HTTP/1.1 keep-alive load generator for one GraphQL request (asyncio streams).

Each of ``connections`` workers owns one keep-alive connection and sends the same pre-built
request bytes back to back (a closed loop, like k6's constant virtual users). Responses are
framed by ``Content-Length`` (or chunked encoding) and checked against a reference body: a
byte-identical body is valid at once; any other body is parsed and its ``data`` compared with
the expected data, so a gateway that answers with errors or partial data never scores.

Warm-up and measurement reuse the same connections; only completions inside the measurement
window count.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import orjson

__all__ = [
    "HttpResponse",
    "LoadResult",
    "build_request",
    "describe_failure",
    "expect_data",
    "percentile",
    "post_once",
    "run_load",
]

BodyCheck = Callable[[bytes], bool]
_GRACE = 10.0


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """A parsed HTTP response: status code, lower-cased head, body."""

    status: int
    head: bytes
    body: bytes


@dataclass(slots=True)
class LoadResult:
    """What one measured run produced."""

    duration: float
    """Seconds of the measurement window."""
    ok: int = 0
    """Valid responses completed inside the window."""
    errors: int = 0
    """Non-200 statuses, wrong bodies, and connection failures inside the window."""
    latencies: list[float] = field(default_factory=list)
    """Seconds per valid request."""
    first_error: str | None = None
    cpu_seconds: float | None = None
    """CPU time the server under test used during the window (all its processes), when known."""

    @property
    def cpu_ms_per_request(self) -> float | None:
        """Server CPU milliseconds per valid request: throughput that ignores CPU contention."""
        if self.cpu_seconds is None or not self.ok:
            return None
        return self.cpu_seconds * 1000.0 / self.ok

    @property
    def rps(self) -> float:
        """Valid responses per second."""
        return self.ok / self.duration if self.duration else 0.0

    def p(self, fraction: float) -> float:
        """Latency percentile in milliseconds (``fraction`` in 0..1)."""
        return percentile(self.latencies, fraction) * 1000.0


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of ``values`` (0.0 for an empty list)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))
    return ordered[index]


def build_request(host: str, port: int, path: str, body: bytes) -> bytes:
    """The raw bytes of one ``POST`` with a JSON body, sent verbatim on every iteration."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        f"Accept: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _read_response(reader: asyncio.StreamReader) -> HttpResponse:
    head = (await reader.readuntil(b"\r\n\r\n")).lower()
    status = int(head[9:12])
    start = head.find(b"\r\ncontent-length:")
    if start >= 0:
        end = head.index(b"\r\n", start + 2)
        return HttpResponse(status, head, await reader.readexactly(int(head[start + 17 : end])))
    if b"transfer-encoding: chunked" in head:
        chunks: list[bytes] = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                return HttpResponse(status, head, b"".join(chunks))
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
    return HttpResponse(status, head, await reader.read())


async def post_once(host: str, port: int, path: str, body: bytes, wait: float = 10.0) -> HttpResponse:
    """Send one request on a fresh connection and return the parsed response."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), wait)
    try:
        writer.write(build_request(host, port, path, body))
        return await asyncio.wait_for(_read_response(reader), wait)
    finally:
        writer.close()


def describe_failure(response: HttpResponse) -> str:
    """A short description of a rejected response: status and the first GraphQL error, if any."""
    text = f"HTTP {response.status}"
    try:
        document = orjson.loads(response.body)
    except orjson.JSONDecodeError:
        return f"{text}: {response.body[:200]!r}"
    errors = document.get("errors") if isinstance(document, dict) else None
    if errors:
        return (
            f"{text}, {len(errors)} error(s), first: {orjson.dumps(errors[0])[:300].decode(errors='replace')}"
        )
    return f"{text}: a body that differs from the expected answer ({len(response.body)} bytes)"


def expect_data(reference: bytes, expected_data: object) -> BodyCheck:
    """A body check: byte-equal to ``reference``, or JSON whose ``data`` equals ``expected_data`` without errors."""

    def check(body: bytes) -> bool:
        if body == reference:
            return True
        try:
            document = orjson.loads(body)
        except orjson.JSONDecodeError:
            return False
        return (
            isinstance(document, dict) and "errors" not in document and document.get("data") == expected_data
        )

    return check


class _Phase:
    """The shared clock of a run: workers stop at ``stop`` and record only after ``start``."""

    def __init__(self, start: float, stop: float, result: LoadResult) -> None:
        self.start, self.stop, self.result = start, stop, result

    def record(self, began: float, ended: float, valid: bool, error: str | None = None) -> None:
        if ended < self.start or ended > self.stop:
            return
        if valid:
            self.result.ok += 1
            self.result.latencies.append(ended - began)
        else:
            self.result.errors += 1
            if self.result.first_error is None:
                self.result.first_error = error


async def _worker(host: str, port: int, request: bytes, check: BodyCheck, phase: _Phase) -> None:
    clock = time.perf_counter
    connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    while clock() < phase.stop:
        began = clock()
        try:
            if connection is None:
                connection = await asyncio.open_connection(host, port)
            reader, writer = connection
            writer.write(request)
            response = await _read_response(reader)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
            if connection is not None:
                connection[1].close()
                connection = None
            phase.record(began, clock(), False, f"{type(exc).__name__}: {exc}")
            await asyncio.sleep(0.01)
            continue
        valid = response.status == 200 and check(response.body)
        phase.record(
            began, clock(), valid, None if valid else f"HTTP {response.status}: {response.body[:200]!r}"
        )
        if b"connection: close" in response.head:
            connection[1].close()
            connection = None
    if connection is not None:
        connection[1].close()


async def run_load(
    host: str,
    port: int,
    path: str,
    body: bytes,
    *,
    check: BodyCheck,
    connections: int = 50,
    duration: float = 20.0,
    warmup: float = 5.0,
) -> LoadResult:
    """Drive ``connections`` closed-loop workers for ``warmup + duration`` seconds.

    Args:
        host: Server address.
        port: Server port.
        path: Request path, e.g. ``/graphql``.
        body: The JSON request body sent on every request.
        check: Decides whether a 200 response body is the full, correct answer.
        connections: Concurrent keep-alive connections (virtual users).
        duration: Seconds measured after the warm-up.
        warmup: Seconds of load before measuring.

    Returns:
        Counts and latencies of the measurement window.
    """
    result = LoadResult(duration=duration)
    now = time.perf_counter()
    phase = _Phase(now + warmup, now + warmup + duration, result)
    request = build_request(host, port, path, body)
    workers = asyncio.gather(*(_worker(host, port, request, check, phase) for _ in range(connections)))
    try:
        # One deadline for the whole run instead of a timer per request (cheaper on Python 3.11).
        await asyncio.wait_for(workers, warmup + duration + _GRACE)
    except TimeoutError:
        if result.first_error is None:
            result.first_error = f"requests still pending {_GRACE:g} s after the end of the run"
    return result
