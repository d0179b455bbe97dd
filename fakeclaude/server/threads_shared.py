"""Message threads kept in a shared :class:`~fakeclaude.server.statestore.StateStore`, for the workers of
``fakeclaude serve --workers N``: a thread created through one worker is continued through any other.

The rules are :class:`~fakeclaude.server.threads.ThreadStore`'s; only where its three collections live
changes: ``threads/state/<id>`` (the kept conversation, JSON), ``threads/continued/<id>`` (a spent id)
and ``threads/in-flight/<id>``, claimed with ``compare_and_set(key, None, ...)`` so two workers never
answer two continues of one id at once. States expire on the thread lifetime when read; the store is
not bounded by count (the in-memory default keeps at most ``MAX_THREAD_STATES``).
"""

from __future__ import annotations

from fakeclaude._json import dumps, loads
from fakeclaude.server.clock import Clock
from fakeclaude.server.statestore import StateStore
from fakeclaude.server.threads import ThreadStore, _State

__all__ = ["SharedThreadStore"]

_STATE = "threads/state/"
_CONTINUED = "threads/continued/"
_IN_FLIGHT = "threads/in-flight/"


class SharedThreadStore(ThreadStore):
    """A :class:`ThreadStore` whose states, spent ids and in-flight claims live in ``state``."""

    def __init__(self, clock: Clock, state: StateStore) -> None:
        super().__init__(clock)
        self._shared = state

    def __len__(self) -> int:
        return len(self._shared.scan(_STATE))

    def _state(self, message_id: str) -> _State | None:
        raw = self._shared.get(_STATE + message_id)
        if raw is None:
            return None
        fields, messages, paused, kept_at = loads(raw)
        return _State(fields, tuple(messages), bool(paused), float(kept_at))

    def _keep_state(self, message_id: str, state: _State) -> None:
        record = [dict(state.fields), list(state.messages), state.paused, state.kept_at]
        self._shared.put(_STATE + message_id, dumps(record))

    def _drop_state(self, message_id: str) -> None:
        self._shared.delete(_STATE + message_id)

    def _is_continued(self, message_id: str) -> bool:
        return self._shared.get(_CONTINUED + message_id) is not None

    def _mark_continued(self, message_id: str) -> None:
        self._shared.put(_CONTINUED + message_id, b"1")

    def _is_claimed(self, message_id: str) -> bool:
        return self._shared.get(_IN_FLIGHT + message_id) is not None

    def _claim(self, message_id: str) -> bool:
        return self._shared.compare_and_set(_IN_FLIGHT + message_id, None, b"1")

    def _unclaim(self, message_id: str) -> None:
        self._shared.delete(_IN_FLIGHT + message_id)
