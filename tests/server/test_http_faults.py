"""What the served fake does with malformed, slow and huge requests, probed with raw sockets.

Malformed requests get the API's JSON error without echoing the request (its key stays out of the
reply, the logs and stderr); slow or silent connections are closed; a huge body is handled in a
worker thread while other clients are served.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from fakeclaude.server import FakeClaude, FakeClock
from fakeclaude.server.adapters.runner import ServerThread
from fakeclaude.server.http import HttpReply, HttpRequest

SECRET = "SECRETkey0f" + "this-test-never-to-be-echoed"
SAFETY = 20.0  # seconds a socket waits at most: only a server that never answers or closes hits it
BODY = json.dumps({"model": "claude-sonnet-4-5", "max_tokens": 8,
                   "messages": [{"role": "user", "content": "hi"}]}).encode()


@pytest.fixture
def served(caplog: pytest.LogCaptureFixture) -> Iterator[ServerThread]:
    caplog.set_level(logging.DEBUG)
    with ServerThread(FakeClaude(seed=1, clock=FakeClock()).engine) as server:
        yield server


@pytest.fixture
def impatient() -> Iterator[ServerThread]:
    """A served fake that gives a request head or a stalled body half a second."""
    from fakeclaude.server.adapters.runner import Timeouts

    with ServerThread(FakeClaude(seed=1, clock=FakeClock()).engine, timeouts=Timeouts(idle=0.5, body=0.5)) as server:
        yield server


def exchange(server: ServerThread, data: bytes) -> bytes:
    """Send ``data`` on a fresh connection; everything the server sends until it closes the connection."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=SAFETY) as sock:
        sock.sendall(data)
        return read_to_close(sock)


def read_to_close(sock: socket.socket) -> bytes:
    out = b""
    while chunk := sock.recv(65536):
        out += chunk
    return out


def parse(raw: bytes) -> tuple[int, dict[str, str], Any]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    pairs = (line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {name.lower(): value for name, value in pairs}, json.loads(body)


def assert_api_error(raw: bytes, status: int, kind: str = "invalid_request_error") -> str:
    code, headers, body = parse(raw)
    assert code == status
    assert headers["content-type"] == "application/json"
    assert body["type"] == "error" and body["error"]["type"] == kind
    assert body["request_id"] == headers["request-id"]
    return str(body["error"]["message"])


def assert_secret_never_shown(raw: bytes, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]) -> None:
    assert SECRET.encode() not in raw
    for record in caplog.records:
        shown = record.getMessage() + (logging.Formatter().formatException(record.exc_info) if record.exc_info else "")
        assert SECRET not in shown, record
        assert record.levelno < logging.ERROR, record.getMessage()  # a refusal, not a server failure
    out, err = capfd.readouterr()
    assert SECRET not in out and SECRET not in err


def request(head: str, body: bytes = b"") -> bytes:
    return head.replace("\n", "\r\n").encode("latin-1") + body


def test_a_body_labelled_gzip_that_is_not_gets_the_api_s_400(served: ServerThread, caplog: pytest.LogCaptureFixture,
                                                             capfd: pytest.CaptureFixture[str]) -> None:
    raw = exchange(served, request(
        f"POST /v1/messages HTTP/1.1\nHost: x\nx-api-key: {SECRET}\nanthropic-version: 2023-06-01\n"
        f"content-type: application/json\nContent-Encoding: gzip\nContent-Length: {len(BODY)}\n\n", BODY))
    message = assert_api_error(raw, 400)
    assert message == "There was an error parsing the body of your request: it is labelled Content-Encoding: gzip but is not"
    assert parse(raw)[2]["error"]["details"] == {"error_code": "request_body_encoding_invalid"}  # the SDK's class
    assert_secret_never_shown(raw, caplog, capfd)


_UNSUPPORTED = "its Content-Encoding is not supported here (send it as identity, gzip or deflate)"


@pytest.mark.parametrize(("encoding", "body", "said", "code"), ids=[
    "gzip-magic-then-garbage", "brotli", "unknown", "x-gzip", "stacked"], argvalues=[
    ("gzip", b"\x1f\x8b\x08\x00garbage", "it is labelled Content-Encoding: gzip but is not", "request_body_encoding_invalid"),
    ("br", BODY, _UNSUPPORTED, "request_body_encoding_unsupported"),
    # aiohttp hands these over undecoded: an unknown one was answered as if plain, the others as bad JSON
    ("x-bogus", BODY, _UNSUPPORTED, "request_body_encoding_unsupported"),
    ("x-gzip", BODY, _UNSUPPORTED, "request_body_encoding_unsupported"),
    ("gzip, deflate", BODY, _UNSUPPORTED, "request_body_encoding_unsupported"),
])
def test_a_body_that_does_not_decode_is_named_so(served: ServerThread, caplog: pytest.LogCaptureFixture,
                                                 capfd: pytest.CaptureFixture[str], encoding: str, body: bytes,
                                                 said: str, code: str) -> None:
    """Not "the body is empty" (gzip's magic, then garbage) or "a header could not be parsed" (br); with the
    ``error_code`` the SDK picks ``RequestBodyEncodingInvalidError`` / ``...UnsupportedError`` by."""
    raw = exchange(served, request(
        f"POST /v1/messages HTTP/1.1\nHost: x\nx-api-key: {SECRET}\nanthropic-version: 2023-06-01\n"
        f"content-type: application/json\nContent-Encoding: {encoding}\nContent-Length: {len(body)}\n\n", body))
    assert assert_api_error(raw, 400) == f"There was an error parsing the body of your request: {said}"
    assert parse(raw)[2]["error"]["details"] == {"error_code": code}
    assert_secret_never_shown(raw, caplog, capfd)


def test_a_real_gzip_body_is_still_answered(served: ServerThread) -> None:
    import gzip

    packed = gzip.compress(BODY)
    response = httpx2.post(f"{served.base_url}/v1/messages", content=packed, timeout=SAFETY, headers={
        "x-api-key": "k", "anthropic-version": "2023-06-01", "content-type": "application/json",
        "content-encoding": "gzip"})
    assert response.status_code == 200 and response.json()["type"] == "message"


def test_a_gzip_bomb_gets_its_413_and_the_rest_is_never_inflated(served: ServerThread,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """128 MiB of spaces in 130 KB of gzip: refused once 32 MiB are decoded; before, aiohttp went on inflating
    the rest for up to 10 s (its lingering read), every other client of the loop waiting."""
    import gzip

    from aiohttp.compression_utils import ZLibDecompressor

    inflated = [0]
    decompress = ZLibDecompressor.decompress_sync

    def counted(self: Any, data: bytes, max_length: int = 0) -> bytes:
        out: bytes = decompress(self, data, max_length)
        inflated[0] += len(out)
        return out

    monkeypatch.setattr(ZLibDecompressor, "decompress_sync", counted)
    bomb = gzip.compress(b" " * (128 << 20), 1)
    raw = exchange(served, request(
        f"POST /v1/messages HTTP/1.1\nHost: x\nx-api-key: k\nanthropic-version: 2023-06-01\n"
        f"content-type: application/json\nContent-Encoding: gzip\nContent-Length: {len(bomb)}\n\n", bomb))
    status, _, refused = parse(raw)  # as from the API's proxy: no request_id in the body
    assert status == 413 and refused["error"] == {"type": "request_too_large", "message": "Request exceeds the maximum size",
                                                  "details": {"error_code": "request_body_too_large_after_decoding"}}
    assert 32 << 20 < inflated[0] < 40 << 20, inflated[0]
    response = httpx2.post(f"{served.base_url}/v1/messages", content=BODY, timeout=SAFETY, headers={
        "x-api-key": "k", "anthropic-version": "2023-06-01", "content-type": "application/json"})
    assert response.status_code == 200

@pytest.mark.parametrize(("name", "head", "status"), ids=["control-char", "long-header", "bad-url", "long-url"], argvalues=[
    ("control character in x-api-key",
     f"GET /v1/models HTTP/1.1\nHost: x\nx-api-key: {SECRET[:6]}\x01{SECRET[6:]}\n\n", 400),
    ("header over 8,190 bytes", f"GET /v1/models HTTP/1.1\nHost: x\nx-api-key: {SECRET}{'a' * 9000}\n\n", 431),
    ("bad URL with ?key=", f"GET /v1/models?key={SECRET}\x7f HTTP/1.1\nHost: x\n\n", 400),
    ("request line over 8,190 bytes", f"GET /v1/models?key={SECRET}{'b' * 9000} HTTP/1.1\nHost: x\n\n", 431),
])
def test_what_http_cannot_parse_gets_an_api_error_without_the_key(
        served: ServerThread, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str],
        name: str, head: str, status: int) -> None:
    raw = exchange(served, request(head))
    message = assert_api_error(raw, status)
    assert SECRET[:6] not in message
    assert_secret_never_shown(raw, caplog, capfd)
    refusals = [r.getMessage() for r in caplog.records if "HTTP could not parse" in r.getMessage()]
    assert len(refusals) == 1  # one line says what happened


def test_headers_sent_byte_by_byte_are_cut_off_while_others_are_served(impatient: ServerThread) -> None:
    served = impatient
    head = request(f"GET /v1/models HTTP/1.1\nHost: x\nx-api-key: {SECRET}\nanthropic-version: 2023-06-01\n")
    with socket.create_connection(("127.0.0.1", served.port), timeout=SAFETY) as slow:
        slow.settimeout(0.1)
        closed = False
        for byte in head * 20:  # far longer than the idle timeout at 0.1 s per byte
            try:
                slow.sendall(bytes([byte]))
                if slow.recv(1) == b"":
                    closed = True
                    break
            except TimeoutError:
                continue
            except OSError:  # reset by the server
                closed = True
                break
            response = httpx2.get(f"{served.base_url}/v1/models", timeout=SAFETY,
                                  headers={"x-api-key": "k", "anthropic-version": "2023-06-01"})
            assert response.status_code == 200
        assert closed, "a client sending its headers byte by byte was never cut off"


def test_a_silent_connection_is_closed(impatient: ServerThread) -> None:
    with socket.create_connection(("127.0.0.1", impatient.port), timeout=SAFETY) as sock:
        assert read_to_close(sock) == b""


def test_a_body_that_never_finishes_gets_a_408(impatient: ServerThread) -> None:
    raw = exchange(impatient, request(
        f"POST /v1/messages HTTP/1.1\nHost: x\nx-api-key: {SECRET}\nanthropic-version: 2023-06-01\n"
        f"content-type: application/json\nContent-Length: {len(BODY)}\n\n", BODY[:10]))
    message = assert_api_error(raw, 408, "timeout_error")
    assert "no part of the body arrived" in message



def test_a_body_trickled_in_gets_a_408_once_it_is_not_whole_in_time(impatient: ServerThread) -> None:
    """A byte every 0.1 s never lets the 0.5 s idle timeout lapse; the body must still be whole within ten of them."""
    import time

    body = json.dumps({"model": "claude-sonnet-4-5", "max_tokens": 8,
                       "messages": [{"role": "user", "content": "hi " * 100}]}).encode()
    head = request(f"POST /v1/messages HTTP/1.1\nHost: x\nx-api-key: k\nanthropic-version: 2023-06-01\n"
                   f"content-type: application/json\nContent-Length: {len(body)}\n\n")
    with socket.create_connection(("127.0.0.1", impatient.port), timeout=SAFETY) as sock:
        sock.sendall(head)
        sock.settimeout(0.1)
        answer, started = b"", time.monotonic()
        for byte in body:
            try:
                sock.sendall(bytes([byte]))
                answer += sock.recv(65536)
            except TimeoutError:
                continue
            except OSError:  # the server closed the connection
                break
            if answer.endswith(b"}") or time.monotonic() - started > SAFETY:
                break
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert b"Request timed out: the body did not arrive whole within 5 seconds" in answer

OFFLOAD_BYTES = 256 * 1024  # fakeclaude.server.adapters.app.OFFLOAD_BYTES (written out: the test also runs on old code)


class _GatedEngine:
    """The real engine, except that a big request waits (at most ``GATE`` seconds) until ``release`` is set."""

    GATE = 5.0

    def __init__(self) -> None:
        self.inner = FakeClaude(seed=1, clock=FakeClock()).engine
        self.big_started = threading.Event()
        self.release = threading.Event()
        self.gave_up = False  # the gate opened by itself: nobody could release it while the big one ran

    def handle(self, request: HttpRequest) -> HttpReply:
        if len(request.body) >= OFFLOAD_BYTES:
            self.big_started.set()
            self.gave_up = not self.release.wait(self.GATE)
        return self.inner.handle(request)


def test_the_offload_threshold_is_the_one_these_tests_use() -> None:
    from fakeclaude.server.adapters.app import OFFLOAD_BYTES as offload

    assert offload == OFFLOAD_BYTES


def test_a_huge_body_is_handled_off_the_loop_while_small_requests_are_answered() -> None:
    engine = _GatedEngine()
    messages = [{"role": "user" if i % 2 == 0 else "assistant", "content": f"turn {i}"} for i in range(20_001)]
    big = json.dumps({"model": "claude-sonnet-4-5", "max_tokens": 8, "messages": messages}).encode()
    assert len(big) >= OFFLOAD_BYTES
    headers = {"x-api-key": "k", "anthropic-version": "2023-06-01", "content-type": "application/json"}
    with ServerThread(engine) as server, httpx2.Client(base_url=server.base_url, timeout=SAFETY) as http:
        results: dict[str, Any] = {}
        sender = threading.Thread(target=lambda: results.update(big=http.post("/v1/messages", content=big, headers=headers)))
        sender.start()
        assert engine.big_started.wait(SAFETY)
        small = [http.post("/v1/messages", content=BODY, headers=headers) for _ in range(5)]  # while the big one waits
        engine.release.set()
        sender.join(SAFETY)
    assert not engine.gave_up, "the small requests were only answered once the big one was done"
    assert [r.status_code for r in small] == [200] * 5
    assert results["big"].status_code == 200 and results["big"].json()["type"] == "message"


def head_of(sock: socket.socket) -> bytes:
    """Bytes from ``sock`` up to and including the first blank line."""
    out = b""
    while b"\r\n\r\n" not in out:
        chunk = sock.recv(1)
        assert chunk, f"the server closed the connection after {out!r}"
        out += chunk
    return out


def test_expect_100_continue_is_answered_before_the_body_is_sent(served: ServerThread) -> None:
    with socket.create_connection(("127.0.0.1", served.port), timeout=SAFETY) as sock:
        sock.sendall(request(
            "POST /v1/messages HTTP/1.1\nHost: x\nx-api-key: k\nanthropic-version: 2023-06-01\n"
            f"content-type: application/json\nExpect: 100-continue\nContent-Length: {len(BODY)}\n\n"))
        assert head_of(sock) == b"HTTP/1.1 100 Continue\r\n\r\n"  # the client may now send its body
        sock.sendall(BODY)
        sock.shutdown(socket.SHUT_WR)
        code, _, body = parse(read_to_close(sock))
    assert code == 200 and body["type"] == "message"


def test_an_unknown_expectation_gets_the_api_s_417_without_the_header(served: ServerThread) -> None:
    raw = exchange(served, request(
        f"POST /v1/messages HTTP/1.1\nHost: x\nx-api-key: k\nExpect: {SECRET}\nContent-Length: {len(BODY)}\n\n", BODY))
    message = assert_api_error(raw, 417)
    assert message == "Expectation failed: only Expect: 100-continue is understood"
    assert SECRET.encode() not in raw


def test_a_body_arriving_after_the_head_in_pieces_is_read_whole(served: ServerThread) -> None:
    """The head and the body in separate writes: the body is awaited (not only taken when it came with the head)."""
    with socket.create_connection(("127.0.0.1", served.port), timeout=SAFETY) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(request(
            "POST /v1/messages HTTP/1.1\nHost: x\nx-api-key: k\nanthropic-version: 2023-06-01\n"
            f"content-type: application/json\nConnection: close\nContent-Length: {len(BODY)}\n\n"))
        for piece in (BODY[:10], BODY[10:40], BODY[40:]):
            threading.Event().wait(0.05)
            sock.sendall(piece)
        code, _, body = parse(read_to_close(sock))
    assert code == 200 and body["type"] == "message" and body["usage"]["input_tokens"] > 0
