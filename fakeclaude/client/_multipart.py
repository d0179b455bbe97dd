"""``multipart/form-data`` bodies for uploads, from what the official SDK accepts as a file.

A file is given as the SDK's ``FileTypes``: its content (``bytes``, a path, or a binary file object), or
a tuple ``(filename, content)``, ``(filename, content, mime_type)`` or ``(filename, content, mime_type,
headers)``. As in the SDK (through httpx): a path or a named file object gives its last path component
as the filename, bare bytes are named ``upload``; a part's type is the one given, else guessed from the
filename, else ``application/octet-stream``. The content is read once, so a retried upload sends the
same bytes.

>>> content_type, body = encode_multipart({"expires_in_seconds": "3600"}, {"file": ("a.txt", b"hi", "text/plain")},
...                                       boundary="b0")
>>> content_type
'multipart/form-data; boundary=b0'
>>> print(body.decode().replace("\\r\\n", "|"))
--b0|Content-Disposition: form-data; name="expires_in_seconds"||3600|--b0|Content-Disposition: form-data; name="file"; filename="a.txt"|Content-Type: text/plain||hi|--b0--|
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Mapping
from pathlib import Path
from typing import IO, TypeAlias

__all__ = ["FileContent", "FileTypes", "encode_multipart", "read_file"]

FileContent: TypeAlias = "bytes | IO[bytes] | os.PathLike[str]"
FileTypes: TypeAlias = (
    "FileContent | tuple[str | None, FileContent] | tuple[str | None, FileContent, str | None]"
    " | tuple[str | None, FileContent, str | None, Mapping[str, str]]"
)

_OCTET = "application/octet-stream"


def _quote(name: str) -> str:
    """A form-data parameter value as browsers (and httpx) write it."""
    return name.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def _content(value: FileContent) -> tuple[str | None, bytes]:
    """``(name it carries, bytes)`` of a file's content."""
    if isinstance(value, bytes | bytearray | memoryview):
        return None, bytes(value)
    if isinstance(value, os.PathLike):
        path = Path(os.fspath(value))
        return path.name, path.read_bytes()
    if hasattr(value, "read"):
        data = value.read()
        if isinstance(data, str):
            raise TypeError("Expected a file opened in binary mode ('rb'), got text")
        name = getattr(value, "name", None)
        return (Path(name).name if isinstance(name, str) and name else None), bytes(data)
    raise TypeError(f"Expected bytes, a path or a binary file object as file content, not {type(value).__name__}")


def read_file(file: FileTypes) -> tuple[str, bytes, str, Mapping[str, str]]:
    """``(filename, bytes, mime type, extra part headers)`` of one ``FileTypes`` value."""
    headers: Mapping[str, str] = {}
    mime: str | None = None
    if isinstance(file, tuple):
        if not 2 <= len(file) <= 4:
            raise TypeError("A file tuple is (filename, content[, mime_type[, headers]])")
        given, value = file[0], file[1]
        if len(file) >= 3:
            mime = file[2]
        if len(file) == 4:
            headers = file[3]
        carried, data = _content(value)
        name = given if given is not None else carried or "upload"
    else:
        carried, data = _content(file)
        name = carried or "upload"
    if not mime:
        mime = mimetypes.guess_type(name)[0] or _OCTET
    return name, data, mime, headers


def encode_multipart(
    fields: Mapping[str, str], files: Mapping[str, FileTypes], *, boundary: str | None = None
) -> tuple[str, bytes]:
    """``(Content-Type header, body)`` of a form with text ``fields`` then ``files``."""
    mark = boundary or os.urandom(16).hex()
    dash = f"--{mark}\r\n".encode()
    parts: list[bytes] = []
    for name, value in fields.items():
        parts += [dash, f'Content-Disposition: form-data; name="{_quote(name)}"\r\n\r\n'.encode(),
                  value.encode(), b"\r\n"]
    for name, file in files.items():
        filename, data, mime, headers = read_file(file)
        head = f'Content-Disposition: form-data; name="{_quote(name)}"; filename="{_quote(filename)}"\r\n'
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items() if k.lower() != "content-type")
        head += f"Content-Type: {mime}\r\n\r\n"
        parts += [dash, head.encode(), data, b"\r\n"]
    parts.append(f"--{mark}--\r\n".encode())
    return f"multipart/form-data; boundary={mark}", b"".join(parts)
