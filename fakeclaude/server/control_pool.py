"""The control API of ``fakeclaude serve --workers N``: one script for every worker of the pool.

A script posted to ``/_fakeclaude/script`` reaches the one worker the connection landed on. Here it is
also appended to a log in the shared state store (``control/script/<n>``, its length in
``control/script-seq``), and every worker, before it answers any request, applies the entries it has
not applied yet, in order (one ``get`` of the counter per request while nothing changed). ``POST
/_fakeclaude/reset`` is logged the same way and resets every worker.

Only what can be answered the same by every worker is accepted on a pool: rules with one answer
(``{"rule": {"match": ..., "reply" | "error" | "json": ...}}``), which answer every matching request.
A queued reply or error, or a rule's ``answers`` sequence, would be consumed once per worker (each
has its copy), so they get a 400 saying so.

The request log is shared the same way: each worker appends what it answered (as ``GET
/_fakeclaude/requests`` shows it, credentials redacted) under ``control/requests/<n>``, keeping the
newest ``max_recorded_requests``, and ``GET /_fakeclaude/requests`` reads them all, oldest first. The
HTML page still shows the requests of the worker that serves it.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from .._json import dumps, loads
from .control import ControlApi, _bad, _json_reply, request_json
from .http import HttpReply, HttpRequest
from .statestore import StateStore

if TYPE_CHECKING:
    from .fake import FakeClaude

__all__ = ["PoolControlApi"]

_LOG = "control/script/"
_REQUESTS = "control/requests/"
_REQUESTS_SEQUENCE = "control/requests-seq"
_LOOKBACK = 64  # how far back in this worker's log an answered request is looked for
_SEQUENCE = "control/script-seq"
_ONCE_PER_WORKER = ("with --workers, a queued reply or error would be answered once by each worker; "
                    "script a rule with one answer (it answers every matching request), or serve one worker")


class PoolControlApi(ControlApi):
    """:class:`~fakeclaude.server.control.ControlApi` whose script is shared through ``state``."""

    def __init__(self, fake: FakeClaude, state: StateStore) -> None:
        super().__init__(fake)
        self._state = state
        self._applied = 0
        self._own: set[int] = set()  # entries this worker logged (and so applied already)
        self._seen: bytes | None = b"0"
        self._lock = threading.Lock()

    def handle(self, request: HttpRequest) -> HttpReply:
        self.sync()
        return super().handle(request)

    def sync(self) -> None:
        """Apply the script entries other workers logged since the last call."""
        current = self._state.get(_SEQUENCE)
        if current == self._seen or current is None:
            return
        with self._lock:
            for key, raw in self._state.scan(_LOG):
                seq = int(key.removeprefix(_LOG))
                if seq <= self._applied:
                    continue
                if seq != self._applied + 1:
                    break  # a gap: its worker counted it but has not written it yet; the next call applies it
                if seq not in self._own:
                    self._apply(loads(raw))
                self._applied = seq
            if self._applied >= int(current):
                self._seen = current

    def _apply(self, entry: dict[str, Any]) -> None:
        if entry.get("reset"):
            super()._reset(HttpRequest("POST", "/_fakeclaude/reset", {}, {}))
        else:
            super()._add_script(HttpRequest("POST", "/_fakeclaude/script", {}, {}, dumps(entry["script"])))

    def _log(self, entry: dict[str, Any]) -> None:
        with self._lock:
            seq = self._state.increment(_SEQUENCE)
            self._state.put(f"{_LOG}{seq:016d}", dumps(entry))
            self._own.add(seq)

    def _add_script(self, request: HttpRequest) -> HttpReply:
        try:
            payload = loads(request.body) if request.body.strip() else None
        except ValueError:
            payload = None  # the base class answers what is wrong with it
        items = payload if isinstance(payload, list) else [payload]
        for index, item in enumerate(items):
            where = f"script[{index}]" if isinstance(payload, list) else "script"
            rule = item.get("rule") if isinstance(item, dict) else None
            if isinstance(item, dict) and (set(item) - {"rule"} or (isinstance(rule, dict) and "answers" in rule)):
                raise _bad(where, _ONCE_PER_WORKER)
        reply = super()._add_script(request)
        if reply.status == 200:
            self._log({"script": payload})
        return reply

    def _reset(self, request: HttpRequest) -> HttpReply:
        reply = super()._reset(request)
        for key, _ in self._state.scan(_REQUESTS):
            self._state.delete(key)
        self._log({"reset": True})
        return reply

    # ----- the shared request log -------------------------------------------------------------------
    def record(self, reply: HttpReply) -> None:
        """Append the request ``reply`` answered (found by its ``request-id``) to the shared log."""
        request_id = reply.headers.get("request-id")
        recorded = self.fake.requests
        found = next((r for r in reversed(recorded[-_LOOKBACK:]) if r.request_id == request_id), None)
        if found is None:
            return
        seq = self._state.increment(_REQUESTS_SEQUENCE)
        self._state.put(f"{_REQUESTS}{seq:016d}", dumps(request_json(found)))
        self._state.delete(f"{_REQUESTS}{seq - self.fake.config.max_recorded_requests:016d}")

    def _requests(self, request: HttpRequest) -> HttpReply:
        limit = request.query.get("limit")
        if limit is not None and not limit.isdigit():
            raise _bad("limit", "a non-negative integer")
        logged = [loads(raw) for _, raw in self._state.scan(_REQUESTS)]
        if limit is not None:
            logged = logged[len(logged) - int(limit):] if int(limit) else []
        return _json_reply(200, {"requests": logged})
