"""Message threads (beta ``message-threads-2026-08-12``): conversations the fake holds between requests.

    {"thread": {"type": "create"}, "messages": [full history], "system": ..., "tools": [...]}
    {"thread": {"type": "continue", "previous_message_id": "msg_..."}, "messages": [only the new ones]}

``create`` is an ordinary request whose conversation (``system``, ``tools``, the messages and the reply
as an ``assistant`` turn) is kept under the reply's ``id``. ``continue`` prepends the kept conversation
to the new messages and takes ``system``/``tools`` from the thread; the expanded request is then
validated and answered like any other (scripts and handlers see the whole conversation; ``fake.requests``
records what was sent), and its own reply is kept in turn. The response shape does not change. Rules (spec 2026 §2.2-2.3), each refused with ``error.details.error_code`` and
``x-should-retry: false``:

- each reply id is continued at most once (400 ``thread_already_continued``), and not while another
  continue of it is being answered, a stream still being read included (400 ``thread_continue_in_flight``);
- an unknown or expired id gets 404 ``thread_not_found``; so does a reply the server does not keep: a
  refusal (``stop_reason: "refusal"``), a turn written by a fallback model (a ``usage.iterations`` entry
  of type ``fallback_message``) and a stream that did not reach ``message_stop``;
- ``system`` or ``tools`` sent on a continue must equal the thread's (400 ``thread_fingerprint_mismatch``,
  naming the field);
- a reply that stopped with ``pause_turn`` is resumed by a continue with ``messages: []``; sending new
  messages instead gets 400 ``messages.0: `server_tool_use` was not executed``;
- the field's schema (``thread.continue.previous_message_id: Field required``...) is checked by
  validation, with the rest of the body;
- the request fields in :data:`UNSUPPORTED_WITH_THREADS` get 400 ``thread_unsupported_request`` with
  ``details.unsupported`` (the SDK's tool runner then continues unthreaded).

Decided here (the API's values are not published): states live :data:`THREAD_TTL_SECONDS` on the
fake's clock and at most :data:`MAX_THREAD_STATES` are kept (the oldest go first); only
``context_management`` and ``fallbacks`` are unsupported with threads (the SDK also knows
``cache_control``, ``hipaa``, ``inference_hooks`` and ``thinking`` as names the API may list); a continue's
validation errors point into the expanded ``messages`` (kept history first).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from fakeclaude.server.clock import Clock
from fakeclaude.server.errors import ApiError

__all__ = [
    "MAX_THREAD_STATES",
    "THREADS_BETA",
    "THREAD_TTL_SECONDS",
    "UNSUPPORTED_WITH_THREADS",
    "ThreadStore",
    "ThreadTurn",
    "wants_thread",
]

THREADS_BETA = "message-threads-2026-08-12"
THREAD_TTL_SECONDS = 30 * 24 * 3600.0
MAX_THREAD_STATES = 10_000
UNSUPPORTED_WITH_THREADS = ("context_management", "fallbacks")
CREATE_ONLY_FIELDS = ("system", "tools")

_NOT_FOUND = "No thread state was found for the requested `previous_message_id`."
_ALREADY = (
    "The requested `previous_message_id` has already been continued. Each response `id` may be continued at "
    "most once; continue from the Thread's most recent response `id`."
)
_IN_FLIGHT = "Another request is already continuing the requested `previous_message_id`."
_UNSUPPORTED = "This request cannot be used with `thread`."
_NOT_EXECUTED = "messages.0: `server_tool_use` was not executed"


def wants_thread(body: object, betas: frozenset[str]) -> bool:
    """Whether a create request asks for a thread the engine must handle (a well-formed ``thread``)."""
    if THREADS_BETA not in betas or not isinstance(body, dict):
        return False
    thread = body.get("thread")
    if not isinstance(thread, dict):
        return False
    if thread.get("type") == "create":
        return True
    return thread.get("type") == "continue" and isinstance(thread.get("previous_message_id"), str)


def _thread_error(status: int, message: str, code: str, **details: Any) -> ApiError:
    return ApiError(status, message, headers={"x-should-retry": "false"}, details={"error_code": code, **details})


@dataclass(frozen=True)
class _State:
    fields: Mapping[str, Any]  # the create-only fields the thread was created with
    messages: tuple[Mapping[str, Any], ...]  # the whole conversation, the kept reply last
    paused: bool
    kept_at: float


@dataclass
class ThreadTurn:
    """One threaded request being answered: the expanded body to validate, and what to keep afterwards."""

    body: dict[str, Any]
    previous_id: str | None
    fields: Mapping[str, Any] = field(default_factory=dict)
    done: bool = False


class ThreadStore:
    """The threads of one fake, bounded and on its clock; thread-safe."""

    def __init__(self, clock: Clock, *, max_states: int = MAX_THREAD_STATES,
                 ttl_seconds: float = THREAD_TTL_SECONDS) -> None:
        self._clock = clock
        self._max = max_states
        self._ttl = ttl_seconds
        self._lock = threading.Lock()
        self._states: OrderedDict[str, _State] = OrderedDict()
        self._continued: OrderedDict[str, None] = OrderedDict()
        self._in_flight: set[str] = set()

    def __len__(self) -> int:
        return len(self._states)

    def begin(self, body: dict[str, Any]) -> ThreadTurn:
        """The turn for a request with a well-formed ``thread`` (see :func:`wants_thread`), or the thread error."""
        unsupported = [name for name in UNSUPPORTED_WITH_THREADS if body.get(name) is not None]
        if unsupported:
            raise _thread_error(400, _UNSUPPORTED, "thread_unsupported_request", unsupported=unsupported)
        thread = body["thread"]
        if thread["type"] == "create":
            fields = {name: body[name] for name in CREATE_ONLY_FIELDS if name in body}
            return ThreadTurn(body=body, previous_id=None, fields=fields)
        previous = thread["previous_message_id"]
        with self._lock:
            state = self._live(previous)
            if state is None:
                if self._is_continued(previous):
                    raise _thread_error(400, _ALREADY, "thread_already_continued")
                raise _thread_error(404, _NOT_FOUND, "thread_not_found")
            if self._is_claimed(previous):
                raise _thread_error(400, _IN_FLIGHT, "thread_continue_in_flight")
            for name in CREATE_ONLY_FIELDS:
                if name in body and body[name] != state.fields.get(name):
                    raise _thread_error(400, f"`{name}` differs from the request that created this Thread.",
                                        "thread_fingerprint_mismatch")
            new = body.get("messages")
            if state.paused and isinstance(new, list) and new:
                raise ApiError(400, _NOT_EXECUTED, headers={"x-should-retry": "false"})
            if not self._claim(previous):  # another process claimed it since the check above
                raise _thread_error(400, _IN_FLIGHT, "thread_continue_in_flight")
        expanded = {**body, **state.fields}
        expanded["messages"] = [*state.messages, *new] if isinstance(new, list) else new
        return ThreadTurn(body=expanded, previous_id=previous, fields=state.fields)

    def _live(self, message_id: str) -> _State | None:
        state = self._state(message_id)
        if state is not None and self._clock.now() - state.kept_at > self._ttl:
            self._drop_state(message_id)
            return None
        return state

    # Where the states live (overridden by ``threads_shared.SharedThreadStore``); called under the lock.
    def _state(self, message_id: str) -> _State | None:
        return self._states.get(message_id)

    def _keep_state(self, message_id: str, state: _State) -> None:
        self._states[message_id] = state
        while len(self._states) > self._max:
            self._states.popitem(last=False)

    def _drop_state(self, message_id: str) -> None:
        self._states.pop(message_id, None)

    def _is_continued(self, message_id: str) -> bool:
        return message_id in self._continued

    def _mark_continued(self, message_id: str) -> None:
        self._continued[message_id] = None
        while len(self._continued) > self._max:
            self._continued.popitem(last=False)

    def _is_claimed(self, message_id: str) -> bool:
        return message_id in self._in_flight

    def _claim(self, message_id: str) -> bool:
        """Mark a continue of ``message_id`` in flight; False if one already is."""
        if message_id in self._in_flight:
            return False
        self._in_flight.add(message_id)
        return True

    def _unclaim(self, message_id: str) -> None:
        self._in_flight.discard(message_id)

    def commit(self, turn: ThreadTurn, message: Mapping[str, Any]) -> None:
        """Keep the answered turn under ``message["id"]`` (a refusal is not kept); the previous id is spent."""
        if turn.done:
            return
        turn.done = True
        with self._lock:
            if turn.previous_id is not None:
                self._mark_continued(turn.previous_id)
                self._drop_state(turn.previous_id)
                self._unclaim(turn.previous_id)
            iterations = (message.get("usage") or {}).get("iterations") or []
            if message.get("stop_reason") == "refusal" or any(
                isinstance(i, Mapping) and i.get("type") == "fallback_message" for i in iterations
            ):
                return
            reply = {"role": "assistant", "content": list(message.get("content") or [])}
            messages = (*turn.body.get("messages", ()), reply)
            self._keep_state(str(message["id"]), _State(turn.fields, messages,
                                                        message.get("stop_reason") == "pause_turn", self._clock.now()))

    def release(self, turn: ThreadTurn) -> None:
        """The turn was not answered in full: nothing is kept and the previous id may be continued again."""
        if turn.done:
            return
        turn.done = True
        if turn.previous_id is not None:
            with self._lock:
                self._unclaim(turn.previous_id)

    def kept_while_streaming(self, turn: ThreadTurn, message: Mapping[str, Any], chunks: Iterable[Any],
                             *, complete: bool) -> Iterator[Any]:
        """``chunks``, keeping the turn once the last one is read (``complete``: the stream ends with
        ``message_stop``); a stream closed early, or cut, keeps nothing."""
        try:
            yield from chunks
            if complete:
                self.commit(turn, message)
        finally:
            self.release(turn)
