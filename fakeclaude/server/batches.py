"""Message Batches state: create, poll, list, cancel, delete and JSONL results, on an injected clock.

Lifecycle (spec 1.2, real traffic 3.6). ``create`` answers ``in_progress`` with every request counted
``processing``, as the API does. Request ``i`` of ``n`` finishes at ``created + processing_seconds *
(i + 1) / n``; the batch ends when the last one does, so with ``processing_seconds=0`` the first
observation after ``create`` (retrieve, list, results...) already sees it ``ended``. Answers are
computed lazily, once, when the batch ends: ``answer(params, custom_id, context)`` gives the Message JSON
(its usage gets ``service_tier: "batch"``) or raises ``ApiError``, which becomes an ``errored`` line.
``context`` is what ``create`` was given (the create call's API version and betas: each request's
``params`` is validated only when it runs, 2026 spec section 11). An :class:`InvalidBatchRequest` is a
request refused before it ran: its line has the recorded shape, ``request_id: null`` and
``error.details.error_visibility: "user_facing"``; any other ``ApiError`` failed while running and
carries a request id. ``errored`` lines carry no usage.

Where batches live. Each batch is a small JSON record in a :class:`~fakeclaude.server.statestore.StateStore`
(``batches/<id>``; ``batch-order/<n>`` lists them in creation order), its requests under
``batch-requests/<id>`` until it ends and its results JSONL under ``batch-results/<id>/<token>`` once it
has (so a poll reads a few hundred bytes whatever the batch's size): in memory by default, or in
SQLite or Redis, shared by every worker of ``fakeclaude serve --workers N``. Every change is a
compare-and-set of the record, so two workers observing the same batch never overwrite each other (one
ends it; the other reads the ended record). Requests are kept as JSON text, not as the caller's
objects: nothing the caller mutates later changes a batch, and any depth of nesting the parser accepted
is kept (no recursive copy). A new batch's id is taken only if no record has it yet, so workers with the
same seed never share one.

``cancel`` turns ``in_progress`` into ``canceling``; the next observation ends the batch: requests
finished before ``cancel_initiated_at`` keep their result, the rest are ``canceled``. Requests that
would finish after ``expires_at`` (created + 24 h, so only with ``processing_seconds`` > 24 h) are
``expired``. Until a batch ends its counts stay in ``processing``; they always sum to its size.

Results lines are ordered deterministically but not by request (as the API warns): by a hash of the
batch id and ``custom_id``. Only the newest ``max_batches`` batches are kept.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from fakeclaude._json import dumps, loads
from fakeclaude.server.clock import Clock, rfc3339
from fakeclaude.server.errors import ApiError
from fakeclaude.server.models_api import page
from fakeclaude.server.statestore import MemoryStore, StateStore

__all__ = ["DEFAULT_MAX_BATCH_BYTES", "RETRY_AFTER_SECONDS", "BatchStore", "IdSource", "InvalidBatchRequest"]

#: How many bytes of batch bodies the store keeps by default (the API's largest batch body is 256 MB).
DEFAULT_MAX_BATCH_BYTES = 256 * 1024 * 1024

RETRY_AFTER_SECONDS = 10
"""The ``retry-after`` the API sends when a poll finds a batch still processing (2026 spec section 11)."""

_DAY = 24 * 3600.0
_COUNTS = ("processing", "succeeded", "errored", "canceled", "expired")
_RECORD = "batches/"
_REQUESTS = "batch-requests/"
_RESULTS = "batch-results/"
_RESULTS_TOKEN = "batch-results-token"
_ORDER = "batch-order/"
_SEQUENCE = "batch-sequence"
_BYTES = "batch-bytes"


class IdSource(Protocol):
    """What ``BatchStore`` needs of ``fakeclaude.server.generation.IdFactory``."""

    def new(self, prefix: str) -> str: ...


class InvalidBatchRequest(ApiError):
    """A batch request whose ``params`` the API refused before running it (an ``errored`` line)."""

    def line(self) -> dict[str, Any]:
        """The ``errored`` result's ``error``, as recorded (``details`` first, ``request_id`` null)."""
        error = {"details": {"error_visibility": "user_facing"}, "type": self.type, "message": self.message}
        return {"type": "error", "error": error, "request_id": None}


@dataclass
class _Batch:
    """A batch's small record; its requests and its results JSONL live under keys of their own."""

    id: str
    seq: int
    created_at: float
    size: int
    context: dict[str, Any] = field(default_factory=dict)
    status: str = "in_progress"
    cancel_initiated_at: float | None = None
    ended_at: float | None = None
    counts: dict[str, int] | None = None  # once ended
    results: str = ""  # once ended: the token of its results key
    weight: int = 0  # the bytes of the request body that created it

    def dump(self) -> bytes:
        return dumps(asdict(self))

    @classmethod
    def load(cls, raw: bytes) -> _Batch:
        return cls(**loads(raw))


class BatchStore:
    """All batches of one fake server. Every method returns wire JSON or raises ``ApiError``."""

    def __init__(
        self,
        clock: Clock,
        ids: IdSource,
        answer: Callable[[dict[str, Any], str, dict[str, Any]], dict[str, Any]],
        processing_seconds: float = 0.0,
        base_url_of_results: Callable[[str], str] | None = None,
        max_batches: int = 10_000,
        state: StateStore | None = None,
        max_bytes: int = DEFAULT_MAX_BATCH_BYTES,
    ) -> None:
        if processing_seconds < 0:
            raise ValueError("processing_seconds must be >= 0")
        if max_batches < 1:
            raise ValueError("max_batches must be >= 1")
        self._clock = clock
        self._ids = ids
        self._answer = answer
        self.processing_seconds = processing_seconds
        self._results_url = base_url_of_results or (lambda bid: f"/v1/messages/batches/{bid}/results")
        self._max = max_batches
        self._max_bytes = max_bytes
        self._state: StateStore = state if state is not None else MemoryStore()
        self._lock = threading.RLock()  # one observation at a time in this process: answers are computed once

    def create(
        self, requests: list[tuple[str, dict[str, Any]]], context: dict[str, Any] | None = None, *, weight: int = 0
    ) -> dict[str, Any]:
        """Store ``(custom_id, params)`` pairs (their envelope validated) as a new batch.

        ``context`` (plain JSON data) is handed back to ``answer`` with each request when it runs.
        ``weight`` is the bytes of the body that created it: beyond ``max_bytes`` the oldest batches are
        dropped (the newest is always kept), as beyond ``max_batches``.
        """
        stored = dumps([[cid, dumps(params).decode()] for cid, params in requests])
        with self._lock:
            seq = self._state.increment(_SEQUENCE)
            while True:
                batch = _Batch(self._ids.new("msgbatch"), seq, self._clock.now(), len(requests), dict(context or {}),
                               weight=weight)
                if self._state.compare_and_set(_RECORD + batch.id, None, batch.dump()):
                    break
            self._state.put(_REQUESTS + batch.id, stored)
            self._state.put(f"{_ORDER}{seq:016d}", batch.id.encode())
            total = self._state.increment(_BYTES, weight)
            if seq > self._max:  # keep the newest max_batches
                evicted = f"{_ORDER}{seq - self._max:016d}"
                old = self._state.get(evicted)
                if old is not None:
                    raw = self._state.get(_RECORD + old.decode())
                    if raw is not None:
                        total = self._forget(_Batch.load(raw))
            if total > self._max_bytes:
                self._drop_oldest_beyond_budget(batch.id)
            return self._wire(batch)

    def _drop_oldest_beyond_budget(self, newest: str) -> None:
        for _, value in self._state.scan(_ORDER):  # oldest first
            if value.decode() == newest:
                return
            raw = self._state.get(_RECORD + value.decode())
            if raw is not None and self._forget(_Batch.load(raw)) <= self._max_bytes:
                return

    def retrieve(self, batch_id: str) -> dict[str, Any]:
        with self._lock:
            return self._wire(self._observe(batch_id))

    def list(
        self, before_id: str | None = None, after_id: str | None = None, limit: int | str | None = None
    ) -> dict[str, Any]:
        """Newest first; see ``fakeclaude.server.models_api.page`` for the cursor rules."""
        with self._lock:
            newest_first = [value.decode() for _, value in reversed(self._state.scan(_ORDER))]
            known = [bid for bid in newest_first if self._state.get(_RECORD + bid) is not None]
            return page(known, lambda bid: bid, lambda bid: self._wire(self._observe(bid)), before_id, after_id, limit)

    def cancel(self, batch_id: str) -> dict[str, Any]:
        with self._lock:
            while True:
                raw, batch = self._observed(batch_id)
                if batch.status == "ended":
                    raise ApiError(400, f"Message batch '{batch_id}' has already ended and cannot be canceled.")
                if batch.status == "canceling":
                    return self._wire(batch)
                batch.status, batch.cancel_initiated_at = "canceling", self._clock.now()
                if self._state.compare_and_set(_RECORD + batch_id, raw, batch.dump()):
                    return self._wire(batch)

    def delete(self, batch_id: str) -> dict[str, Any]:
        with self._lock:
            _, batch = self._observed(batch_id)
            if batch.status != "ended":
                raise ApiError(400, "In progress batches cannot be deleted. Consider canceling the batch instead.")
            self._forget(batch)
            return {"id": batch_id, "type": "message_batch_deleted"}

    def results(self, batch_id: str) -> bytes:
        """JSONL, one ``{"custom_id", "result"}`` object per ``\\n``-terminated line (ASCII-escaped)."""
        with self._lock:
            batch = self._observe(batch_id)
            if batch.status != "ended":
                raise ApiError(404, f"Message Batch {batch_id} has no available results.")
            return self._state.get(f"{_RESULTS}{batch.id}/{batch.results}") or b""

    # -- internals ---------------------------------------------------------------------------------

    def _forget(self, batch: _Batch) -> int:
        """Delete every key of ``batch``; the bytes the store still holds after it."""
        for key in (_RECORD + batch.id, _REQUESTS + batch.id, f"{_RESULTS}{batch.id}/{batch.results}",
                    f"{_ORDER}{batch.seq:016d}"):
            self._state.delete(key)
        return self._state.increment(_BYTES, -batch.weight)

    def _observe(self, batch_id: str) -> _Batch:
        return self._observed(batch_id)[1]

    def _observed(self, batch_id: str) -> tuple[bytes, _Batch]:
        """The batch's stored record and the batch, ended first if the clock (or a cancel) says so.

        Ending writes the results under a fresh token first, then swaps the record to name them; if
        another worker ended (or canceled) the batch meanwhile, its record wins, ours is dropped and the
        record is read again.
        """
        while True:
            raw = self._state.get(_RECORD + batch_id)
            if raw is None:
                raise ApiError(404, f"Message Batch {batch_id} not found.")
            batch = _Batch.load(raw)
            jsonl = self._advance(batch)
            if jsonl is None:
                return raw, batch
            batch.results = str(self._state.increment(_RESULTS_TOKEN))
            results_key = f"{_RESULTS}{batch.id}/{batch.results}"
            self._state.put(results_key, jsonl)
            ended = batch.dump()
            if self._state.compare_and_set(_RECORD + batch_id, raw, ended):
                self._state.delete(_REQUESTS + batch_id)
                return ended, batch
            self._state.delete(results_key)  # another worker changed it meanwhile: read it again

    def _advance(self, batch: _Batch) -> bytes | None:
        """Ends ``batch`` if the clock says so (or a cancel was asked for): its results JSONL, else None."""
        if batch.status == "ended":
            return None
        now = self._clock.now()
        expires = batch.created_at + _DAY
        if batch.status == "canceling":
            assert batch.cancel_initiated_at is not None
            cutoff, end, unfinished = (
                batch.cancel_initiated_at,
                max(now, batch.cancel_initiated_at),
                "canceled",
            )
        else:
            cutoff = end = min(self._finish_time(batch, batch.size - 1), expires)
            if now < end:
                return None
            unfinished = "expired"
        requests = loads(self._state.get(_REQUESTS + batch.id) or b"[]")
        lines: list[tuple[bytes, dict[str, Any]]] = []
        counts = dict.fromkeys(_COUNTS, 0)
        for i, (custom_id, params) in enumerate(requests):
            done = self._finish_time(batch, i)
            result = self._run(params, custom_id, batch.context) if done <= cutoff else {"type": unfinished}
            counts[result["type"]] += 1
            order = hashlib.sha256(f"{batch.id}\0{custom_id}".encode()).digest()
            lines.append((order, {"custom_id": custom_id, "result": result}))
        lines.sort(key=lambda item: item[0])
        batch.status, batch.ended_at, batch.counts = "ended", end, counts
        return b"".join(dumps(line) + b"\n" for _, line in lines)

    def _finish_time(self, batch: _Batch, index: int) -> float:
        if index >= batch.size - 1:
            return batch.created_at + self.processing_seconds
        return batch.created_at + self.processing_seconds * (index + 1) / batch.size

    def _run(self, params: str, custom_id: str, context: dict[str, Any]) -> dict[str, Any]:
        try:
            message = loads(dumps(self._answer(loads(params), custom_id, context)))  # a copy at any depth
        except InvalidBatchRequest as err:
            return {"type": "errored", "error": err.line()}
        except ApiError as err:
            return {"type": "errored", "error": err.body(self._ids.new("req"))}
        usage = message.get("usage")
        if isinstance(usage, dict):
            usage["service_tier"] = "batch"
        return {"type": "succeeded", "message": message}

    def _wire(self, batch: _Batch) -> dict[str, Any]:
        if batch.counts is not None:
            counts = dict(batch.counts)
        else:
            counts = dict.fromkeys(_COUNTS, 0)
            counts["processing"] = batch.size
        ended = batch.ended_at
        return {
            "id": batch.id,
            "type": "message_batch",
            "processing_status": batch.status,
            "request_counts": counts,
            "ended_at": rfc3339(ended, micro=True) if ended is not None else None,
            "created_at": rfc3339(batch.created_at, micro=True),
            "expires_at": rfc3339(batch.created_at + _DAY, micro=True),
            "archived_at": None,
            "cancel_initiated_at": (
                rfc3339(batch.cancel_initiated_at, micro=True)
                if batch.cancel_initiated_at is not None
                else None
            ),
            "results_url": self._results_url(batch.id) if batch.status == "ended" else None,
        }
