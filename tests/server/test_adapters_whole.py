"""``WholeResponse`` writes, byte for byte, what aiohttp's ``web.Response`` writes for the same reply.

Each case is answered twice by one real aiohttp server on 127.0.0.1, once through ``web.Response`` (the
way every reply went before) and once through ``WholeResponse``, to raw requests of each HTTP version and
connection choice; the bytes read back must be the same (the ``Date`` value aside), and so must what
happens to the connection afterwards (kept open for the next request, or closed).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from fakeclaude.server.adapters._whole import MAX_BODY_BYTES, WholeResponse, fits, reply_headers
from fakeclaude.server.http import HttpReply

REPLIES: dict[str, HttpReply] = {
    "json": HttpReply(200, {"content-type": "application/json", "request-id": "req_1"}, b'{"ok":true}'),
    "untyped": HttpReply(200, {"x-thing": "1"}, b"raw bytes"),
    "empty": HttpReply(200, {"request-id": "req_2"}, b""),
    "no-headers": HttpReply(404, {}, b"{}"),
    "unnamed-status": HttpReply(529, {"content-type": "application/json"}, b'{"type":"error"}'),
    "hop-by-hop": HttpReply(200, {"Content-Length": "999", "transfer-encoding": "chunked", "Connection": "close",
                                  "keep-alive": "timeout=5", "content-type": "text/plain"}, b"body"),
    "own-date-server": HttpReply(200, {"date": "Mon, 01 Jan 2024 00:00:00 GMT", "Server": "fake"}, b"x"),
    "unicode": HttpReply(200, {"x-name": "caf\u00e9"}, "\u00e9t\u00e9".encode()),
    "format-marks": HttpReply(200, {"x-%s{}": "100%s {0} %d", "content-type": "text/plain"}, b"x"),
    "crlf-in-value": HttpReply(200, {"x-evil": "a\r\nset-cookie: b"}, b"x"),
    "lf-in-name": HttpReply(200, {"x-evil\nfoo": "a"}, b"x"),
}

HEADS = {
    "1.1": "GET /{path} HTTP/1.1\r\nHost: x\r\n\r\n",
    "1.1 close": "GET /{path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "1.0": "GET /{path} HTTP/1.0\r\nHost: x\r\n\r\n",
    "1.0 keep-alive": "GET /{path} HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n",
}


async def _answer(request: web.BaseRequest) -> web.StreamResponse:
    how, name = request.path.strip("/").split("/")
    reply = REPLIES[name]
    if how == "whole":
        assert fits(request, reply)
        return WholeResponse(reply)
    return web.Response(status=reply.status, headers=reply_headers(reply), body=reply.body)


@pytest.fixture
async def port() -> AsyncIterator[int]:
    runner = web.ServerRunner(web.Server(_answer), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield runner.addresses[0][1]
    finally:
        await runner.cleanup()


async def _exchange(port: int, head: str) -> tuple[bytes, bool]:
    """The bytes answered to ``head``, and whether the connection then answers a second request."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head.encode())
        await writer.drain()
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = await asyncio.wait_for(reader.read(65536), 5)
            if not chunk:
                return answer, False
            answer += chunk
        length = re.search(rb"\r\nContent-Length: (\d+)\r\n", answer)
        assert length is not None, answer
        while len(answer) < answer.index(b"\r\n\r\n") + 4 + int(length.group(1)):
            answer += await asyncio.wait_for(reader.read(65536), 5)
        writer.write(b"GET /aio/json HTTP/1.1\r\nHost: x\r\n\r\n")
        await writer.drain()
        second = await asyncio.wait_for(reader.read(65536), 5)
        return answer, second.startswith(b"HTTP/1.1 200 OK\r\n")
    finally:
        writer.close()


def _undated(answer: bytes) -> bytes:
    return re.sub(rb"\r\nDate: [^\r]+\r\n", b"\r\nDate: -\r\n", answer)


@pytest.mark.parametrize("version", list(HEADS))
@pytest.mark.parametrize("name", list(REPLIES))
async def test_whole_response_writes_what_aiohttp_writes(port: int, name: str, version: str) -> None:
    theirs = await _exchange(port, HEADS[version].format(path=f"aio/{name}"))
    ours = await _exchange(port, HEADS[version].format(path=f"whole/{name}"))
    assert (_undated(ours[0]), ours[1]) == (_undated(theirs[0]), theirs[1])
    if any("\r" in text or "\n" in text for pair in REPLIES[name].headers.items() for text in pair):
        assert theirs == (b"", False)  # aiohttp refuses a header with CR or LF: nothing written, connection cut
    else:
        assert theirs[0].startswith(f"HTTP/{version[:3]} ".encode()) and b"\r\ndate: " in theirs[0].lower()
        assert theirs[1] == (version in ("1.1", "1.0 keep-alive"))


def test_fits_leaves_to_aiohttp_what_it_does_not_write_exactly() -> None:
    from aiohttp.test_utils import make_mocked_request

    ok = HttpReply(200, {}, b"x")
    assert fits(make_mocked_request("GET", "/"), ok)
    assert not fits(make_mocked_request("HEAD", "/"), ok)  # no body for HEAD
    for status in (101, 204, 304):
        assert not fits(make_mocked_request("GET", "/"), HttpReply(status, {}, b""))
    assert not fits(make_mocked_request("GET", "/"), HttpReply(200, {}, b"x" * (MAX_BODY_BYTES + 1)))
    assert fits(make_mocked_request("GET", "/"), HttpReply(200, {}, b"x" * MAX_BODY_BYTES))


def test_whole_response_headers_are_the_replys_for_the_access_log() -> None:
    response = WholeResponse(HttpReply(200, {"request-id": "req_9", "content-type": "application/json"}, b"{}"))
    assert response.headers["request-id"] == "req_9" and response.status == 200 and not response.prepared


def test_served_head_gets_no_body_and_the_connection_serves_the_next_request() -> None:
    """Through ``fakeclaude serve``'s service: a HEAD is left to aiohttp (no body written), so the next
    request on the same keep-alive connection reads its own reply, not the HEAD's stray body."""
    import socket

    from fakeclaude.server.adapters.runner import ServerThread

    from .adapters_support import ScriptedEngine

    with ServerThread(ScriptedEngine()) as server, socket.create_connection(("127.0.0.1", server.port), 5) as sock:
        sock.sendall(b"HEAD /v1/echo HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/echo HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = b""
        while answer.count(b"HTTP/1.1 200 OK") < 2 or not answer.endswith(b"}"):
            chunk = sock.recv(65536)
            assert chunk, answer
            answer += chunk
    head, second = answer.split(b"HTTP/1.1 200 OK", 2)[1:]
    assert head.endswith(b"\r\n\r\n")  # headers only
    assert second.split(b"\r\n\r\n", 1)[1].startswith(b'{"method": "GET"')


def test_the_access_log_names_a_whole_replys_request_id(caplog: pytest.LogCaptureFixture) -> None:
    """With the access log on (``fakeclaude serve``'s default), a reply written whole is logged with its
    status and request id, as one written by aiohttp."""
    import logging

    import httpx2

    from fakeclaude.server.adapters.runner import ServerThread

    from .adapters_support import ScriptedEngine

    caplog.set_level(logging.INFO, logger="fakeclaude.access")
    with ServerThread(ScriptedEngine()) as server:
        assert httpx2.get(f"{server.base_url}/v1/echo", timeout=10).status_code == 200
    lines = [r.getMessage() for r in caplog.records if r.name == "fakeclaude.access"]
    assert len(lines) == 1 and re.fullmatch(r"GET /v1/echo 200 \d+\.\dms req_test", lines[0]), lines
