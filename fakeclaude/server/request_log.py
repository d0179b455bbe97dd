"""The fake's log of received requests, bounded by count and by bytes, so a long run stays flat in memory.

Each entry weighs its request body's raw size plus its answer's size when the answer is kept as bytes (a
repeat's kept answer, any other endpoint's body); a Message kept as its dict (the first answer to a body,
streamed or not) is not weighed: the count bounds those (a generated answer is a few KB; a scripted one
shares its text with the test's reply). Once the kept bodies weigh
more than ``max_bytes``, the oldest entries lose their body and answer (``body_dropped`` is then True,
``body_size`` still says how big the body was); method, path, headers, status, verdict and error stay.
A single body larger than the whole budget is never kept (its parsed form can weigh ten times its bytes).

    log = RequestLog(max_entries=1000, max_bytes=8 * 1024 * 1024)
    log.add(method, path, query, headers, body, request_id, status, error, scripted, script_failed,
            reply_body, body_size)
    log[-1].body;  len(log);  list(log);  log.clear()

The engine logs every request with ``add``, its fields as they are: the log keeps them as a row and makes
the :class:`~fakeclaude.server.engine.RecordedRequest` the first time it is read (most entries of a long
run never are), the same one on every later read.

Thread-safe: requests are logged from the server's threads while a test reads the log.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, overload

from ._frozen import BytesOnRead, built
from .header_view import HeaderView

if TYPE_CHECKING:
    from .engine import RecordedRequest

__all__ = ["DEFAULT_MAX_RECORDED_BYTES", "RequestLog"]

#: How many bytes of request and answer bodies the log keeps by default (the API's largest body is 32 MB).
DEFAULT_MAX_RECORDED_BYTES = 8 * 1024 * 1024

#: An entry not read yet: RecordedRequest's fields in their order, up to ``body_size`` (not dropped).
_Row = tuple[str, str, Mapping[str, str], Mapping[str, str], Any, str, int, Mapping[str, str] | None, bool,
             bool, Any, int]
_FIELDS = ("method", "path", "query", "headers", "body", "request_id", "status", "error", "scripted",
           "script_failed", "reply_body", "body_size")


def _weight(item: _Row | RecordedRequest) -> int:
    if isinstance(item, tuple):
        reply, size = item[10], item[11]  # reply_body, body_size
    else:
        reply, size = item.reply_body, item.body_size
    if isinstance(reply, bytes | bytearray):
        return size + len(reply)
    return size + reply.size if isinstance(reply, BytesOnRead) else size


def _entry(item: _Row | RecordedRequest, dropped: bool = False) -> RecordedRequest:
    """The entry a row stands for (an entry as it is); ``dropped``: without its body and answer."""
    from .engine import RecordedRequest

    if isinstance(item, tuple):
        fields = dict(zip(_FIELDS, item, strict=True))
        if type(item[3]) is HeaderView:  # shared by the rows of equal headers; each entry read gets a plain dict
            fields["headers"] = dict(item[3])
        if not dropped and isinstance(item[10], BytesOnRead):  # the answer's bytes, kept as what makes them
            fields["reply_body"] = bytes(item[10])
    elif not dropped:
        return item
    else:
        fields = vars(item).copy()  # as kept: a body not read yet stays unparsed
    if dropped:
        fields.update(body=None, reply_body=None)
    fields["body_dropped"] = dropped
    return built(RecordedRequest, **fields)


class RequestLog:
    """The newest ``max_entries`` requests, their bodies kept up to ``max_bytes`` (oldest dropped first)."""

    def __init__(self, max_entries: int = 1000, max_bytes: int = DEFAULT_MAX_RECORDED_BYTES) -> None:
        if max_entries < 0 or max_bytes < 0:
            raise ValueError("a request log's limits must be >= 0")
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: deque[_Row | RecordedRequest] = deque()  # a row until read, then its entry; the
        # entries before ``_oldest_kept`` are entries without their bodies
        self._kept_bytes = 0  # the weight of the entries that still hold their body
        self._oldest_kept = 0  # entries before this index have dropped theirs
        self._lock = threading.Lock()

    @property
    def kept_bytes(self) -> int:
        """How many bytes of bodies the log holds now."""
        return self._kept_bytes

    def add(self, method: str, path: str, query: Mapping[str, str], headers: Mapping[str, str], body: Any,
            request_id: str, status: int, error: Mapping[str, str] | None, scripted: bool, script_failed: bool,
            reply_body: Any, body_size: int) -> None:
        """Log one request (the fields of :class:`~fakeclaude.server.engine.RecordedRequest`); drop the oldest
        entries beyond ``max_entries`` and the oldest bodies beyond ``max_bytes``."""
        row = (method, path, query, headers, body, request_id, status, error, scripted, script_failed, reply_body,
               body_size)
        with self._lock:
            if self.max_entries == 0:
                return
            entries = self._entries
            entries.append(row)
            self._kept_bytes += _weight(row)
            while len(entries) > self.max_entries:
                gone = entries.popleft()
                if self._oldest_kept > 0:
                    self._oldest_kept -= 1
                else:
                    self._kept_bytes -= _weight(gone)
            while self._kept_bytes > self.max_bytes and self._oldest_kept < len(entries):
                index = self._oldest_kept
                old = entries[index]
                self._kept_bytes -= _weight(old)
                entries[index] = _entry(old, dropped=True)
                self._oldest_kept += 1

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()
            self._kept_bytes = self._oldest_kept = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __bool__(self) -> bool:
        return bool(self._entries)

    def __iter__(self) -> Iterator[RecordedRequest]:
        with self._lock:
            return iter([self._read(i) for i in range(len(self._entries))])

    @overload
    def __getitem__(self, index: int) -> RecordedRequest: ...
    @overload
    def __getitem__(self, index: slice) -> list[RecordedRequest]: ...
    def __getitem__(self, index: int | slice) -> RecordedRequest | list[RecordedRequest]:
        with self._lock:
            if isinstance(index, slice):
                return [self._read(i) for i in range(len(self._entries))[index]]
            if index < 0:
                index += len(self._entries)
            if not 0 <= index < len(self._entries):
                raise IndexError("request log index out of range")
            return self._read(index)

    def _read(self, index: int) -> RecordedRequest:
        """The entry at ``index`` (made from its row on first read, kept in its place); under the lock."""
        item = self._entries[index]
        if isinstance(item, tuple):
            item = self._entries[index] = _entry(item)
        return item

    def __repr__(self) -> str:
        return f"RequestLog({len(self)} requests, {self._kept_bytes} body bytes kept)"
