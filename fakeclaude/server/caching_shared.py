"""The prompt cache kept in a shared :class:`~fakeclaude.server.statestore.StateStore`, for the workers of
``fakeclaude serve --workers N``: a prefix cached through one worker is read through any other.

The same :class:`~fakeclaude.server.caching.PromptCache` rules (what is eligible, what is read and
written, lifetimes restarted on a read); only where an entry lives changes: ``cache/<scope+hash>`` holds
``[expires_at, ttl_seconds]``. Expired entries are dropped when read, and every ``_SWEEP_EVERY`` writes a
sweep drops the expired rest, so the store stays bounded by the cache lifetimes. Used only with a
shared store: the default in-memory cache keeps its ordered dict (the in-process path stays as fast).
"""

from __future__ import annotations

from fakeclaude._json import dumps, loads
from fakeclaude.server.caching import PromptCache
from fakeclaude.server.clock import Clock
from fakeclaude.server.statestore import StateStore

__all__ = ["SharedPromptCache"]

_PREFIX = "cache/"
_SWEEP_EVERY = 1000


class SharedPromptCache(PromptCache):
    """A :class:`PromptCache` whose entries live in ``state``."""

    def __init__(self, clock: Clock, state: StateStore) -> None:
        super().__init__(clock)
        self._state = state
        self._writes = 0

    def __len__(self) -> int:
        now = self._clock.now()
        return sum(1 for _, raw in self._state.scan(_PREFIX) if loads(raw)[0] > now)

    def _entry(self, key: str) -> tuple[float, float] | None:
        raw = self._state.get(_PREFIX + key)
        if raw is None:
            return None
        expires, ttl = loads(raw)
        return float(expires), float(ttl)

    def _alive(self, key: str, now: float) -> bool:
        entry = self._entry(key)
        if entry is None:
            return False
        if now >= entry[0]:
            self._state.delete(_PREFIX + key)
            return False
        return True

    def _refresh(self, key: str, now: float) -> None:
        entry = self._entry(key)
        if entry is not None:
            self._state.put(_PREFIX + key, dumps([now + entry[1], entry[1]]))

    def _store(self, key: str, now: float, ttl_seconds: float) -> None:
        old = self._entry(key)
        if old is None or old[0] <= now + ttl_seconds:
            self._state.put(_PREFIX + key, dumps([now + ttl_seconds, ttl_seconds]))
        self._writes += 1
        if self._writes % _SWEEP_EVERY == 0:
            for name, raw in self._state.scan(_PREFIX):
                if loads(raw)[0] <= now:
                    self._state.delete(name)
