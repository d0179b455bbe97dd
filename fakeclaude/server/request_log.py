"""The fake's log of received requests, bounded by count and by bytes, so a long run stays flat in memory.

Each entry weighs its request body's raw size plus its answer body's size. Once the kept bodies weigh
more than ``max_bytes``, the oldest entries lose their body and answer (``body_dropped`` is then True,
``body_size`` still says how big the body was); method, path, headers, status, verdict and error stay.
A single body larger than the whole budget is never kept (its parsed form can weigh ten times its bytes).

    log = RequestLog(max_entries=1000, max_bytes=8 * 1024 * 1024)
    log.append(recorded);  log[-1].body;  len(log);  list(log);  log.clear()

Thread-safe: requests are logged from the server's threads while a test reads the log.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING, overload

if TYPE_CHECKING:
    from .engine import RecordedRequest

__all__ = ["DEFAULT_MAX_RECORDED_BYTES", "RequestLog"]

#: How many bytes of request and answer bodies the log keeps by default (the API's largest body is 32 MB).
DEFAULT_MAX_RECORDED_BYTES = 8 * 1024 * 1024


def _weight(entry: RecordedRequest) -> int:
    reply = entry.reply_body
    return entry.body_size + (len(reply) if isinstance(reply, bytes | bytearray) else 0)


class RequestLog:
    """The newest ``max_entries`` requests, their bodies kept up to ``max_bytes`` (oldest dropped first)."""

    def __init__(self, max_entries: int = 1000, max_bytes: int = DEFAULT_MAX_RECORDED_BYTES) -> None:
        if max_entries < 0 or max_bytes < 0:
            raise ValueError("a request log's limits must be >= 0")
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: deque[RecordedRequest] = deque()
        self._kept_bytes = 0  # the weight of the entries that still hold their body
        self._oldest_kept = 0  # entries before this index have dropped theirs
        self._lock = threading.Lock()

    @property
    def kept_bytes(self) -> int:
        """How many bytes of bodies the log holds now."""
        return self._kept_bytes

    def append(self, entry: RecordedRequest) -> None:
        """Log ``entry``; drop the oldest entries beyond ``max_entries`` and the oldest bodies beyond ``max_bytes``."""
        with self._lock:
            if self.max_entries == 0:
                return
            entries = self._entries
            entries.append(entry)
            self._kept_bytes += _weight(entry)
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
                if not old.body_dropped and (old.body is not None or old.reply_body is not None):
                    entries[index] = dataclasses.replace(old, body=None, reply_body=None, body_dropped=True)
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
            return iter(list(self._entries))

    @overload
    def __getitem__(self, index: int) -> RecordedRequest: ...
    @overload
    def __getitem__(self, index: slice) -> list[RecordedRequest]: ...
    def __getitem__(self, index: int | slice) -> RecordedRequest | list[RecordedRequest]:
        with self._lock:
            if isinstance(index, slice):
                return list(self._entries)[index]
            return self._entries[index]

    def __repr__(self) -> str:
        return f"RequestLog({len(self)} requests, {self._kept_bytes} body bytes kept)"
