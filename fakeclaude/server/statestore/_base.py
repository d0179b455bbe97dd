"""The one interface every piece of state shared between ``fakeclaude serve`` workers goes through.

A key-value store of bytes with five operations, chosen so that each backend does each in one atomic
step of its own (a dict under a lock, one SQLite transaction, one Redis command or Lua script):

- ``get`` / ``put`` / ``delete`` one key;
- ``scan(prefix)``: every key under a prefix with its value, in key order (listing batches, threads);
- ``compare_and_set(key, expected, new)``: replace the value only if it is still ``expected`` (``None``:
  absent; ``new`` None deletes). Every read-modify-write of a record (a batch ending, a cancel) is a loop
  of ``get``, compute, ``compare_and_set``, so two workers never overwrite each other's change;
- ``increment(key, amount)``: an atomic counter (ids that must not repeat across workers, the request
  count of a rate-limit window).

Values are opaque bytes (the callers write JSON), keys are text; ``/`` separates a key's parts by
convention (``batches/msgbatch_...``). Why this shape and not richer ones is in ``docs/scaling.md``.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["StateStore"]


class StateStore(Protocol):
    """Bytes under text keys, shared by every worker that opened the same store."""

    def get(self, key: str) -> bytes | None:
        """The value under ``key``, or None."""
        ...

    def put(self, key: str, value: bytes) -> None:
        """Set ``key`` to ``value``."""
        ...

    def delete(self, key: str) -> bool:
        """Remove ``key``; whether it was there."""
        ...

    def scan(self, prefix: str) -> list[tuple[str, bytes]]:
        """Every ``(key, value)`` whose key starts with ``prefix``, in key order."""
        ...

    def compare_and_set(self, key: str, expected: bytes | None, new: bytes | None) -> bool:
        """Atomically: if ``key`` holds ``expected`` (None: is absent), set it to ``new`` (None: delete it)."""
        ...

    def increment(self, key: str, amount: int = 1) -> int:
        """Atomically add ``amount`` to the integer counter ``key`` (0 when absent); its new value."""
        ...

    def close(self) -> None:
        """Release connections (the data stays, except in memory)."""
        ...
