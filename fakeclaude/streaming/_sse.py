"""Server-sent events: the encoder the fake server writes with and the decoder the client reads with.

Both sides live here so that they cannot drift apart::

    >>> chunk = encode_event("content_block_stop", {"type": "content_block_stop", "index": 0}, pad=3)
    >>> chunk
    b'event: content_block_stop\\ndata: {"type":"content_block_stop","index":0   }\\n\\n'
    >>> decoder = SSEDecoder()
    >>> decoder.feed(chunk[:20]), decoder.feed(chunk[20:])
    ([], [ServerSentEvent(event='content_block_stop', data='{"type":"content_block_stop","index":0   }')])

The decoder follows the WHATWG event-stream rules: LF, CRLF and CR line endings (mixed freely, split
anywhere across chunks, even between the CR and LF of one line ending or inside a UTF-8 character),
``:`` comments, ``event`` / ``data`` / ``id`` / ``retry`` fields, fields without a colon, a leading
byte-order mark. An event is dispatched at a blank line when any field was seen since the previous one;
an event without an ``event:`` line keeps ``event=None`` (the stream classes skip those).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ._lines import LineSplitter

__all__ = ["SSEDecoder", "ServerSentEvent", "encode_event"]

_PING_DATA = '{"type": "ping"}'


class ServerSentEvent:
    """One decoded event: its name (``None`` without an ``event:`` line), its data text, id and retry."""

    __slots__ = ("data", "event", "id", "retry")

    def __init__(
        self, event: str | None = None, data: str = "", id: str | None = None, retry: int | None = None
    ) -> None:
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry

    def json(self) -> Any:
        """The data parsed as JSON (any JSON whitespace, padding included, is accepted)."""
        return json.loads(self.data)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ServerSentEvent):
            return NotImplemented
        return (self.event, self.data, self.id, self.retry) == (
            other.event,
            other.data,
            other.id,
            other.retry,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        parts = [f"event={self.event!r}", f"data={self.data!r}"]
        if self.id is not None:
            parts.append(f"id={self.id!r}")
        if self.retry is not None:
            parts.append(f"retry={self.retry!r}")
        return f"ServerSentEvent({', '.join(parts)})"


def encode_event(
    event: str,
    data: Mapping[str, Any] | str,
    *,
    pad: int = 0,
    id: str | None = None,
    retry: int | None = None,
) -> bytes:
    """One event as the real API frames it: ``event:`` line, ``data:`` line(s), blank line, UTF-8.

    A mapping is written as compact JSON, except the ping payload, which the real API writes literally
    as ``{"type": "ping"}``. ``pad`` spaces go before the final ``}`` (the real API pads most events
    this way; clients must accept it). Text data containing line breaks becomes several ``data:`` lines.
    """
    if "\n" in event or "\r" in event:
        raise ValueError(f"an event name cannot contain a line break: {event!r}")
    if pad < 0:
        raise ValueError(f"pad must be >= 0, got {pad}")
    if isinstance(data, str):
        text = data
    elif event == "ping" and len(data) == 1 and data.get("type") == "ping":
        text = _PING_DATA
    else:
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    if pad and text.endswith("}"):
        text = text[:-1] + " " * pad + "}"
    head = f"event: {event}\n"
    if id is not None:
        if "\n" in id or "\r" in id:
            raise ValueError(f"an event id cannot contain a line break: {id!r}")
        head += f"id: {id}\n"
    if retry is not None:
        head += f"retry: {int(retry)}\n"
    if "\n" in text or "\r" in text:
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        body = "".join(f"data: {line}\n" for line in lines)
    else:
        body = f"data: {text}\n"
    return (head + body + "\n").encode("utf-8")


class SSEDecoder:
    """Incremental decoder: ``feed`` it byte chunks as they arrive, then ``flush`` at end of stream.

    Each call returns the events completed by the bytes seen so far. Work is linear in the input: a
    chunk without a line ending is only stored, and complete lines are decoded in one pass.
    """

    __slots__ = ("_data", "_event", "_has_fields", "_last_id", "_lines", "_retry", "_started")

    def __init__(self) -> None:
        self._lines = LineSplitter()
        self._started = False  # a byte-order mark is only stripped from the first line
        self._event: str | None = None
        self._data: list[str] = []
        self._retry: int | None = None
        self._last_id: str | None = None  # persists across events, as the spec says
        self._has_fields = False

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Decode ``chunk``; return the events it completed (possibly none)."""
        lines = self._lines.feed(chunk)
        return self._decode(lines) if lines else []

    def flush(self) -> list[ServerSentEvent]:
        """End of stream: decode a last line without line ending and dispatch a pending event.

        The spec drops an event not closed by a blank line; this decoder is lenient and keeps it.
        """
        lines = self._lines.flush()
        lines.append("")
        return self._decode(lines)

    def _decode(self, lines: list[str]) -> list[ServerSentEvent]:
        events: list[ServerSentEvent] = []
        if not self._started:
            self._started = True
            if lines[0].startswith("\ufeff"):
                lines[0] = lines[0][1:]
        for line in lines:
            if not line:
                if self._has_fields:
                    events.append(
                        ServerSentEvent(self._event, "\n".join(self._data), self._last_id, self._retry)
                    )
                    self._event = None
                    self._data = []
                    self._retry = None
                    self._has_fields = False
                continue
            if line[0] == ":":
                continue  # a comment
            name, colon, value = line.partition(":")
            if colon and value[:1] == " ":
                value = value[1:]
            if name == "data":
                self._data.append(value)
            elif name == "event":
                self._event = value or None
            elif name == "id":
                if "\0" in value:
                    continue  # the spec ignores such an id
                self._last_id = value
            elif name == "retry":
                if not (value.isascii() and value.isdigit()):
                    continue
                self._retry = int(value)
            else:
                continue  # an unknown field is ignored, as the spec says
            self._has_fields = True
        return events
