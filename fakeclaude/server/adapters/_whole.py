"""A whole reply written to the socket in one piece: status line, headers and body serialised here, once.

aiohttp's ``web.Response`` takes a reply through several layers on its way out (a header multidict
built and completed, a payload writer, a serialiser, a write for the head and the body); for a reply
whose every byte is known up front that costs more than the bytes themselves. :class:`WholeResponse`
writes the same bytes aiohttp would (``Content-Length``, ``Date``, ``Server``, ``Connection`` as
aiohttp sets them) with one ``transport.write`` when aiohttp's connection prepares it.

It answers only what it can answer exactly like aiohttp (:func:`fits`): HTTP/1.0 or 1.1, a body that
may be sent (not HEAD, 1xx, 204 or 304), a body of at most :data:`MAX_BODY_BYTES` (bigger ones go
through aiohttp's writer, which waits for the socket to drain), header names and values without CR
or LF (aiohttp refuses those). Anything else gets aiohttp's own ``web.Response``.
"""

from __future__ import annotations

import email.utils
import time
from http import HTTPStatus

from aiohttp import HttpVersion10, HttpVersion11, web
from aiohttp.abc import AbstractStreamWriter
from aiohttp.http import SERVER_SOFTWARE
from multidict import CIMultiDict

from fakeclaude.server.http import HttpReply

__all__ = ["MAX_BODY_BYTES", "WholeResponse", "fits", "reply_headers", "serialised"]

#: Bodies up to this size are written at once; bigger ones through aiohttp's writer (flow control).
MAX_BODY_BYTES = 64 * 1024

#: Set from the body (and the connection) here; an engine's own value would contradict it.
_OWN = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive"})
_EMPTY_BODY = frozenset({204, 304})
_STATUS_LINES: dict[tuple[int, int], str] = {}
_SERVER = f"Server: {SERVER_SOFTWARE}"


def fits(request: web.BaseRequest, reply: HttpReply) -> bool:
    """Whether ``reply`` to ``request`` can be written whole by :class:`WholeResponse`."""
    status = reply.status
    return (request.version in (HttpVersion11, HttpVersion10) and status >= 200 and status not in _EMPTY_BODY
            and len(reply.body) <= MAX_BODY_BYTES and request.method != "HEAD")


class _Clock:
    """The ``Date`` header's value, formatted once a second."""

    __slots__ = ("second", "value")

    def __init__(self) -> None:
        self.second = -1
        self.value = ""

    def now(self) -> str:
        second = int(time.time())
        if second != self.second:
            self.second, self.value = second, email.utils.formatdate(second, usegmt=True)
        return self.value


_clock = _Clock()


def _status_line(status: int, minor: int) -> str:
    line = _STATUS_LINES.get((status, minor))
    if line is None:
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:  # a status the standard library does not name
            reason = ""
        line = _STATUS_LINES[(status, minor)] = f"HTTP/1.{minor} {status} {reason}"
    return line


class _Layout:
    """How replies with one status and one list of header names are written on one HTTP version.

    ``template`` is the status line and the kept headers with a ``%s`` for each value (``kept`` says
    which values are kept); ``Content-Type`` (when absent), ``Date`` and ``Server`` (when absent) follow
    from ``typed``, ``dated`` and ``named``. ``valid`` is False when a name holds CR or LF.
    """

    __slots__ = ("dated", "kept", "named", "template", "typed", "valid")

    def __init__(self, status: int, minor: int, names: tuple[str, ...]) -> None:
        lowered = [name.lower() for name in names]
        self.kept: tuple[int, ...] | None = tuple(i for i, name in enumerate(lowered) if name not in _OWN)
        if len(self.kept) == len(names):
            self.kept = None  # every value, in order
        lines = [_status_line(status, minor)] + [
            names[i].replace("%", "%%") + ": %s" for i, name in enumerate(lowered) if name not in _OWN]
        self.template = "\r\n".join(lines)
        self.valid = not any("\r" in name or "\n" in name for name in names)
        self.typed = "content-type" in lowered
        self.dated = "date" in lowered
        self.named = "server" in lowered


#: Layouts by (status, HTTP minor version, header names); cleared when full (replies have few layouts).
_layouts: dict[tuple[int, int, tuple[str, ...]], _Layout] = {}
_MAX_LAYOUTS = 512


def serialised(reply: HttpReply, *, minor: int, keep_alive: bool) -> bytes | None:
    """The bytes of ``reply`` on an HTTP/1.``minor`` connection, or None when a header holds CR or LF."""
    headers = reply.headers
    key = (reply.status, minor, tuple(headers))
    layout = _layouts.get(key)
    if layout is None:
        if len(_layouts) >= _MAX_LAYOUTS:
            _layouts.clear()
        layout = _layouts[key] = _Layout(*key)
    values = tuple(headers.values())
    if layout.kept is not None:
        values = tuple([values[i] for i in layout.kept])
    joined = "".join(values)
    if not layout.valid or "\r" in joined or "\n" in joined:
        return None  # a CR or LF inside a name or a value: aiohttp's own writer refuses it
    body = reply.body
    tail = [layout.template % values, f"Content-Length: {len(body)}"]
    if body and not layout.typed:
        tail.append("Content-Type: application/octet-stream")
    if not layout.dated:
        tail.append(f"Date: {_clock.now()}")
    if not layout.named:
        tail.append(_SERVER)
    if keep_alive and minor == 0:
        tail.append("Connection: keep-alive")
    elif not keep_alive and minor == 1:
        tail.append("Connection: close")
    tail.append("\r\n")
    return "\r\n".join(tail).encode() + body


def reply_headers(reply: HttpReply) -> dict[str, str]:
    """``reply``'s headers for aiohttp's ``web.Response``: those it sets itself left out."""
    return {name: value for name, value in reply.headers.items() if name.lower() not in _OWN}


class WholeResponse(web.StreamResponse):
    """``reply`` (see :func:`fits`), written in one piece when aiohttp prepares it; ``write`` is refused.

    Its ``headers`` are the reply's (for the access log, say); the bytes on the wire are :func:`serialised`.
    """

    def __init__(self, reply: HttpReply) -> None:
        super().__init__(status=reply.status)
        self._reply = reply
        self._sent = False
        self._keep = True

    @property
    def headers(self) -> CIMultiDict[str]:
        """The reply's headers (made on first use: the bytes written do not depend on them)."""
        headers = super().headers
        if not headers and self._reply.headers:
            headers.extend(self._reply.headers)
        return headers

    @property
    def prepared(self) -> bool:
        return self._sent

    @property
    def keep_alive(self) -> bool:
        return self._keep

    def force_close(self) -> None:
        self._keep = False

    async def prepare(self, request: web.BaseRequest) -> AbstractStreamWriter | None:
        """Write the whole reply (once); a connection already closing raises ``ConnectionResetError``."""
        if self._sent:
            return None
        self._sent = True
        self._keep = self._keep and request.keep_alive
        data = serialised(self._reply, minor=request.version.minor, keep_alive=self._keep)
        if data is None:  # aiohttp's own writer answers (or refuses) what is not written here
            fallback = web.Response(status=self.status, headers=reply_headers(self._reply), body=self._reply.body)
            if not self._keep:
                fallback.force_close()
            await fallback.prepare(request)
            await fallback.write_eof()
            return None
        transport = request.transport
        if transport is None or transport.is_closing():
            raise ConnectionResetError("Cannot write to closing transport")
        transport.write(data)
        request.writer.output_size += len(data)
        return None

    async def write(self, data: bytes | bytearray | memoryview) -> None:
        raise RuntimeError("a WholeResponse is written whole when it is prepared")

    async def write_eof(self, data: bytes = b"") -> None:
        """Nothing is left to write once prepared."""
