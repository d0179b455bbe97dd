"""The Files API's objects: a file's metadata, and the answer to deleting one.

``created_at`` / ``expires_at`` are :data:`~fakeclaude.types._datetime.Timestamp` fields: ``datetime``
objects that write back the exact text they came from (``2026-01-23T19:43:59.134000Z``).
"""

from typing import Literal

from ._base import BaseModel
from ._datetime import Timestamp

__all__ = ["DeletedFile", "FileMetadata"]


class FileMetadata(BaseModel):
    """A stored file: ``POST /v1/files``, ``GET /v1/files/{file_id}`` and the items of ``GET /v1/files``."""

    id: str
    type: Literal["file"]
    filename: str
    mime_type: str
    size_bytes: int
    created_at: Timestamp
    downloadable: bool | None = None
    """Only files a tool made (code execution, skills) can be downloaded; uploads cannot."""
    expires_at: Timestamp | None = None
    """When the file's bytes go (upload time + ``expires_in_seconds``); None when it does not expire."""


class DeletedFile(BaseModel):
    """The answer to ``DELETE /v1/files/{file_id}``."""

    id: str
    type: Literal["file_deleted"] | None = None
