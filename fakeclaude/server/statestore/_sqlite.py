"""One host: a SQLite file (standard library ``sqlite3``) in WAL mode, shared by every worker process.

Each operation is one transaction; ``compare_and_set`` and ``increment`` take the write lock first
(``BEGIN IMMEDIATE``), so the read and the write are one atomic step across processes. A busy
database is waited for (``timeout``), never answered with an error.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

__all__ = ["SqliteStore"]

_SCHEMA = "CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID"


class SqliteStore:
    """A :class:`~fakeclaude.server.statestore.StateStore` in the SQLite file ``path``."""

    def __init__(self, path: str | Path, *, timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.url = f"sqlite:///{self.path}"  # an absolute path gives sqlite:////...
        self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None, check_same_thread=False)
        self._lock = threading.Lock()  # one connection per store; sqlite3 connections are not for concurrent use
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(_SCHEMA)

    def get(self, key: str) -> bytes | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return None if row is None else bytes(row[0])

    def put(self, key: str, value: bytes) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", (key, bytes(value)))

    def delete(self, key: str) -> bool:
        with self._lock:
            return self._db.execute("DELETE FROM state WHERE key = ?", (key,)).rowcount > 0

    def scan(self, prefix: str) -> list[tuple[str, bytes]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT key, value FROM state WHERE substr(key, 1, ?) = ? ORDER BY key", (len(prefix), prefix)
            ).fetchall()
        return [(str(k), bytes(v)) for k, v in rows]

    def compare_and_set(self, key: str, expected: bytes | None, new: bytes | None) -> bool:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
                if (None if row is None else bytes(row[0])) != expected:
                    self._db.execute("ROLLBACK")
                    return False
                if new is None:
                    self._db.execute("DELETE FROM state WHERE key = ?", (key,))
                else:
                    self._db.execute("INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", (key, bytes(new)))
                self._db.execute("COMMIT")
                return True
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def increment(self, key: str, amount: int = 1) -> int:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
                value = (0 if row is None else int(bytes(row[0]))) + amount
                self._db.execute("INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", (key, str(value).encode()))
                self._db.execute("COMMIT")
                return value
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def close(self) -> None:
        with self._lock:
            self._db.close()
