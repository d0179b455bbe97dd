"""Files API state: the uploaded (and tool-made) files of one fake, bounded, on the engine's clock.

A stored file is plain data: its wire metadata (a JSON-able dict, the ``FileMetadata`` the API answers)
and its bytes, plus two epoch floats and a sequence number. Nothing else points anywhere, so a shared
backend (SQLite, Redis) can hold the same records later.

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

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fakeclaude.server.batches import IdSource
from fakeclaude.server.clock import Clock
from fakeclaude.server.errors import ApiError
from fakeclaude.server.models_api import page

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
    """All files of one fake server. Every method returns wire JSON (or a ``StoredFile``) or raises ``ApiError``."""

    def __init__(self, clock: Clock, ids: IdSource, limits: FileLimits | None = None) -> None:
        self._clock = clock
        self._ids = ids
        self.limits = limits or FileLimits()
        self._files: OrderedDict[str, StoredFile] = OrderedDict()  # oldest first
        self._total = 0
        self._seq = 0
        self._lock = threading.RLock()

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
            self._seq += 1
            self._files[fid] = StoredFile(metadata, bytes(content), now, expires, self._seq)
            self._total += len(content)
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
        with self._lock:
            stored = self._files.get(file_id)
        if stored is None:
            raise not_found(file_id)
        return stored

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
        return dict(self.get(file_id).metadata)

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
        with self._lock:
            newest = [f for f in reversed(self._files.values()) if page_token is None or f.seq < page_token]
        chosen = newest[:limit]
        more = len(newest) > limit
        return [dict(f.metadata) for f in chosen], chosen[-1].seq if more and chosen else None

    def list_ids(self, ids: Iterable[str]) -> list[dict[str, Any]]:
        """The files among ``ids`` in the order asked, unknown and deleted ids silently left out."""
        with self._lock:
            found = [self._files.get(i) for i in dict.fromkeys(ids)]
        return [dict(f.metadata) for f in found if f is not None]

    def list_beta(self, before_id: str | None, after_id: str | None, limit: int | str | None) -> dict[str, Any]:
        """The beta shape ``{data, has_more, first_id, last_id}``, newest first (``models_api.page`` rules)."""
        with self._lock:
            newest = list(reversed(self._files.values()))
        return page(newest, lambda f: f.id, lambda f: dict(f.metadata), before_id, after_id, limit)

    def __len__(self) -> int:
        return len(self._files)

    @property
    def total_bytes(self) -> int:
        return self._total

    # ----- internals --------------------------------------------------------------------------------
    def _drop(self, file_id: str) -> bool:
        stored = self._files.pop(file_id, None)
        if stored is None:
            return False
        self._total -= len(stored.content)
        return True

    def _evict(self, keep: str) -> None:
        limits = self.limits
        while len(self._files) > limits.max_files or self._total > limits.max_total_bytes:
            oldest = next(iter(self._files))
            if oldest == keep:
                break
            self._drop(oldest)
