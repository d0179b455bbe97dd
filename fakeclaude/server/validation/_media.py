"""Checks of base64 images and PDFs (strict mode, after the schema).

Observed texts: ``<path>.image.source.base64: image exceeds 5 MB maximum: N bytes > 5242880 bytes``
(``N`` is the length of the base64 text), ``Image does not match the provided media type`` (prefixed
with the block path), ``A maximum of 100 PDF pages may be provided.``

API-shaped texts written here: ``<path>.data: Invalid base64 data.``, ``<path>: Could not process
image`` (bytes that are no jpeg/png/gif/webp), ``<path>.data: The PDF specified was not valid.``
"""

from __future__ import annotations

import binascii
import re
from typing import Any

from fakeclaude.server.validation._base import Ctx, fail

__all__ = ["MAX_IMAGE_BYTES", "MAX_PDF_PAGES", "check_media", "count_pdf_pages", "sniff_image"]

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PDF_PAGES = 100
_PAGE_RE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_WS = re.compile(r"\s+")


def sniff_image(head: bytes) -> str | None:
    """The media type the bytes' magic number says, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def count_pdf_pages(data: bytes) -> int:
    """Page objects in a PDF (``/Type /Page``, not ``/Pages``): enough for the page limit."""
    return len(_PAGE_RE.findall(data))


def _decode(ctx: Ctx, data: str, path: str) -> bytes:
    try:
        return binascii.a2b_base64(data, strict_mode=True)
    except (binascii.Error, ValueError):
        pass
    try:
        return binascii.a2b_base64(_WS.sub("", data), strict_mode=True)
    except (binascii.Error, ValueError):
        fail(ctx, f"{path}.data", "Invalid base64 data.")


def check_media(ctx: Ctx, media: list[tuple[str, str, dict[str, Any]]]) -> None:
    pages = 0
    for path, kind, src in media:
        data: str = src["data"]
        if kind == "image":
            if len(data) > MAX_IMAGE_BYTES:
                fail(ctx, path, f"image exceeds 5 MB maximum: {len(data)} bytes > {MAX_IMAGE_BYTES} bytes")
            raw = _decode(ctx, data, path)
            found = sniff_image(raw[:16])
            if found is None:
                fail(ctx, path, "Could not process image")
            if found != src["media_type"]:
                fail(
                    ctx,
                    path.removesuffix(".image.source.base64"),
                    "Image does not match the provided media type",
                )
        else:
            raw = _decode(ctx, data, path)
            if raw.lstrip()[:5] != b"%PDF-":
                fail(ctx, f"{path}.data", "The PDF specified was not valid.")
            pages += count_pdf_pages(raw)
            if pages > MAX_PDF_PAGES:
                fail(ctx, "", f"A maximum of {MAX_PDF_PAGES} PDF pages may be provided.")
