"""Files API state: the uploaded (and tool-made) files of one fake, bounded, on the engine's clock.

A stored file is plain data: its wire metadata (a JSON-able dict, the ``FileMetadata`` the API answers)
and its bytes, plus two epoch floats and a sequence number. They live in a
:class:`~fakeclaude.server.statestore.StateStore` (in memory by default; SQLite or Redis for the workers of
``fakeclaude serve --workers N``, so a file uploaded through one worker is retrieved, downloaded and used in
messages through any other): ``files/<id>`` holds the record (JSON), ``file-bytes/<id>`` the bytes,
``file-order/<n>`` the ids in upload order, and three counters the sequence, the count and the bytes. A file
is dropped by whoever deletes its record (a compare-and-set), so two workers evicting at once drop it once.

Bounds (``FileLimits``, reachable through ``EngineConfig.file_limits``): at most ``max_files`` files and
``max_total_bytes`` bytes are kept; beyond either, the oldest files are evicted first (the fake's choice:
the API keeps files until deleted and refuses uploads past the organisation's 100 GB quota with
``storage_quota_exceeded``; a test fake evicts instead of failing). ``max_file_bytes`` is the per-file
limit (500 MB as documented, spec §5.4).

Lifetimes: ``expires_in_seconds`` (3600 to 7,776,000) sets ``expires_at``; once the clock passes it the
file's bytes are gone: downloading it or using it in a message answers 404 ``file_expired`` (spec §5.4).
Its metadata stays visible (``retrieve``, ``list``) until it is deleted or evicted.

Texts. Recorded: ``File '<id>' is not downloadable`` (400, real-traffic-facts §4.2). Written here (no
recording): ``File '<id>' not found`` (404 ``not_found_error``), ``File '<id>' has expired`` (404 with
``error.details.error_code`` ``file_expired``, the code SDK 2.13 maps to ``FileExpiredError``).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fakeclaude._json import dumps, loads
from fakeclaude.server.batches import IdSource
from fakeclaude.server.clock import Clock
from fakeclaude.server.errors import ApiError
from fakeclaude.server.models_api import page
from fakeclaude.server.statestore import MemoryStore, StateStore

__all__ = [
    "EXPIRES_IN_RANGE",
    "FileLimits",
    "FileStore",
    "StoredFile",
    "created_at_text",
    "not_found",
]

MB = 1024 * 1024
EXPIRES_IN_RANGE = (3600, 7_776_000)
"""The accepted ``expires_in_seconds`` (one hour to ninety days), inclusive."""

_RECORD = "files/"  # files/<id>: [metadata, created, expires, seq]
_CONTENT = "file-bytes/"
_ORDER = "file-order/"  # file-order/<seq, 16 digits>: the id
_SEQUENCE = "file-counters/sequence"
_COUNT = "file-counters/count"
_BYTES = "file-counters/bytes"


@dataclass(frozen=True)
class FileLimits:
    """How much one fake keeps: per file, in all, and how many files (oldest evicted beyond the last two)."""

    max_file_bytes: int = 500 * MB
    max_total_bytes: int = 1024 * MB
    max_files: int = 10_000

    def __post_init__(self) -> None:
        if min(self.max_file_bytes, self.max_total_bytes, self.max_files) < 1:
            raise ValueError("file limits must be >= 1")


@dataclass(frozen=True)
class StoredFile:
    """One file: its wire metadata, its bytes, when it was made and when its bytes expire (epoch seconds)."""

    metadata: dict[str, Any]
    content: bytes
    created: float
    expires: float | None
    seq: int

    @property
    def id(self) -> str:
        return str(self.metadata["id"])

    @property
    def mime_type(self) -> str:
        return str(self.metadata["mime_type"])


def created_at_text(t: float) -> str:
    """``t`` as the Files API writes it: milliseconds padded to six digits, ``Z`` (``…:59.134000Z``)."""
    moment = datetime.fromtimestamp(round(t, 6), tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}000Z"


def not_found(file_id: str) -> ApiError:
    return ApiError(404, f"File '{file_id}' not found", "not_found_error")


def expired(file_id: str) -> ApiError:
    return ApiError(404, f"File '{file_id}' has expired", "not_found_error", details={"error_code": "file_expired"})


class FileStore:
    """All files of one fake server (or of every worker sharing ``state``). Every method returns wire JSON (or
    a ``StoredFile``) or raises ``ApiError``."""

    def __init__(self, clock: Clock, ids: IdSource, limits: FileLimits | None = None,
                 state: StateStore | None = None) -> None:
        self._clock = clock
        self._ids = ids
        self.limits = limits or FileLimits()
        self._state: StateStore = state if state is not None else MemoryStore()
        self._lock = threading.RLock()  # one upload or eviction at a time in this process

    # ----- writing ----------------------------------------------------------------------------------
    def create(
        self,
        content: bytes,
        *,
        filename: str,
        mime_type: str,
        expires_in_seconds: int | None = None,
        downloadable: bool = False,
        file_id: str | None = None,
    ) -> dict[str, Any]:
        """Store ``content`` and answer its ``FileMetadata``. ``downloadable`` marks a tool-made file.

        ``file_id`` keeps a given id (to stand in for a file a recording refers to); by default the id
        comes from the engine's ``IdFactory`` (``file_011C`` + 20 base58).
        """
        if len(content) > self.limits.max_file_bytes:
            raise ApiError(413, f"File exceeds the maximum size of {self.limits.max_file_bytes} bytes.")
        state = self._state
        with self._lock:
            now = self._clock.now()
            fid = file_id or self._ids.new("file")
            expires = now + expires_in_seconds if expires_in_seconds is not None else None
            metadata: dict[str, Any] = {
                "type": "file",
                "id": fid,
                "size_bytes": len(content),
                "created_at": created_at_text(now),
                "filename": filename,
                "mime_type": mime_type,
                "downloadable": downloadable,
            }
            if expires is not None:
                metadata["expires_at"] = created_at_text(expires)
            self._drop(fid)
            seq = state.increment(_SEQUENCE)
            state.put(_CONTENT + fid, bytes(content))  # the bytes before the record: whoever finds one finds both
            state.put(_ORDER + f"{seq:016d}", fid.encode())
            state.put(_RECORD + fid, dumps([metadata, now, expires, seq]))
            count = state.increment(_COUNT)
            total = state.increment(_BYTES, len(content))
            if count > self.limits.max_files or total > self.limits.max_total_bytes:
                self._evict(keep=fid)
            return dict(metadata)

    def delete(self, file_id: str) -> dict[str, Any]:
        with self._lock:
            if not self._drop(file_id):
                raise not_found(file_id)
            return {"id": file_id, "type": "file_deleted"}

    # ----- reading ----------------------------------------------------------------------------------
    def get(self, file_id: str) -> StoredFile:
        """The file (its bytes may have expired: see ``usable``); 404 when there is none."""
        record = self._record(file_id)
        content = self._state.get(_CONTENT + file_id)
        if content is None:  # dropped between the two reads
            raise not_found(file_id)
        return dataclasses.replace(record, content=content)

    def usable(self, file_id: str) -> StoredFile:
        """The file whose bytes are still there: 404 ``not_found_error`` or 404 ``file_expired`` otherwise."""
        stored = self.get(file_id)
        if stored.expires is not None and self._clock.now() >= stored.expires:
            raise expired(file_id)
        return stored

    def lookup(self, file_id: str) -> StoredFile | None:
        """The usable file, or None (for counting tokens before the checks that name the problem)."""
        try:
            return self.usable(file_id)
        except ApiError:
            return None

    def retrieve(self, file_id: str) -> dict[str, Any]:
        return self._record(file_id).metadata

    def download(self, file_id: str) -> StoredFile:
        """A downloadable file with its bytes; uploads answer the recorded 400."""
        stored = self.usable(file_id)
        if not stored.metadata.get("downloadable"):
            raise ApiError(400, f"File '{file_id}' is not downloadable",
                           details={"error_code": "file_not_downloadable"})
        return stored

    def list_page(self, *, limit: int, page_token: int | None) -> tuple[list[dict[str, Any]], int | None]:
        """GA paging: up to ``limit`` files newest first, older than the token's sequence number; and the
        sequence number the next page starts below (None on the last page)."""
        newest = [f for f in self._newest_first() if page_token is None or f.seq < page_token]
        chosen = newest[:limit]
        more = len(newest) > limit
        return [f.metadata for f in chosen], chosen[-1].seq if more and chosen else None

    def list_ids(self, ids: Iterable[str]) -> list[dict[str, Any]]:
        """The files among ``ids`` in the order asked, unknown and deleted ids silently left out."""
        found = [self._state.get(_RECORD + i) for i in dict.fromkeys(ids)]
        return [_described(raw).metadata for raw in found if raw is not None]

    def list_beta(self, before_id: str | None, after_id: str | None, limit: int | str | None) -> dict[str, Any]:
        """The beta shape ``{data, has_more, first_id, last_id}``, newest first (``models_api.page`` rules)."""
        return page(self._newest_first(), lambda f: f.id, lambda f: f.metadata, before_id, after_id, limit)

    def __len__(self) -> int:
        return int(self._state.get(_COUNT) or b"0")

    @property
    def total_bytes(self) -> int:
        return int(self._state.get(_BYTES) or b"0")

    # ----- internals --------------------------------------------------------------------------------
    def _record(self, file_id: str) -> StoredFile:
        """The file without its bytes (metadata, times, sequence); 404 when there is none."""
        raw = self._state.get(_RECORD + file_id)
        if raw is None:
            raise not_found(file_id)
        return _described(raw)

    def _newest_first(self) -> list[StoredFile]:
        """Every file without its bytes, newest first."""
        files = [_described(raw) for _, raw in self._state.scan(_RECORD)]
        return sorted(files, key=lambda f: f.seq, reverse=True)

    def _drop(self, file_id: str) -> bool:
        """Forget the file, if this call is the one that deletes its record."""
        state = self._state
        raw = state.get(_RECORD + file_id)
        if raw is None or not state.compare_and_set(_RECORD + file_id, raw, None):
            return False
        stored = _described(raw)
        state.delete(_CONTENT + file_id)
        state.delete(_ORDER + f"{stored.seq:016d}")
        state.increment(_COUNT, -1)
        state.increment(_BYTES, -int(stored.metadata["size_bytes"]))
        return True

    def _evict(self, keep: str) -> None:
        """Drop the oldest files until the limits hold again (never ``keep``, the newest)."""
        limits = self.limits
        for _, value in self._state.scan(_ORDER):  # oldest first
            oldest = value.decode()
            if oldest == keep:
                return
            self._drop(oldest)
            if len(self) <= limits.max_files and self.total_bytes <= limits.max_total_bytes:
                return


def _described(record: bytes) -> StoredFile:
    """A stored record as a ``StoredFile`` without its bytes (``content`` empty)."""
    metadata, created, expires, seq = loads(record)
    return StoredFile(metadata, b"", float(created), None if expires is None else float(expires), int(seq))
