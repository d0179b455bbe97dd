"""Deterministic Anthropic-style ids (``msg_…``, ``toolu_…``, ``req_…``, …).

Shapes follow the recorded traffic (spec/real-traffic-facts.md §3.2): every id is the prefix,
``_`` and 24 base58 characters. Ids minted since mid-2025/2026 for requests, messages, files and
containers start ``011C`` (+ 20 base58); tool uses, server tool uses, batches and the rest start
``01`` (+ 22 base58).
"""

from __future__ import annotations

import threading
from typing import Any

from ._rng import _part, base58, digest, hasher

__all__ = ["ID_HEADS", "IdFactory"]

#: The fixed head of the 24-character body, per prefix. Unlisted prefixes get ``"01"``.
ID_HEADS: dict[str, str] = {
    "msg": "011C",
    "req": "011C",
    "file": "011C",
    "container": "011C",
    "toolu": "01",
    "srvtoolu": "01",
    "mcptoolu": "01",
    "msgbatch": "01",
    "wrkspc": "01",
}

_BODY_LENGTH = 24


def _normalise(prefix: str) -> str:
    name = prefix[:-1] if prefix.endswith("_") else prefix
    if not name or not all(c.isalnum() or c == "_" for c in name):
        raise ValueError(f"invalid id prefix: {prefix!r}")
    return name


def _make(name: str, parts: tuple[int | str | bytes, ...]) -> str:
    head = ID_HEADS.get(name, "01")
    return f"{name}_{head}{base58(digest(parts, 24), _BODY_LENGTH - len(head))}"


def _minted(head: tuple[str, str, int, Any], n: int) -> list[str]:
    """The ids ``n``, ``n + 1``, ... of one name, last first: as many as were handed out before, from 1 to 64.

    Minted ahead in a loop rather than one per request: the hash's code stays warm in the CPU's caches for
    the loop, where a lone id between two SDK calls finds it cold (most of what an id costs a request).
    """
    _, start, length, state = head
    ids = []
    for i in range(n, n + min(max(n, 1), 64)):
        h = state.copy()  # the same digest as _make(name, ("id.new", seed, name, i)), without rehashing the head
        h.update(_part(i))
        ids.append(start + base58(h.digest(), length))
    ids.reverse()
    return ids


class IdFactory:
    """Mints ids deterministically from a seed.

    ``new(prefix)`` walks a per-prefix counter, so a factory built with the same seed yields the
    same sequence of ids for each prefix (and ids of one prefix do not shift when another prefix
    is used in between). ``derived(prefix, key)`` is a pure function of (seed, prefix, key).

    >>> IdFactory(7).new("msg") == IdFactory(7).new("msg_")
    True
    >>> IdFactory(7).derived("toolu", "call-1").startswith("toolu_01")
    True
    """

    __slots__ = ("_heads", "_lock", "_minted", "_ready", "seed")

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._heads: dict[str, tuple[str, str, int, Any]] = {}  # name -> (name, id start, body length, hash state)
        self._minted: dict[str, int] = {}  # name -> ids minted so far (handed out or ready)
        self._ready: dict[str, list[str]] = {}  # prefix -> its name's next ids, minted ahead, the next one last
        self._lock = threading.Lock()

    def new(self, prefix: str) -> str:
        """The next id for ``prefix`` (``"msg"`` or ``"msg_"``) in this factory's sequence."""
        ready = self._ready.get(prefix)
        if ready:
            try:  # list.pop is atomic: each ready id is handed out once, in order, without the lock
                return ready.pop()
            except IndexError:  # another thread took the last one
                pass
        return self._refilled(prefix)

    def _refilled(self, prefix: str) -> str:
        """The next id once ``prefix``'s ready ids ran out: the next ones minted (or what another thread minted)."""
        name = _normalise(prefix)
        with self._lock:
            ready = self._ready.get(prefix)
            if ready is None:
                ready = self._ready[prefix] = self._ready.setdefault(name, [])  # "msg" and "msg_" share them
                if name not in self._heads:
                    mark = ID_HEADS.get(name, "01")
                    self._heads[name] = (name, f"{name}_{mark}", _BODY_LENGTH - len(mark),
                                         hasher(("id.new", self.seed, name), 24))
            try:  # another thread may have minted them meanwhile
                return ready.pop()
            except IndexError:
                pass
            n = self._minted.get(name, 0)
            batch = _minted(self._heads[name], n)
            self._minted[name] = n + len(batch)
            mine = batch.pop()  # the first of them: other threads may take the rest as soon as they are out
            ready.extend(batch)  # ids are added only here, under the lock, to an empty list
            return mine

    def issued(self) -> int:
        """How many ids ``new`` has given out so far, of every prefix."""
        with self._lock:
            return sum(self._minted.values()) - sum(len(self._ready[name]) for name in self._minted)

    def derived(self, prefix: str, key: int | str | bytes) -> str:
        """The id for ``prefix`` that belongs to ``key``: same inputs, same id; never a ``new()`` id."""
        name = _normalise(prefix)
        return _make(name, ("id.derived", self.seed, name, key))

    def __repr__(self) -> str:
        return f"IdFactory(seed={self.seed!r})"
