"""One active cassette's traffic: ``Recorder`` looks requests up, and records what passes (``Tee``).

- a hit is answered from the cassette (``playback.prepare``), instantly or at the recorded pace
  (``pace="recorded"``: the server's latency, then each event's gap);
- a miss in a mode that records goes to the real server, and the response is *teed*: the client gets
  each chunk as it arrives while the interaction (events with their arrival times, the latency, a
  connection cut mid-stream) is stored when the body ends, fails or is closed;
- a miss in a mode that does not record raises ``CassetteMiss`` at once, a ``BaseException`` that no
  client wraps into a retried connection error (the pytest plugin turns it into a test failure).

The interceptions for httpx2, httpx and aiohttp are in ``interception``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from vcr.filters import decode_response
from vcr.request import Request

from fakeclaude.streaming._sse import SSEDecoder

from .matching import content_encoding, decoded_body, stored_headers
from .misses import CassetteMiss, miss_message
from .playback import Prepared, prepare
from .store import ClaudeCassette, timestamp

__all__ = ["Recorder", "Tee", "drop_message", "header_lists"]


class Recorder:
    """One active cassette: lookups, recordings and misses (``misses``: their messages, in order)."""

    def __init__(self, cassette: ClaudeCassette, *, pace: str = "instant", rerecord_hint: str = "",
                 recorded_by: str | None = None) -> None:
        if pace not in ("instant", "recorded"):
            raise ValueError(f"pace must be 'instant' or 'recorded', not {pace!r}")
        self.cassette = cassette
        self.pace = pace
        self.recorded_by = recorded_by
        """Who records (the pytest plugin: the test's node id), kept with each interaction (``recorded_by``)."""
        self.rerecord_hint = rerecord_hint
        self.misses: list[str] = []
        self._prepared: dict[int, Prepared] = {}

    def lookup(self, method: str, uri: str, body: bytes | None, headers: Any) -> tuple[Any, Prepared | None]:
        """``(None, prepared)`` for a hit; ``(request to record, None)`` for a miss that records.

        Raises ``CassetteMiss`` for a miss in a mode that does not record.
        """
        cassette = self.cassette
        sent = body
        body = decoded_body(body, content_encoding(headers))
        key = cassette.key(method, uri, body)
        hit = cassette.play(key)
        if hit is not None:
            index, response = hit
            prepared = self._prepared.get(index)
            if prepared is None:
                prepared = self._prepared[index] = prepare(response)
            return None, prepared
        request = Request(method, uri, body, stored_headers(headers, body is not sent))
        if not cassette.records:
            message = miss_message(cassette, request, key, self.rerecord_hint)
            self.misses.append(message)
            raise CassetteMiss(message)
        return request, None

    def record(self, request: Any, response: dict[str, Any]) -> None:
        """Append an interaction that went to the server (stamped ``recorded_at`` and ``recorded_by``;
        scrubbed by the cassette)."""
        response["recorded_at"] = timestamp()
        if self.recorded_by:
            response["recorded_by"] = self.recorded_by
        self.cassette.append(request, response)

    def delays(self, prepared: Prepared) -> list[float] | None:
        """The gaps to wait before each chunk, or ``None`` to replay instantly."""
        return prepared.delays if self.pace == "recorded" else None

    def latency(self, prepared: Prepared) -> float:
        """The time to wait before the response (its headers) is handed over."""
        return prepared.latency if self.pace == "recorded" else 0.0


class Tee:
    """Collects a response's chunks (and stream events with their arrival times) as they pass.

    ``sink(request, response)`` receives the vcrpy response dict once the body ended (``finish()``),
    failed (``finish(dropped=message)``: the connection was cut) or was closed before its end by the
    client (``finish(closed=True)``). ``started`` (a ``time.perf_counter()``) is when the request was
    sent: the response keeps how long the server took to answer (``latency``).
    """

    def __init__(self, sink: Callable[[Any, dict[str, Any]], None], request: Any, status: int, reason: str,
                 headers: dict[str, list[str]], decoded: bool = False, started: float | None = None) -> None:
        self.sink, self.request = sink, request
        self.status, self.reason, self.headers = status, reason, headers
        content_type = next((v[0] for k, v in headers.items() if k.lower() == "content-type"), "")
        self.decoder = SSEDecoder() if "text/event-stream" in content_type.lower() else None
        self.events: list[dict[str, Any]] = []
        self.parts: list[bytes] = []
        self.start = time.perf_counter()
        self.latency = round(self.start - started, 4) if started is not None else None
        self.done = False
        self.decoded = decoded

    def chunk(self, chunk: bytes) -> None:
        """One piece of the body, as it passed (stream events are timed from the headers' arrival)."""
        self.parts.append(chunk)
        if self.decoder is not None:
            at = round(time.perf_counter() - self.start, 4)
            for event in self.decoder.feed(chunk):
                self.events.append({"event": event.event, "data": event.data, "at": at})

    def finish(self, *, dropped: str | None = None, closed: bool = False) -> None:
        """The body is over (only the first call counts): hand the response to the sink."""
        if self.done:
            return
        self.done = True
        body: dict[str, Any] = {"string": b"".join(self.parts)}
        if self.decoder is not None:
            at = round(time.perf_counter() - self.start, 4)
            if dropped is None:  # an event cut in the middle by a drop never reached the client
                for event in self.decoder.flush():
                    self.events.append({"event": event.event, "data": event.data, "at": at})
            body["events"] = self.events
        if dropped is not None:
            body["dropped"] = dropped
        elif closed:
            body["closed_by_client"] = True
        headers = self.headers
        if self.decoded:
            headers = {k: v for k, v in headers.items() if k.lower() not in ("content-encoding", "content-length")}
        response: dict[str, Any] = {"status": {"code": self.status, "message": self.reason}, "headers": headers,
                                    "body": body}
        if self.decoder is None and not self.decoded:
            response = decode_response(response)
        if self.latency is not None:
            response["latency"] = self.latency
        self.sink(self.request, response)


def drop_message(exc: BaseException) -> str:
    """What a cut connection said, kept in the cassette (``dropped``)."""
    return str(exc) or type(exc).__name__


def header_lists(items: Any) -> dict[str, list[str]]:
    """``(name, value)`` pairs as vcrpy's header mapping (name -> list of values)."""
    out: dict[str, list[str]] = {}
    for name, value in items:
        out.setdefault(str(name), []).append(str(value))
    return out


