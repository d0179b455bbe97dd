"""Real, small media files written in code: images of every media type the API takes, and PDFs.

Each writer returns bytes that ordinary decoders open (Pillow, browsers, PDF readers) with exactly the
dimensions or pages asked for; nothing here depends on Hypothesis. The images are of one colour, which
keeps every format tiny and its encoder short:

- PNG: truecolour, 8 bits per channel, filter 0 on every row, zlib-compressed;
- JPEG: baseline, one greyscale component; every 8x8 block is flat, so each block is a zero DC
  difference and an end-of-block code (2 bits with one-symbol Huffman tables);
- GIF: GIF89a with a 4-colour table; LZW codes stay 3 bits wide by sending a clear code every two pixels;
- WebP: lossless (VP8L) with one-symbol prefix codes, so each pixel takes no bits at all.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

__all__ = ["IMAGE_WRITERS", "gif_bytes", "jpeg_bytes", "pdf_bytes", "png_bytes", "webp_bytes"]

Colour = tuple[int, int, int]


def _check(width: int, height: int, limit: int = 8000) -> None:
    if not (1 <= width <= limit and 1 <= height <= limit):
        raise ValueError(f"image dimensions must be 1-{limit} pixels, not {width}x{height}")


def png_bytes(width: int, height: int, colour: Colour = (200, 80, 20)) -> bytes:
    """A ``width`` x ``height`` PNG of one ``colour``."""
    _check(width, height)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(colour) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def jpeg_bytes(width: int, height: int, grey: int = 128) -> bytes:
    """A ``width`` x ``height`` baseline greyscale JPEG of one ``grey`` level (0-255)."""
    _check(width, height)

    def segment(marker: int, data: bytes) -> bytes:
        return struct.pack(">BBH", 0xFF, marker, len(data) + 2) + data

    dc = max(-1024, min(1016, (grey - 128) * 8))  # the DC coefficient of a flat block is 8 x (level - 128)
    quant = bytes([8] + [1] * 63)  # DC step 8: the first block's difference is a whole number of steps
    first = dc // 8
    blocks = ((width + 7) // 8) * ((height + 7) // 8)
    category = abs(first).bit_length()
    # DC table: category `category` (the first block) and 0 (the others); AC table: end-of-block only.
    two_codes = bytes([0x00, 0, 2] + [0] * 14 + [0, category])  # codes 00 (category 0) and 01 (category n)
    dc_table = two_codes if category else bytes([0x00, 1] + [0] * 15 + [0])  # or one code, 0, for category 0
    ac_table = bytes([0x10, 1] + [0] * 15 + [0x00])
    bits: list[str] = []
    for index in range(blocks):
        if index == 0 and category:
            extra = first if first > 0 else first + (1 << category) - 1
            bits.append("01" + format(extra, f"0{category}b"))
        else:
            bits.append("00" if category else "0")
        bits.append("0")  # end of block
    stream = "".join(bits)
    stream += "1" * (-len(stream) % 8)
    data = bytes(int(stream[i : i + 8], 2) for i in range(0, len(stream), 8)).replace(b"\xff", b"\xff\x00")
    return (
        b"\xff\xd8"
        + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
        + segment(0xDB, b"\x00" + quant)
        + segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
        + segment(0xC4, dc_table + ac_table)
        + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + data
        + b"\xff\xd9"
    )


def gif_bytes(width: int, height: int, colour: Colour = (20, 120, 220)) -> bytes:
    """A ``width`` x ``height`` GIF89a of one ``colour``."""
    _check(width, height)
    palette = bytes(colour) + b"\x00\x00\x00" + b"\xff\xff\xff" + b"\x80\x80\x80"
    clear, end = 4, 5
    codes = []
    for i in range(width * height):
        if i % 2 == 0:
            codes.append(clear)
        codes.append(0)
    codes.append(end)
    acc = nbits = 0
    packed = bytearray()
    for code in codes:  # 3-bit codes, least significant bit first
        acc |= code << nbits
        nbits += 3
        while nbits >= 8:
            packed.append(acc & 0xFF)
            acc >>= 8
            nbits -= 8
    if nbits:
        packed.append(acc & 0xFF)
    sub_blocks = b"".join(bytes([len(packed[i : i + 255])]) + packed[i : i + 255] for i in range(0, len(packed), 255))
    return (
        b"GIF89a"
        + struct.pack("<HHBBB", width, height, 0xF1, 0, 0)  # global table of 4 colours
        + palette
        + b"\x2c"
        + struct.pack("<HHHHB", 0, 0, width, height, 0)
        + b"\x02"  # LZW minimum code size
        + sub_blocks
        + b"\x00\x3b"
    )


def webp_bytes(width: int, height: int, colour: Colour = (30, 160, 90)) -> bytes:
    """A ``width`` x ``height`` lossless WebP of one opaque ``colour``."""
    _check(width, height, limit=16384)
    fields: list[tuple[int, int]] = [
        (0x2F, 8), (width - 1, 14), (height - 1, 14), (0, 1), (0, 3),  # signature, size, no alpha, version 0
        (0, 1), (0, 1), (0, 1),  # no transform, no colour cache, no meta prefix codes
    ]  # fmt: skip
    green, red, blue = colour[1], colour[0], colour[2]
    for symbol in (green, red, blue, 255):  # green, red, blue, alpha: one 8-bit symbol each
        fields += [(1, 1), (0, 1), (1, 1), (symbol, 8)]
    fields += [(1, 1), (0, 1), (0, 1), (0, 1)]  # distance: one 1-bit symbol (0)
    acc = nbits = 0
    for value, size in fields:
        acc |= value << nbits
        nbits += size
    payload = acc.to_bytes((nbits + 7) // 8, "little")
    chunk = b"VP8L" + struct.pack("<I", len(payload)) + payload + b"\x00" * (len(payload) % 2)
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


IMAGE_WRITERS: dict[str, Callable[[int, int], bytes]] = {
    "image/png": png_bytes,
    "image/jpeg": jpeg_bytes,
    "image/gif": gif_bytes,
    "image/webp": webp_bytes,
}
"""Media type -> ``writer(width, height) -> bytes``."""


def _pdf_text(text: str) -> str:
    safe = text.encode("latin-1", "replace").decode("latin-1")
    return safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_bytes(pages: list[str]) -> bytes:
    """A PDF 1.4 with one page (US Letter, Helvetica 12) per entry of ``pages`` showing its text.

    The cross-reference table has the objects' true offsets, so strict readers open it.
    """
    if not 1 <= len(pages) <= 100:
        raise ValueError(f"a PDF must have 1-100 pages (the API's limit), not {len(pages)}")
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, text in enumerate(pages):
        content = f"BT /F1 12 Tf 72 720 Td ({_pdf_text(text)}) Tj ET"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {5 + 2 * i} 0 R >>"
        )
        objects.append(f"<< /Length {len(content.encode('latin-1'))} >>\nstream\n{content}\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
