"""State shared between the workers of ``fakeclaude serve --workers N``: one interface, three backends.

    store = open_state("memory://")                 # default: this process only, today's speed
    store = open_state("sqlite:///tmp/fake.db")     # one host, any number of worker processes
    store = open_state("redis://127.0.0.1:6379/0")  # many hosts

See :class:`StateStore` for the five operations and ``docs/scaling.md`` for why these. The SQLite and
Redis backends are imported only when used (``import fakeclaude`` stays as fast as before).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from fakeclaude.server.statestore._base import StateStore
from fakeclaude.server.statestore._memory import MemoryStore

if TYPE_CHECKING:
    from fakeclaude.server.statestore._redis import RedisStore
    from fakeclaude.server.statestore._sqlite import SqliteStore

__all__ = ["MemoryStore", "RedisStore", "SqliteStore", "StateStore", "open_state"]

_LAZY = {"RedisStore": "_redis", "SqliteStore": "_sqlite"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def open_state(url: str) -> StateStore:
    """The store a URL names: ``memory://``, ``sqlite:///<path>`` or ``redis://host:port/db``
    (also ``rediss://`` and ``unix://``). Anything else is a ``ValueError`` naming the forms."""
    if url in ("memory", "memory://"):
        return MemoryStore()
    if url.startswith("sqlite:///"):
        from fakeclaude.server.statestore._sqlite import SqliteStore

        return SqliteStore(url.removeprefix("sqlite:///"))  # sqlite:////abs/path or sqlite:///relative/path
    if url.startswith(("redis://", "rediss://", "unix://")):
        from fakeclaude.server.statestore._redis import RedisStore

        return RedisStore(url)
    raise ValueError(f"{url!r} is not a state store URL: use memory://, sqlite:///PATH or redis://HOST:PORT/DB")
