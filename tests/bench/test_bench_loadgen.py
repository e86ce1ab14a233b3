"""The load generator frames responses, checks bodies and counts only valid answers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import orjson
import pytest

from bench.loadgen import expect_data, percentile, post_once, run_load

_GOOD = orjson.dumps({"data": {"ok": True}})


async def _handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            body = await reader.readexactly(length)
            if body == b"chunked":
                half = len(_GOOD) // 2
                chunks = f"{half:x}\r\n".encode() + _GOOD[:half] + b"\r\n"
                rest = _GOOD[half:]
                chunks += f"{len(rest):x}\r\n".encode() + rest + b"\r\n0\r\n\r\n"
                writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks)
            else:
                payload = _GOOD if body == b"good" else b'{"errors":[{"message":"no"}]}'
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(payload) + payload)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()


@pytest.fixture
async def port() -> AsyncIterator[int]:
    server = await asyncio.start_server(_handle, "127.0.0.1", 0)
    async with server:
        yield server.sockets[0].getsockname()[1]


async def test_post_once_reads_content_length_and_chunked_bodies(port: int) -> None:
    assert (await post_once("127.0.0.1", port, "/", b"good")).body == _GOOD
    assert (await post_once("127.0.0.1", port, "/", b"chunked")).body == _GOOD


async def test_run_load_counts_valid_answers(port: int) -> None:
    check = expect_data(_GOOD, {"ok": True})
    result = await run_load(
        "127.0.0.1", port, "/", b"good", check=check, connections=4, duration=0.3, warmup=0.1
    )
    assert result.ok > 0
    assert result.errors == 0
    assert result.rps > 0
    assert 0 < result.p(0.5) <= result.p(0.99)


async def test_run_load_scores_error_answers_as_errors(port: int) -> None:
    check = expect_data(_GOOD, {"ok": True})
    result = await run_load(
        "127.0.0.1", port, "/", b"bad", check=check, connections=2, duration=0.2, warmup=0.0
    )
    assert result.ok == 0
    assert result.errors > 0
    assert result.first_error is not None


def test_expect_data_accepts_reordered_json_with_the_same_data() -> None:
    check = expect_data(b'{"data":{"a":1,"b":2}}', {"a": 1, "b": 2})
    assert check(b'{"data": {"b": 2, "a": 1}}')
    assert not check(b'{"data":{"a":1,"b":2},"errors":[]}')
    assert not check(b"nope")


def test_percentile_is_nearest_rank() -> None:
    assert percentile([], 0.5) == 0.0
    assert percentile([3.0, 1.0, 2.0], 0.5) == 2.0
    assert percentile([float(i) for i in range(1, 101)], 0.99) == 99.0
