"""The HTTP layer's own refusals, API-shaped, and the timeouts that keep slow or silent clients out.

aiohttp answers a request it cannot parse (a control character in a header, a header over 8,190
bytes, a bad URL) with a plain-text page that echoes the raw line, and logs it with a traceback: with
an ``x-api-key`` or a ``?key=`` in it, the key ends up in the reply and on stderr. Here those requests
get the API's JSON error instead (400, or 431 for an over-long line), naming what was wrong but never
echoing it, and one log line on ``fakeclaude.server`` without the request's bytes.

Timeouts (:class:`Timeouts`): a connection that sends no complete request head within ``idle`` seconds
(silent, or headers sent byte by byte, slowloris) is closed; a body that stops arriving for ``body``
seconds, or is not whole :data:`WHOLE_BODY_IDLES` times that after it began (a body trickled in), gets a
408 and the connection is closed; the rest of a refused body is dropped unparsed
(:meth:`_ApiShapedHandler.drop_body`: a gzip bomb is never inflated). The body's clock is a :class:`BodyWatch`: one timer
per connection, re-armed only when it comes due, instead of a timer made and cancelled per request.

    runner = ApiShapedServerRunner(service.handle_bare, timeouts=Timeouts(idle=30, body=30), ...)
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import (
    BadHttpMethod,
    ContentEncodingError,
    HttpProcessingError,
    InvalidURLError,
    LineTooLong,
)
from aiohttp.streams import StreamReader
from aiohttp.web_protocol import RequestHandler

from fakeclaude.server.adapters._guard import error_reply
from fakeclaude.server.errors import ApiError

__all__ = ["DECODED_ENCODINGS", "ApiShapedServerRunner", "BodyWatch", "Timeouts", "protocol_error", "unsupported_encoding"]

logger = logging.getLogger("fakeclaude.server")

_Handler = Callable[[web.BaseRequest], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Timeouts:
    """Seconds a connection may stay without sending a whole request head (``idle``), or within a body (``body``)."""

    idle: float = 60.0
    body: float = 30.0

    def __post_init__(self) -> None:
        if self.idle <= 0 or self.body <= 0:
            raise ValueError("timeouts must be > 0 seconds")


#: The ``Content-Encoding`` values aiohttp decodes as it reads a body (``br`` and ``zstd`` when their decoder is
#: installed, else :func:`protocol_error` answers them); any other is refused before the body is read.
DECODED_ENCODINGS = frozenset({"", "identity", "gzip", "deflate", "br", "zstd"})


def unsupported_encoding() -> ApiError:
    """The 400 for a ``Content-Encoding`` this server does not decode, with the ``error_code`` the SDK's
    ``RequestBodyEncodingUnsupportedError`` is chosen by."""
    return ApiError(400, "There was an error parsing the body of your request: its Content-Encoding is not "
                    "supported here (send it as identity, gzip or deflate)", "invalid_request_error",
                    details={"error_code": "request_body_encoding_unsupported"})


def protocol_error(exc: BaseException | None, status: int) -> ApiError:
    """The API's error for a request the HTTP layer refused; its message never quotes the request."""
    if isinstance(exc, LineTooLong):
        return ApiError(431, "Request header fields too large: a request line or header is longer than 8,190 bytes",
                        "invalid_request_error")
    if isinstance(exc, InvalidURLError):
        return ApiError(400, "Invalid request: the request URL could not be parsed", "invalid_request_error")
    if isinstance(exc, BadHttpMethod):
        return ApiError(400, "Invalid request: the request line is not HTTP", "invalid_request_error")
    if isinstance(exc, ContentEncodingError):  # one this server cannot decode (br, zstd: no decoder installed)
        return unsupported_encoding()
    if isinstance(exc, HttpProcessingError) or status == 400:
        return ApiError(400, "Invalid request: a header could not be parsed (a forbidden character or a malformed "
                        "line)", "invalid_request_error")
    if status == 504:
        return ApiError(504, "Request timed out")
    return ApiError(500, "Internal server error")


#: However it trickles in (a piece just before each ``idle`` timeout), a body must arrive whole within this
#: many ``idle`` timeouts: 300 s with the default 30 s (32 MB, the largest body, at about 110 KB/s).
WHOLE_BODY_IDLES = 10


class BodyWatch:
    """The clock of a body being read: ``TimeoutError`` in the reader once no piece came for ``idle`` seconds,
    or once the body is not whole :data:`WHOLE_BODY_IDLES` times ``idle`` after it began (its message says which).

    ``start(content, idle)`` before waiting for the pieces of ``content``, ``arrived()`` after each piece
    (the deadline moves on), ``stop()`` once the body is read (or given up). One timer serves every body
    of a connection: it is made when none is pending and, when it comes due before the deadline (a body
    that is still arriving, or the next request's), set again for the deadline; a timer due with no body
    being read lapses. ``close()`` cancels it (the connection is gone).
    """

    __slots__ = ("_content", "_deadline", "_end", "_handle", "_idle", "_loop")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._content: StreamReader | None = None
        self._deadline = 0.0
        self._end = 0.0  # when the body must be whole
        self._idle = 0.0
        self._handle: asyncio.TimerHandle | None = None

    def start(self, content: StreamReader, idle: float) -> None:
        self._content, self._idle = content, idle
        now = self._loop.time()
        self._deadline, self._end = now + idle, now + idle * WHOLE_BODY_IDLES
        handle = self._handle
        if handle is not None and handle.when() > self._deadline:  # a longer timeout before: due too late
            handle.cancel()
            handle = None
        if handle is None:
            self._handle = self._loop.call_at(self._deadline, self._due)

    def arrived(self) -> None:
        deadline = self._loop.time() + self._idle
        self._deadline = deadline if deadline < self._end else self._end

    def stop(self) -> None:
        self._content = None

    def close(self) -> None:
        self._content = None
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _due(self) -> None:
        self._handle = None
        content = self._content
        if content is None:
            return  # no body is being read: the timer lapses until the next one starts
        if self._loop.time() < self._deadline:
            self._handle = self._loop.call_at(self._deadline, self._due)
            return
        self._content = None
        said = (f"the body did not arrive whole within {self._idle * WHOLE_BODY_IDLES:g} seconds"
                if self._deadline >= self._end else f"no part of the body arrived for {self._idle:g} seconds")
        content.set_exception(TimeoutError(said))


class _ApiShapedHandler(RequestHandler):
    """aiohttp's connection handler, with ``handle_error`` answering in the API's shape without echoing,
    and one :class:`BodyWatch` for the bodies of its requests (``body_watch``)."""

    _watch: BodyWatch | None = None

    @property
    def body_watch(self) -> BodyWatch:
        """The connection's :class:`BodyWatch` (made on first use)."""
        if self._watch is None:
            self._watch = BodyWatch(asyncio.get_running_loop())
        return self._watch

    def connection_lost(self, exc: BaseException | None) -> None:
        super().connection_lost(exc)
        if self._watch is not None:
            self._watch.close()

    _dropping: tuple[StreamReader, int] | None = None  # a refused body's reader, and its bytes still to come

    def drop_body(self, content: StreamReader, remaining: int) -> None:
        """Parse nothing more on this connection: the ``remaining`` bytes of the refused body ``content`` are
        counted and dropped as they arrive (none is decoded), then the body ends, so aiohttp does not linger
        reading it and closes the connection once its answer is out."""
        self.close()
        self._dropping = (content, remaining)
        if remaining <= 0:
            content.feed_eof()

    def data_received(self, data: bytes) -> None:
        dropping = self._dropping
        if dropping is None:
            super().data_received(data)
            return
        content, remaining = dropping
        if remaining > 0:
            remaining -= len(data)
            self._dropping = (content, remaining)
            if remaining <= 0:
                content.feed_eof()

    def handle_error(self, request: Any, status: int = 500, exc: BaseException | None = None,
                     message: str | None = None) -> web.StreamResponse:
        error = protocol_error(exc, status)
        kind = type(exc).__name__ if exc is not None else "error"
        logger.warning("fakeclaude: refused a request from %s that HTTP could not parse (%s): %d %s",
                       request.remote, kind, error.status, error.message)
        if request.writer.output_size > 0:  # a reply is already on its way: only the connection can be cut
            raise ConnectionError("a response was already sent; the connection is closed")
        reply = error_reply(error)
        response = web.Response(status=reply.status, headers=reply.headers, body=reply.body)
        response.force_close()
        return response


class _ApiShapedServer(web.Server):
    """``web.Server`` building :class:`_ApiShapedHandler` connections (with the same options)."""

    def __call__(self) -> RequestHandler:
        return _ApiShapedHandler(self, loop=self._loop, **self._kwargs)


class ApiShapedServerRunner(web.ServerRunner):
    """A runner for aiohttp's low-level server calling ``handler`` for every request (no application, no
    router on the way), whose connections refuse unparsable requests in the API's shape, with ``timeouts``.

    ``server_options`` go to each connection (``access_log``, ``max_line_size``, ...).
    """

    def __init__(self, handler: _Handler, *, timeouts: Timeouts | None = None,
                 server_options: dict[str, Any] | None = None, **kwargs: Any) -> None:
        timeouts = timeouts or Timeouts()
        # aiohttp closes a connection waiting for a request head once the keep-alive time is up: the
        # head of every request, the first included, must arrive within ``idle`` seconds.
        server = _ApiShapedServer(handler, keepalive_timeout=timeouts.idle, **(server_options or {}))
        super().__init__(server, **kwargs)
