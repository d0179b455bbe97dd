"""The control API of ``fakeclaude serve --workers N``: one script for every worker of the pool.

A script posted to ``/_fakeclaude/script`` reaches the one worker the connection landed on. Here it is
also appended to a log in the shared state store (``control/script/<n>``, its length in
``control/script-seq``), and every worker, before it answers any request, applies the entries it has
not applied yet, in order (one ``get`` of the counter per request while nothing changed). ``POST
/_fakeclaude/reset`` is logged the same way and resets every worker.

Rules with one answer (``{"rule": {"match": ..., "reply" | "error" | "json": ...}}``) are copied to every
worker that way: they answer every matching request. A queued one-shot item (``{"reply": ...}``,
``{"error": ...}``) must be answered once by the whole pool, so it goes to a shared queue instead
(``control/queue/<n>``, with ``control/queue-tail`` and ``control/queue-head`` counters): a worker that
receives a ``POST /v1/messages`` first claims the next item (a compare-and-set of the head) and queues it
in its own script, where that request (or, if it is refused before the script is asked, that worker's
next one) consumes it. Items are claimed in the order they were posted. A rule's ``answers``
sequence would be consumed once per worker, so it gets a 400 saying so.

The request log is shared the same way (:class:`~fakeclaude.server.request_log_shared.SharedRequestLog`):
each worker appends what it answered (as ``GET /_fakeclaude/requests`` shows it, credentials redacted,
with its ``worker`` pid), within the same bounds as a single fake's log (``max_recorded_requests``
entries, ``max_recorded_bytes`` of bodies, the oldest bodies dropped first), and ``GET
/_fakeclaude/requests`` and the HTML page on any worker show every worker's requests.
"""

from __future__ import annotations

import os
import threading
import time
from typing import TYPE_CHECKING, Any

from .._json import dumps, loads
from .adapters.workers import WORKER_HEADER
from .control import ControlApi, _apply_item, _bad, _json_reply, newest, render_page, request_json
from .http import HttpReply, HttpRequest
from .request_log_shared import SharedRequestLog
from .statestore import StateStore

if TYPE_CHECKING:
    from .fake import FakeClaude

__all__ = ["PoolControlApi"]

_LOG = "control/script/"
_LOOKBACK = 64  # how far back in this worker's log an answered request is looked for
_SEQUENCE = "control/script-seq"
_QUEUE = "control/queue/"
_QUEUE_TAIL = "control/queue-tail"
_QUEUE_HEAD = "control/queue-head"
_ONCE_PER_WORKER = ("with --workers, a rule's answers sequence would be answered once by each worker; "
                    "script one answer per rule, or queued replies, or serve one worker")
_CLAIM_WAIT = 0.5  # seconds a claimed item may take to appear (its writer counted it, then writes it)


class PoolControlApi(ControlApi):
    """:class:`~fakeclaude.server.control.ControlApi` whose script is shared through ``state``."""

    def __init__(self, fake: FakeClaude, state: StateStore) -> None:
        super().__init__(fake)
        self._state = state
        self._applied = 0
        self._own: set[int] = set()  # entries this worker logged (and so applied already)
        self._seen: bytes | None = b"0"
        self._lock = threading.Lock()
        config = fake.config
        self.requests = SharedRequestLog(state, config.max_recorded_requests, config.max_recorded_bytes)
        self._worker = config.worker or str(os.getpid())

    def handle(self, request: HttpRequest) -> HttpReply:
        """The control API's answer, naming the worker that gave it (``x-fakeclaude-worker``) like the API's."""
        self.sync()
        reply = super().handle(request)
        reply.headers[WORKER_HEADER] = str(os.getpid())
        return reply

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
            payload = None
        items = payload if isinstance(payload, list) else [payload]
        if payload is None or not items:
            return super()._add_script(request)  # which answers what is wrong with the body
        from .fake import FakeClaude

        dry = FakeClaude()
        for index, item in enumerate(items):  # checked first: a bad item queues nothing
            where = f"script[{index}]" if isinstance(payload, list) else "script"
            _apply_item(dry, item, where)
            rule = item.get("rule")
            if isinstance(rule, dict) and "answers" in rule:
                raise _bad(where, _ONCE_PER_WORKER)
        checked: list[dict[str, Any]] = [item for item in items if isinstance(item, dict)]  # all (checked above)
        rules = [item for item in checked if "rule" in item]
        for item in checked:
            if "rule" not in item:
                self._enqueue(item)
        if rules:
            super()._add_script(HttpRequest("POST", "/_fakeclaude/script", {}, {}, dumps(rules)))
            self._log({"script": rules})
        return _json_reply(200, self.script_state())

    def script_state(self) -> dict[str, Any]:
        """The base state, plus ``pool_queued``: one-shot items posted to the pool not yet claimed."""
        state = super().script_state()
        state["pool_queued"] = max(0, self._counter(_QUEUE_TAIL) - self._counter(_QUEUE_HEAD))
        return state

    # ----- the shared queue of one-shot items -------------------------------------------------------
    def _counter(self, key: str) -> int:
        raw = self._state.get(key)
        return 0 if raw is None else int(raw)

    def _enqueue(self, item: dict[str, Any]) -> None:
        seq = self._state.increment(_QUEUE_TAIL)
        self._state.put(f"{_QUEUE}{seq:016d}", dumps(item))

    def before(self, request: HttpRequest) -> None:
        """Before a worker answers ``request``: catch up with the script, claim a one-shot item for it."""
        self.sync()
        if request.method == "POST" and request.path.rstrip("/") == "/v1/messages":
            self._claim()

    def _claim(self) -> None:
        while True:
            tail = self._state.get(_QUEUE_TAIL)
            if tail is None:
                return  # the pool's queue was never used: one read per request
            head_raw = self._state.get(_QUEUE_HEAD)
            head = 0 if head_raw is None else int(head_raw)
            if head >= int(tail):
                return
            if not self._state.compare_and_set(_QUEUE_HEAD, head_raw, str(head + 1).encode()):
                continue  # another worker claimed that one: try the next
            key = f"{_QUEUE}{head + 1:016d}"
            deadline = time.monotonic() + _CLAIM_WAIT
            raw = self._state.get(key)
            while raw is None and time.monotonic() < deadline:
                time.sleep(0.005)
                raw = self._state.get(key)
            if raw is None:
                return  # cleared by a reset meanwhile
            self._state.delete(key)
            _apply_item(self.fake, loads(raw), "queue")
            return

    def _reset(self, request: HttpRequest) -> HttpReply:
        reply = super()._reset(request)
        self.requests.clear()
        for key, _ in self._state.scan(_QUEUE):
            self._state.delete(key)
        self._state.put(_QUEUE_HEAD, str(self._counter(_QUEUE_TAIL)).encode())
        self._log({"reset": True})
        return reply

    # ----- the shared request log -------------------------------------------------------------------
    def record(self, reply: HttpReply) -> None:
        """Append the request ``reply`` answered (found by its ``request-id``) to the shared log."""
        request_id = reply.headers.get("request-id")
        recorded = self.fake.requests
        found = next((r for r in reversed(recorded[-_LOOKBACK:]) if r.request_id == request_id), None)
        if found is not None:
            self.requests.append({**request_json(found), "worker": self._worker})

    def _requests(self, request: HttpRequest) -> HttpReply:
        return _json_reply(200, {"requests": list(newest(self.requests.entries(), request.query.get("limit")))})

    def render(self, base_url: str) -> str:
        """The HTML page with every worker's recent requests (each naming its worker) and this worker's script."""
        return render_page(base_url, self.requests.entries(), self.script_state())
