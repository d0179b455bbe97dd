"""Image and PDF facts read straight from bytes (no Pillow): dimensions, image tokens, page counts."""

from __future__ import annotations

import math
import re
import struct

__all__ = ["image_dimensions", "image_tokens", "pdf_page_count"]

_MAX_EDGE = 1568
_MAX_TOKENS = 1600  # ~1.15 megapixels / 750


def image_tokens(width: int, height: int) -> int:
    """``width * height / 750`` after the documented downscale (long edge <= 1568 px, <= ~1600 tokens)."""
    if width <= 0 or height <= 0:
        return 0
    w, h = float(width), float(height)
    scale = min(1.0, _MAX_EDGE / max(w, h))
    w, h = w * scale, h * scale
    if w * h / 750 > _MAX_TOKENS:
        shrink = math.sqrt(_MAX_TOKENS * 750 / (w * h))
        w, h = w * shrink, h * shrink
    return max(1, math.ceil(int(w) * int(h) / 750))


def image_dimensions(data: bytes) -> tuple[int, int] | None:
    """``(width, height)`` from a PNG, JPEG, GIF or WebP header; ``None`` when unreadable."""
    try:
        if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
            w, h = struct.unpack(">II", data[16:24])
            return int(w), int(h)
        if data[:6] in (b"GIF87a", b"GIF89a"):
            w, h = struct.unpack("<HH", data[6:10])
            return int(w), int(h)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp(data)
        if data[:2] == b"\xff\xd8":
            return _jpeg(data)
    except (struct.error, IndexError):
        return None
    return None


def _webp(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X":
        w = int.from_bytes(data[24:27], "little") + 1
        h = int.from_bytes(data[27:30], "little") + 1
        return w, h
    if chunk == b"VP8L" and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        w, h = struct.unpack("<HH", data[26:30])
        return int(w) & 0x3FFF, int(h) & 0x3FFF
    return None


_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})


def _jpeg(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # standalone markers
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if marker in _SOF:
            h, w = struct.unpack(">HH", data[i + 5 : i + 9])
            return int(w), int(h)
        i += 2 + int(length)
    return None


_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_COUNT = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", re.S)


def pdf_page_count(data: bytes) -> int:
    """Pages of a PDF: the largest ``/Pages`` ``/Count`` (the root's), else its ``/Type /Page`` objects.

    At least 1, so unreadable bytes still cost a page.
    """
    counts = [int(a or b) for a, b in _COUNT.findall(data)]
    if counts:
        return max(max(counts), 1)
    return max(len(_PAGE.findall(data)), 1)
