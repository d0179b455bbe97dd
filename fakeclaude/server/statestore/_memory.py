"""The default backend: a dict under a lock, in this process only (today's behaviour and speed)."""

from __future__ import annotations

import threading

__all__ = ["MemoryStore"]


class MemoryStore:
    """A :class:`~fakeclaude.server.statestore.StateStore` in this process's memory."""

    url = "memory://"

    def __init__(self) -> None:
        self._data: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        return self._data.get(key)

    def put(self, key: str, value: bytes) -> None:
        with self._lock:
            self._data[key] = bytes(value)

    def delete(self, key: str) -> bool:
        with self._lock:
            return self._data.pop(key, None) is not None

    def scan(self, prefix: str) -> list[tuple[str, bytes]]:
        with self._lock:
            found = [(k, v) for k, v in self._data.items() if k.startswith(prefix)]
        return sorted(found)

    def compare_and_set(self, key: str, expected: bytes | None, new: bytes | None) -> bool:
        with self._lock:
            if self._data.get(key) != expected:
                return False
            if new is None:
                self._data.pop(key, None)
            else:
                self._data[key] = bytes(new)
            return True

    def increment(self, key: str, amount: int = 1) -> int:
        with self._lock:
            value = int(self._data.get(key, b"0")) + amount
            self._data[key] = str(value).encode()
            return value

    def close(self) -> None:
        pass
