"""How ``fakeclaude serve`` hands a request's headers to the engine: lower-case names, repeats joined."""

from __future__ import annotations

from multidict import CIMultiDict, CIMultiDictProxy

from fakeclaude.server.adapters import app


def _headers(*pairs: tuple[str, str]) -> CIMultiDictProxy[str]:
    return CIMultiDictProxy(CIMultiDict(pairs))


def test_names_are_lower_case_and_each_request_keeps_its_own_values() -> None:
    first = app._lower_headers(_headers(("X-Api-Key", "k1"), ("Content-Type", "application/json")))
    second = app._lower_headers(_headers(("X-Api-Key", "k2"), ("Content-Type", "text/plain")))
    assert first == {"x-api-key": "k1", "content-type": "application/json"}
    assert second == {"x-api-key": "k2", "content-type": "text/plain"}  # the names' lowering is shared, not the values


def test_a_name_sent_twice_in_any_case_has_its_values_joined() -> None:
    seen = app._lower_headers(_headers(("Anthropic-Beta", "one"), ("x-api-key", "k"), ("anthropic-beta", "two")))
    assert seen == {"anthropic-beta": "one, two", "x-api-key": "k"}
    again = app._lower_headers(_headers(("Anthropic-Beta", "one"), ("x-api-key", "k")))
    assert again == {"anthropic-beta": "one", "x-api-key": "k"}


def test_the_kept_name_lists_are_bounded() -> None:
    for i in range(app._MAX_LOWERED + 10):
        assert app._lower_headers(_headers((f"X-N{i}", "v"))) == {f"x-n{i}": "v"}
    assert len(app._LOWERED) <= app._MAX_LOWERED


def test_a_body_timeout_counts_from_the_last_piece_not_from_the_head() -> None:
    """Pieces each within the body timeout are read whole, however long the body takes in total (0.25 s
    gaps, 1 s in all, a timeout of 0.4 s); a 408 is only for a body that stops arriving."""
    import json
    import socket
    import time

    from fakeclaude.server import FakeClaude
    from fakeclaude.server.adapters.runner import ServerThread, Timeouts

    body = json.dumps({"model": "claude-sonnet-4-5", "max_tokens": 8, "messages": [{"role": "user", "content": "hi"}]})
    head = ("POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: k\r\nanthropic-version: 2023-06-01\r\n"
            f"content-type: application/json\r\nConnection: close\r\nContent-Length: {len(body)}\r\n\r\n")
    with ServerThread(FakeClaude(seed=1).engine, timeouts=Timeouts(idle=5, body=0.4)) as server, \
            socket.create_connection(("127.0.0.1", server.port), timeout=20) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(head.encode())
        for i in range(0, len(body), len(body) // 4 + 1):
            time.sleep(0.25)
            sock.sendall(body[i:i + len(body) // 4 + 1].encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n"), answer[:300]
    assert b'"type":"message"' in answer


def _stalled_post(body_bytes: int) -> bytes:
    body = b'{"model": "claude-sonnet-4-5", "max_tokens": 8, "messages": [{"role": "user", "content": "hi"}]}'
    return (b"POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: k\r\nanthropic-version: 2023-06-01\r\n"
            b"content-type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body[:body_bytes])


def test_a_stall_in_a_later_request_on_a_kept_alive_connection_gets_its_408() -> None:
    """The connection's one body timer, set for the first request, still catches the second one's stall."""
    import socket
    import time

    from fakeclaude.server import FakeClaude
    from fakeclaude.server.adapters.runner import ServerThread, Timeouts

    head, _, body = _stalled_post(10_000).partition(b"\r\n\r\n")
    with ServerThread(FakeClaude(seed=1).engine, timeouts=Timeouts(idle=5, body=0.4)) as server, \
            socket.create_connection(("127.0.0.1", server.port), timeout=20) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(head + b"\r\n\r\n")
        time.sleep(0.05)  # the body apart from the head: it is waited for, and the connection's timer set
        sock.sendall(body)
        first = b""
        while b'"type":"message"' not in first or not first.endswith(b"}"):
            first += sock.recv(65536)
        time.sleep(0.25)  # the first body's timer is still pending when the second body stalls
        sock.sendall(_stalled_post(10))
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert first.startswith(b"HTTP/1.1 200 OK\r\n")
    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n"), answer[:300]
    assert b"no part of the body arrived for 0.4 seconds" in answer


def test_make_app_times_a_stalled_body_out_with_its_own_watch() -> None:
    """An application from ``make_app`` (aiohttp's own connections, no shared watch) gives a stall its 408."""
    import asyncio

    from aiohttp import web

    from fakeclaude.server import FakeClaude, make_app

    async def main() -> bytes:
        runner = web.AppRunner(make_app(FakeClaude(seed=1).engine, body_timeout=0.3), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", runner.addresses[0][1])
            writer.write(_stalled_post(10))
            answer = await asyncio.wait_for(reader.read(), 20)
            writer.close()
            return answer
        finally:
            await runner.cleanup()

    answer = asyncio.run(main())
    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n"), answer[:300]
