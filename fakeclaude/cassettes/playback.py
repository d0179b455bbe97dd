"""What replaying one recorded response takes, computed once per interaction: ``prepare``.

A ``Prepared`` holds the status, the headers to send, the body as chunks (one per stream event) with
the recorded gap before each, the time the server took to answer (``latency``), and, for a stream
whose connection was cut while recording, the message of that cut (``dropped``): an interception
delivers the chunks, then fails the way its library fails on a dropped connection.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vcr.filters import decode_response

from .format import encode_events, events_from_sse

__all__ = ["DROPPED_CONNECTION", "Prepared", "prepare"]

_DROP_ON_REPLAY = frozenset({"content-length", "transfer-encoding"})
DROPPED_CONNECTION = "peer closed connection without sending complete message body (incomplete chunked read)"


@dataclass(slots=True)
class Prepared:
    """A recorded response ready to be played: status, headers, chunks and their recorded timing."""

    status: int
    reason: str
    headers: list[tuple[str, str]]
    chunks: list[bytes]
    delays: list[float]
    latency: float = 0.0
    dropped: str | None = None


def prepare(response: dict[str, Any]) -> Prepared:
    """What a replay of ``response`` (a vcrpy response dict) needs."""
    if "status_code" in response:  # vcrpy's old httpx format
        response = {"status": {"code": response["status_code"], "message": ""},
                    "headers": response.get("headers", {}), "body": {"string": response.get("content", b"")}}
    if any(name.lower() == "content-encoding" for name in response.get("headers") or {}):
        response = decode_response(response)  # compressed by the server when another tool recorded it
    status = response.get("status") or {}
    headers = response.get("headers") or {}
    body = response.get("body") or {}
    string = body.get("string") or b""
    if isinstance(string, str):
        string = string.encode("utf-8")
    events = body.get("events")
    content_type = ""
    pairs: list[tuple[str, str]] = []
    for name, values in headers.items():
        if name.lower() == "content-type":
            content_type = str(values[0] if isinstance(values, list) else values)
        if name.lower() in _DROP_ON_REPLAY:
            continue
        for value in values if isinstance(values, list) else [values]:
            pairs.append((name, str(value)))
    if events is None and "text/event-stream" in content_type and string:
        events = events_from_sse(string)
    if events is not None:
        chunks = encode_events(events)
        times = [float(e.get("at", 0.0)) for e in events]
        delays = [max(0.0, t - prev) for prev, t in zip([0.0, *times], times, strict=False)]
    else:
        chunks, delays = ([string] if string else []), [0.0]
        pairs.append(("content-length", str(len(string))))
    dropped = body.get("dropped")
    return Prepared(int(status.get("code", 200)), str(status.get("message") or ""), pairs, chunks, delays,
                    latency=float(response.get("latency") or 0.0),
                    dropped=(str(dropped) if dropped is not True else DROPPED_CONNECTION) if dropped else None)
