"""Server-sent events: the encoder the fake server writes with and the decoder the client reads with.

Both sides live here so that they cannot drift apart::

    >>> chunk = encode_event("content_block_stop", {"type": "content_block_stop", "index": 0}, pad=3)
    >>> chunk
    b'event: content_block_stop\\ndata: {"type":"content_block_stop","index":0   }\\n\\n'
    >>> decoder = SSEDecoder()
    >>> decoder.feed(chunk[:20]), decoder.feed(chunk[20:])
    ([], [ServerSentEvent(event='content_block_stop', data='{"type":"content_block_stop","index":0   }', id=None, retry=None)])

The decoder follows the WHATWG event-stream rules: LF, CRLF and CR line endings (mixed freely, split
anywhere across chunks, even between the CR and LF of one line ending or inside a UTF-8 character),
``:`` comments, ``event`` / ``data`` / ``id`` / ``retry`` fields, fields without a colon, a leading
byte-order mark. An event is dispatched at a blank line when any field was seen since the previous one;
an event without an ``event:`` line keeps ``event=None`` (the stream classes skip those).

Decoding costs far less than parsing the JSON it carries: a chunk holding exactly one canonically
framed event (the usual network chunk) takes a few string operations, any other text one regex pass
that yields whole canonical events and leaves only unusual lines to the field-by-field path.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from .._json import dumps, loads
from ._lines import LineSplitter

__all__ = ["SSEDecoder", "ServerSentEvent", "encode_event"]

_PING_DATA = '{"type": "ping"}'
# Either one whole event as real streams frame it (an ``event`` line, one ``data`` line, a blank line:
# groups 1 and 2), or any single line with its ending (group 3). Lines alone always match, so
# ``findall`` covers the text without gaps.
_TOKENS = re.compile(r"event:[ ]?([^\n]*)\ndata:[ ]?([^\n]*)\n\n|([^\n]*\n)")
_new_event = tuple.__new__  # builds a ServerSentEvent without a Python-level __new__ call


class ServerSentEvent(NamedTuple):
    """One decoded event: its name (``None`` without an ``event:`` line), its data text, id and retry."""

    event: str | None = None
    data: str = ""
    id: str | None = None
    retry: int | None = None

    def json(self) -> Any:
        """The data parsed as JSON (any JSON whitespace, padding included, is accepted)."""
        return loads(self.data)


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
    as ``{"type": "ping"}`` (never padded). ``pad`` spaces go before the final ``}`` (the real API pads
    most events this way; clients must accept it). Text data containing line breaks becomes several ``data:`` lines.
    """
    if "\n" in event or "\r" in event:
        raise ValueError(f"an event name cannot contain a line break: {event!r}")
    if pad < 0:
        raise ValueError(f"pad must be >= 0, got {pad}")
    if isinstance(data, str):
        text = data
    elif event == "ping" and len(data) == 1 and data.get("type") == "ping":
        text = _PING_DATA
        pad = 0  # the real API never pads pings
    else:
        text = dumps(data).decode()
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
        lines = self._lines
        if (
            chunk[-2:] == b"\n\n"
            and self._started
            and not self._has_fields
            and not lines.parts
            and not lines.skip_lf
            and b"\r" not in chunk
        ):
            # The usual chunk: whole events with LF endings, very often exactly one canonical event.
            text = chunk.decode("utf-8", "replace")
            if text.startswith("event:"):
                first_end = text.find("\n")
                if (
                    text.startswith("data:", first_end + 1)
                    and text.find("\n", first_end + 1) == len(text) - 2
                ):
                    name = text[6:first_end]
                    if name[:1] == " ":
                        name = name[1:]
                    data = text[first_end + 6 : -2]
                    if data[:1] == " ":
                        data = data[1:]
                    return [_new_event(ServerSentEvent, (name or None, data, self._last_id, None))]
            return self._decode(text)
        text = lines.feed(chunk)
        return self._decode(text) if text else []

    def flush(self) -> list[ServerSentEvent]:
        """End of stream: decode a last line without line ending and dispatch a pending event.

        The spec drops an event not closed by a blank line; this decoder is lenient and keeps it.
        """
        return self._decode(self._lines.flush() + "\n")

    def _decode(self, text: str) -> list[ServerSentEvent]:
        """Decode complete lines (``text`` ends with a line ending; all endings are ``"\\n"``)."""
        if not self._started:
            self._started = True
            if text.startswith("\ufeff"):
                text = text[1:]
        events: list[ServerSentEvent] = []
        append = events.append
        # One regex pass splits the text into whole canonical events and single other lines.
        for name, data, line in _TOKENS.findall(text):
            if line:
                self._line(line[:-1], events)
            elif self._has_fields:  # an event already begun: these lines continue it
                self._line("event: " + name, events)
                self._line("data: " + data, events)
                self._line("", events)
            else:
                append(_new_event(ServerSentEvent, (name or None, data, self._last_id, None)))
        return events

    def _line(self, line: str, events: list[ServerSentEvent]) -> None:
        if not line:
            if self._has_fields:
                events.append(ServerSentEvent(self._event, "\n".join(self._data), self._last_id, self._retry))
                self._event = None
                self._data = []
                self._retry = None
                self._has_fields = False
            return
        if line[0] == ":":
            return  # a comment
        name, colon, value = line.partition(":")
        if colon and value[:1] == " ":
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value or None
        elif name == "id":
            if "\0" in value:
                return  # the spec ignores such an id
            self._last_id = value
        elif name == "retry":
            if not (value.isascii() and value.isdigit()):
                return
            self._retry = int(value)
        else:
            return  # an unknown field is ignored, as the spec says
        self._has_fields = True
