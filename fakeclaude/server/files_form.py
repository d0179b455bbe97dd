"""The ``POST /v1/files`` body: ``multipart/form-data`` read into an :class:`Upload`, or the API's 400.

Parsing is python-multipart's (the streaming parser behind Starlette); this module only maps its parts
to the upload's fields:

- ``file`` (required): the bytes, the part's ``filename`` (last path component kept; absent or empty
  gives ``unnamed`` plus the extension of the mime type, as the SDK documents) and its
  ``Content-Type`` as ``mime_type``. A part sent without a type, or as ``application/octet-stream``,
  gets the type its magic number says (PNG, JPEG, GIF, WebP, PDF) when it has one: the fake's
  choice, so that bytes uploaded without a name can still be used as an image or a document.
- ``expires_in_seconds`` (optional): an integer from 3600 to 7,776,000.

Texts written here (no recording): ``There was an error parsing the body of your request as
multipart/form-data: <reason>``, ``file: Field required``, and pydantic-style range texts for
``expires_in_seconds``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from fakeclaude.server.errors import ApiError
from fakeclaude.server.files import EXPIRES_IN_RANGE

__all__ = ["Upload", "parse_upload", "sniff_mime"]

_EXTENSIONS = {
    "application/pdf": ".pdf",
    "text/plain": ".txt",
    "text/csv": ".csv",
    "text/markdown": ".md",
    "text/html": ".html",
    "application/json": ".json",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/zip": ".zip",
}
_OCTET = "application/octet-stream"
# The parser logs each malformed body it meets; the 400 already says it, so nothing reaches stderr
# unless the application configured logging.
logging.getLogger("python_multipart").addHandler(logging.NullHandler())
_PREFIX = "There was an error parsing the body of your request as multipart/form-data"


@dataclass(frozen=True)
class Upload:
    """What an upload asks to store."""

    content: bytes
    filename: str
    mime_type: str
    expires_in_seconds: int | None = None


@dataclass
class _Part:
    headers: dict[str, bytes] = field(default_factory=dict)
    data: bytearray = field(default_factory=bytearray)


def sniff_mime(head: bytes) -> str | None:
    """The media type the bytes' magic number names (images and PDF), or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.lstrip()[:5] == b"%PDF-":
        return "application/pdf"
    return None


def _bad(reason: str) -> ApiError:
    return ApiError(400, f"{_PREFIX}: {reason}")


def _parts(content_type: str, body: bytes) -> list[_Part]:
    kind, options = parse_options_header(content_type)
    if kind != b"multipart/form-data":
        raise _bad(f"expected Content-Type multipart/form-data, got {content_type or 'none'!r}")
    boundary = options.get(b"boundary")
    if not boundary:
        raise _bad("the Content-Type header has no boundary")
    parts: list[_Part] = []
    name: list[bytes] = []
    value: list[bytes] = []
    ended: list[bool] = []

    def on_part_begin() -> None:
        parts.append(_Part())

    def on_part_data(data: bytes, start: int, end: int) -> None:
        parts[-1].data += data[start:end]

    def on_header_field(data: bytes, start: int, end: int) -> None:
        name.append(data[start:end])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        value.append(data[start:end])

    def on_header_end() -> None:
        parts[-1].headers[b"".join(name).decode("latin-1").lower()] = b"".join(value)
        name.clear()
        value.clear()

    def on_end() -> None:
        ended.append(True)

    parser = MultipartParser(boundary, {
        "on_part_begin": on_part_begin, "on_part_data": on_part_data, "on_header_field": on_header_field,
        "on_header_value": on_header_value, "on_header_end": on_header_end, "on_end": on_end,
    })
    try:
        parser.write(body)
        parser.finalize()
    except MultipartParseError as exc:
        raise _bad(str(exc) or "malformed body") from None
    if not ended:
        raise _bad("the body ends before its closing boundary")
    return parts


def _field_name(part: _Part) -> tuple[str | None, str | None]:
    disposition = part.headers.get("content-disposition")
    if disposition is None:
        raise _bad("a part has no Content-Disposition header")
    kind, options = parse_options_header(disposition)
    if kind != b"form-data":
        raise _bad("a part is not form-data")
    raw_name, raw_file = options.get(b"name"), options.get(b"filename")
    return (raw_name.decode("utf-8", "replace") if raw_name is not None else None,
            raw_file.decode("utf-8", "replace") if raw_file is not None else None)


def _filename(raw: str | None, mime_type: str) -> str:
    last = (raw or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return last or "unnamed" + _EXTENSIONS.get(mime_type, "")


def _expires(text: str) -> int:
    try:
        seconds = int(text.strip())
    except ValueError:
        raise ApiError(400, "expires_in_seconds: Input should be a valid integer, "
                            "unable to parse string as an integer") from None
    low, high = EXPIRES_IN_RANGE
    if seconds < low:
        raise ApiError(400, f"expires_in_seconds: Input should be greater than or equal to {low}")
    if seconds > high:
        raise ApiError(400, f"expires_in_seconds: Input should be less than or equal to {high}")
    return seconds


def parse_upload(content_type: str, body: bytes) -> Upload:
    """The upload in ``body`` (sent with ``content_type``), or the 400 that names what is wrong."""
    file_part: _Part | None = None
    file_name: str | None = None
    expires: int | None = None
    for part in _parts(content_type, body):
        name, filename = _field_name(part)
        if name == "file":
            file_part, file_name = part, filename
        elif name == "expires_in_seconds":
            expires = _expires(bytes(part.data).decode("utf-8", "replace"))
    if file_part is None:
        raise ApiError(400, "file: Field required")
    content = bytes(file_part.data)
    declared = file_part.headers.get("content-type", b"").decode("latin-1")
    mime = parse_options_header(declared)[0].decode("latin-1") if declared else ""
    if not mime or mime == _OCTET:
        mime = sniff_mime(content[:16]) or mime or _OCTET
    return Upload(content, _filename(file_name, mime), mime, expires)
