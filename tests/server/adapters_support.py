"""A small scripted engine for the adapter tests (this module holds no tests of its own).

It stands in for the real engine so the aiohttp application, the runner and the transports are
tested against every kind of ``HttpReply``: echoed requests, delayed replies, streams with delays, a
dropped connection, engine failures (before and during a stream) and endless streams a client leaves.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

from fakeclaude.server.http import HttpReply, HttpRequest, StreamChunk

JSON = {"content-type": "application/json", "request-id": "req_test"}
SSE = {"content-type": "text/event-stream", "request-id": "req_test_stream"}


class ScriptedEngine:
    """Answers by path; ``?delay=`` and ``?n=`` tune the replies. Counts stream openings and closings."""

    def __init__(self) -> None:
        self.requests: list[HttpRequest] = []
        self.streams_opened = 0
        self.streams_closed = 0
        self.stream_closed = threading.Event()
        self.streams: list[Iterator[StreamChunk]] = []  # held so only an adapter's close() can close them
        self._lock = threading.Lock()

    def handle(self, request: HttpRequest) -> HttpReply:
        self.requests.append(request)
        delay = float(request.query.get("delay", "0"))
        n = int(request.query.get("n", "3"))
        match request.path:
            case "/boom":
                raise RuntimeError("engine bug")
            case "/slow":
                return HttpReply(200, dict(JSON), b'{"slow":true}', delay=delay)
            case "/stream":
                return HttpReply(200, dict(SSE), stream=self._chunks([StreamChunk(b"chunk-%d\n" % i, delay) for i in range(n)]))
            case "/drop":
                chunks = [StreamChunk(b"first\n"), StreamChunk(b"second\n", delay), StreamChunk(b"", drop=True)]
                return HttpReply(200, dict(SSE), stream=self._chunks([*chunks, StreamChunk(b"never\n")]))
            case "/endless":
                return HttpReply(200, dict(SSE), stream=self._endless(delay))
            case "/boom-mid-stream":
                return HttpReply(200, dict(SSE), stream=self._failing())
            case "/list-stream":  # a plain list: an iterator without close()
                return HttpReply(200, dict(SSE), stream=[StreamChunk(b"a"), StreamChunk(b"b", delay)])
            case _:
                return HttpReply(200, dict(JSON), json.dumps(echo(request)).encode())

    def _track(self, chunks: Iterator[StreamChunk]) -> Iterator[StreamChunk]:
        tracked = self._tracked(chunks)
        self.streams.append(tracked)
        return tracked

    def _tracked(self, chunks: Iterator[StreamChunk]) -> Iterator[StreamChunk]:
        with self._lock:
            self.streams_opened += 1
        try:
            yield from chunks
        finally:
            with self._lock:
                self.streams_closed += 1
            self.stream_closed.set()

    def _chunks(self, chunks: list[StreamChunk]) -> Iterator[StreamChunk]:
        return self._track(iter(chunks))

    def _endless(self, delay: float) -> Iterator[StreamChunk]:
        def forever() -> Iterator[StreamChunk]:
            i = 0
            while True:
                yield StreamChunk(b"tick-%d\n" % i, delay)
                i += 1

        return self._track(forever())

    def _failing(self) -> Iterator[StreamChunk]:
        def fail() -> Iterator[StreamChunk]:
            yield StreamChunk(b"ok\n")
            raise ValueError("engine bug mid-stream")

        return self._track(fail())


def echo(request: HttpRequest) -> dict[str, object]:
    return {
        "method": request.method,
        "path": request.path,
        "query": dict(request.query),
        "headers": dict(request.headers),
        "body": request.body.decode("latin-1"),
    }
