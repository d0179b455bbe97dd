"""The request log of ``fakeclaude serve --workers N``, kept in the shared state store with the bounds of
:class:`~fakeclaude.server.request_log.RequestLog`: every worker appends what it answered, any worker
reads them all.

An entry is a request as ``GET /_fakeclaude/requests`` shows it (credentials redacted) plus the
``worker`` that answered it, under ``control/requests/<n>`` (``n`` from the counter
``control/requests-seq``, so entries read back oldest first). The bounds are the same two:

- by count: appending entry ``n`` deletes entry ``n - max_entries`` (and an entry written after that
  delete looked for it deletes itself);
- by bytes: ``control/requests-bytes`` counts the stored bytes of the entries that still hold their
  body and answer. While it is over ``max_bytes``, the oldest such entries are rewritten without them
  (``body_dropped: true``, ``body_size`` kept), the newest kept longest: ``control/requests-kept-from``
  is the newest entry given up so far, advanced with ``compare_and_set``, so each entry is claimed by
  one worker. An entry larger than the whole budget is stored without its body at once.

Every rewrite and delete is a ``compare_and_set`` against what was read, and whoever removes a body
(the count bound or the byte bound, whichever wins) takes its bytes off the counter, exactly once.
"""

from __future__ import annotations

from typing import Any

from fakeclaude._json import dumps, loads
from fakeclaude.server.request_log import DEFAULT_MAX_RECORDED_BYTES
from fakeclaude.server.statestore import StateStore

__all__ = ["SharedRequestLog"]

_ENTRIES = "control/requests/"
_SEQUENCE = "control/requests-seq"
_BYTES = "control/requests-bytes"
_KEPT_FROM = "control/requests-kept-from"


def _key(seq: int) -> str:
    return f"{_ENTRIES}{seq:016d}"


def _weight(raw: bytes) -> int:
    """The bytes an entry counts against the budget: all of it while it holds its body, else nothing."""
    return 0 if loads(raw).get("body_dropped") else len(raw)


def _without_body(entry: dict[str, Any]) -> dict[str, Any]:
    return {**entry, "body": None, "answer": None, "body_dropped": True}


class SharedRequestLog:
    """The newest ``max_entries`` requests of every worker on ``state``, bodies kept up to ``max_bytes``."""

    def __init__(self, state: StateStore, max_entries: int = 1000, max_bytes: int = DEFAULT_MAX_RECORDED_BYTES) -> None:
        if max_entries < 0 or max_bytes < 0:
            raise ValueError("a request log's limits must be >= 0")
        self._state = state
        self.max_entries = max_entries
        self.max_bytes = max_bytes

    def append(self, entry: dict[str, Any]) -> None:
        """Log ``entry`` (JSON-ready); drop the oldest entries beyond the count, the oldest bodies beyond the bytes."""
        if self.max_entries == 0:
            return
        raw = dumps(entry)
        if len(raw) > self.max_bytes and not entry.get("body_dropped"):
            raw = dumps(_without_body(entry))
        seq = self._state.increment(_SEQUENCE)
        self._state.put(_key(seq), raw)
        if weight := _weight(raw):
            self._state.increment(_BYTES, weight)
        if seq > self.max_entries:
            self._remove(seq - self.max_entries)
        if self._counter(_SEQUENCE) >= seq + self.max_entries:
            self._remove(seq)  # newer workers' appends passed it before it was written: theirs missed it
            return
        total = self._counter(_BYTES)
        while total > self.max_bytes and (oldest := self._claim_oldest(seq)) is not None:
            total = self._drop_body(oldest)

    def entries(self) -> list[dict[str, Any]]:
        """Every logged entry, oldest first."""
        return [loads(raw) for _, raw in self._state.scan(_ENTRIES)]

    def clear(self) -> None:
        """Forget every entry (the counters restart from where the log stands)."""
        for name, _ in self._state.scan(_ENTRIES):
            self._state.delete(name)
        self._state.put(_BYTES, b"0")
        self._state.put(_KEPT_FROM, str(self._counter(_SEQUENCE)).encode())

    # -- internals ---------------------------------------------------------------------------------

    def _counter(self, key: str) -> int:
        raw = self._state.get(key)
        return 0 if raw is None else int(raw)

    def _claim_oldest(self, seq: int) -> int | None:
        """The oldest entry before ``seq`` that may still hold its body, claimed for this worker to drop it
        (None: none is left; entry ``seq`` fits the budget on its own)."""
        while True:
            raw = self._state.get(_KEPT_FROM)
            given_up = 0 if raw is None else int(raw)
            oldest = max(given_up + 1, seq - self.max_entries + 1)  # older ones are deleted already
            if oldest >= seq:
                return None
            if self._state.compare_and_set(_KEPT_FROM, raw, str(oldest).encode()):
                return oldest

    def _remove(self, seq: int) -> None:
        while (raw := self._state.get(_key(seq))) is not None:
            if self._state.compare_and_set(_key(seq), raw, None):
                if weight := _weight(raw):
                    self._state.increment(_BYTES, -weight)
                return

    def _drop_body(self, seq: int) -> int:
        """Rewrite entry ``seq`` without its body; the byte count after."""
        while (raw := self._state.get(_key(seq))) is not None:
            entry = loads(raw)
            if entry.get("body_dropped"):
                break
            if self._state.compare_and_set(_key(seq), raw, dumps(_without_body(entry))):
                return self._state.increment(_BYTES, -len(raw))
        return self._counter(_BYTES)
