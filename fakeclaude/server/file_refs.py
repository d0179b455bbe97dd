"""Files used in Messages requests: ``file_id`` sources and ``container_upload`` blocks (spec 2026 §5.5).

Where a request may name a stored file: ``{"type": "file", "file_id": ...}`` as the ``source`` of an
``image`` or ``document`` block (in a turn's content or inside a ``tool_result``'s content), and
``{"type": "container_upload", "file_id": ...}`` blocks. :func:`check_file_references` answers, in
document order, the first problem:

- an unknown (or deleted) id: 404 ``not_found_error`` ``File '<id>' not found``; an expired one: 404
  with ``error_code`` ``file_expired`` (texts in :mod:`fakeclaude.server.files`);
- a file whose type does not fit the block (documented 400, text not recorded, so written here):
  ``<path>: File '<id>' has type <mime>, which cannot be used in an image block`` (images take
  jpeg, png, gif and webp) or ``... in a document block`` (documents take PDF and plain text);
- a ``container_upload`` without a code execution tool in ``tools``:
  ``<path>: container_upload blocks require the code execution tool``.

:func:`file_bytes` is the lookup the token counter gets, so a file counts as its bytes inline would.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from fakeclaude.server.errors import ApiError
from fakeclaude.server.files import FileStore
from fakeclaude.server.tokens import FileBytes

__all__ = ["DOCUMENT_TYPES", "IMAGE_TYPES", "check_file_references", "file_bytes", "file_references"]

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
DOCUMENT_TYPES = frozenset({"application/pdf", "text/plain"})
_FITS = {"image": IMAGE_TYPES, "document": DOCUMENT_TYPES}


def file_bytes(store: FileStore) -> FileBytes:
    """``file_id -> (mime_type, bytes)`` of the store's usable files (None for the rest)."""

    def lookup(file_id: str) -> tuple[str, bytes] | None:
        stored = store.lookup(file_id)
        return None if stored is None else (stored.mime_type, stored.content)

    return lookup


def file_references(body: Mapping[str, Any]) -> Iterator[tuple[str, str, str]]:
    """``(path, block type, file_id)`` of every file a request's messages name, in document order."""
    messages = body.get("messages")
    if not isinstance(messages, list):
        return
    for i, message in enumerate(messages):
        content = message.get("content") if isinstance(message, Mapping) else None
        if isinstance(content, list):
            yield from _in_blocks(content, f"messages.{i}.content")


def _in_blocks(blocks: list[Any], prefix: str) -> Iterator[tuple[str, str, str]]:
    for j, block in enumerate(blocks):
        if not isinstance(block, Mapping):
            continue
        path, kind = f"{prefix}.{j}", block.get("type")
        if kind == "container_upload" and isinstance(block.get("file_id"), str):
            yield path, "container_upload", block["file_id"]
        elif kind in _FITS:
            source = block.get("source")
            if isinstance(source, Mapping) and source.get("type") == "file" and isinstance(source.get("file_id"), str):
                yield path, str(kind), source["file_id"]
        elif kind == "tool_result" and isinstance(block.get("content"), list):
            yield from _in_blocks(block["content"], f"{path}.content")


def _has_code_execution(body: Mapping[str, Any]) -> bool:
    tools = body.get("tools")
    return isinstance(tools, list) and any(
        isinstance(t, Mapping) and str(t.get("type", "")).startswith("code_execution") for t in tools
    )


def check_file_references(body: Mapping[str, Any], store: FileStore) -> None:
    """Raise the API's error for the first file reference in ``body`` that cannot be served."""
    for path, kind, file_id in file_references(body):
        if kind == "container_upload":
            if not _has_code_execution(body):
                raise ApiError(400, f"{path}: container_upload blocks require the code execution tool", path=path)
            store.usable(file_id)
            continue
        stored = store.usable(file_id)
        if stored.mime_type not in _FITS[kind]:
            raise ApiError(400, f"{path}: File '{file_id}' has type {stored.mime_type}, which cannot be used "
                                f"in {'an image' if kind == 'image' else 'a document'} block", path=path)
