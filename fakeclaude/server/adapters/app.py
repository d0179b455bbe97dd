"""The aiohttp service: every request on a real socket goes to an engine, every reply back out.

:class:`Service` answers every method and path (the engine answers unknown ones with API-shaped
errors): on aiohttp's low-level server for ``fakeclaude serve`` (``Service.handle_bare``: no router, no
middleware, the least per request), or behind one catch-all route of ``make_app``'s application. Whole
replies are written at once (``_whole.WholeResponse``: the bytes aiohttp would write, serialised in one
piece); streamed replies chunk by chunk after each chunk's delay, and a ``drop`` chunk closes the
connection mid-body so the client sees a broken stream. A body beyond the API's limit
gets 413 without being read to the end; an engine failure gets an API-shaped 500, never a traceback.
A script that fails (an impossible reply, a raising handler) is the engine's non-retried 400, as on
every other way in.

Each request is logged on ``fakeclaude.access`` (INFO) once answered: method, path, status, duration
and request id, never a header or a key. With a ``ControlApi``, paths under ``/_fakeclaude/`` go to it
instead of the engine (``fakeclaude serve``); without one they are the engine's (a 404).

A body of :data:`OFFLOAD_BYTES` or more is parsed, validated and answered in a worker thread, so that
one huge request does not hold every other client up; smaller ones are answered on the loop (faster).
A moment after such a body, the freed heap goes back to the operating system (``_heap``: glibc only).
A body that stops arriving for ``body_timeout`` seconds gets a 408 (so does one trickled in for ten times
that); one that cannot be decoded as its
``Content-Encoding`` says gets the API's 400 (the connection is closed after both, and after a 413; what
still arrives of such a body is dropped unparsed: a gzip bomb's rest is never inflated).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from aiohttp import HttpVersion11, web
from aiohttp.web_protocol import RequestPayloadError
from multidict import CIMultiDictProxy

from fakeclaude.server.adapters._chunks import coalesced
from fakeclaude.server.adapters._guard import (
    body_limit,
    error_reply,
    handle_safely,
    joined_headers,
    too_large_reply,
)
from fakeclaude.server.adapters._heap import heap_trimmer
from fakeclaude.server.adapters._protocol import DECODED_ENCODINGS, BodyWatch, unsupported_encoding
from fakeclaude.server.adapters._whole import WholeResponse, fits, reply_headers
from fakeclaude.server.control import ControlApi
from fakeclaude.server.errors import ApiError
from fakeclaude.server.header_view import HeaderViews
from fakeclaude.server.http import Engine, HttpReply, HttpRequest

__all__ = ["ENGINE_KEY", "OFFLOAD_BYTES", "Service", "make_app"]

logger = logging.getLogger("fakeclaude.server")
access_log = logging.getLogger("fakeclaude.access")

ENGINE_KEY: web.AppKey[Engine] = web.AppKey("fakeclaude_engine")
CONTROL_KEY: web.AppKey[ControlApi | None] = web.AppKey("fakeclaude_control")
BODY_TIMEOUT_KEY: web.AppKey[float] = web.AppKey("fakeclaude_body_timeout")

#: Bodies at least this big are handled in a worker thread (parsing 10^6 messages takes seconds).
OFFLOAD_BYTES = 256 * 1024


def make_app(engine: Engine, control: ControlApi | None = None, *, body_timeout: float = 30.0) -> web.Application:
    """An aiohttp application answering every method and path with ``engine`` (``/_fakeclaude/`` with ``control``)."""
    app = web.Application(client_max_size=0)  # the handler enforces the per-path limits itself
    app[ENGINE_KEY] = engine
    app[CONTROL_KEY] = control
    app[BODY_TIMEOUT_KEY] = body_timeout
    # (?s): a decoded %0A in the path matches too
    app.router.add_route("*", "/{tail:(?s:.*)}", Service(engine, control, body_timeout=body_timeout).handle)
    return app


class Service:
    """What answers every request on a socket: ``engine``, or ``control`` under ``/_fakeclaude/``.

    ``handle`` is an aiohttp handler for a route of an application (``make_app``) and, through
    ``handle_bare``, for aiohttp's low-level ``web.Server`` (``fakeclaude serve``: no router on the way).
    """

    __slots__ = ("_views", "body_timeout", "control", "engine")

    def __init__(self, engine: Engine, control: ControlApi | None = None, *, body_timeout: float = 30.0) -> None:
        self.engine = engine
        self.control = control
        self.body_timeout = body_timeout
        self._views = HeaderViews()  # a client's next request comes with the same headers

    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        """The reply to ``request``, then one access-log line (the duration includes a streamed body)."""
        if not access_log.isEnabledFor(logging.INFO):
            return await self._handle(request)
        start = time.perf_counter()
        response = await self._handle(request)
        millis = (time.perf_counter() - start) * 1000
        request_id = response.headers.get("request-id", "-")
        access_log.info("%s %s %d %.1fms %s", request.method, request.path, response.status, millis, request_id)
        return response

    async def handle_bare(self, request: web.BaseRequest) -> web.StreamResponse:
        """``handle`` for a server without an application: answers ``Expect: 100-continue`` first, as a
        route of an application does (a client waits for it before sending its body)."""
        if "Expect" in request.headers:
            refused = await _expect(request)
            if refused is not None:
                return refused
        if not access_log.isEnabledFor(logging.INFO):  # ``handle``'s first step, one coroutine less
            return await self._handle(request)
        return await self.handle(request)

    def answer(self, request: HttpRequest) -> HttpReply:
        """The control API's or the engine's reply (run on the loop, or in a worker thread for a big body)."""
        control = self.control
        if control is not None and control.owns(request.path):
            return control.handle(request)
        return handle_safely(self.engine, request)

    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        body: bytes | HttpReply
        if request.body_exists and _encoding(request) not in DECODED_ENCODINGS:  # aiohttp would pass them undecoded
            body = error_reply(unsupported_encoding())
        else:
            body = await _read_body(request, body_limit(request.path), self.body_timeout)
        if not body and request.content_length:  # bytes were sent and nothing came of decoding them
            body = _badly_encoded(request)
        if isinstance(body, HttpReply):
            response = web.Response(status=body.status, headers=reply_headers(body), body=body.body)
            response.force_close()  # the connection closes after this answer
            _drop_the_rest(request)
            return response
        http_request = HttpRequest(
            method=request.method.upper(),
            path=request.path,
            query=dict(request.query.items()) if request.query_string else {},
            headers=self._views.of_raw(request.raw_headers, request.headers, _lower_headers),
            body=body,
            query_string=request.query_string,
        )
        if len(body) >= OFFLOAD_BYTES:  # off the loop: other clients are served meanwhile
            reply = await asyncio.to_thread(self.answer, http_request)
            heap_trimmer.after_big_body(len(body))
        else:
            reply = self.answer(http_request)
        if reply.delay > 0:
            await asyncio.sleep(reply.delay)
        if reply.stream is None:
            if fits(request, reply):
                return WholeResponse(reply)
            return web.Response(status=reply.status, headers=reply_headers(reply), body=reply.body)
        return await _stream(request, reply)


async def _expect(request: web.BaseRequest) -> web.StreamResponse | None:
    """``100 Continue`` for ``Expect: 100-continue`` (HTTP/1.1); the API's 417 for any other expectation."""
    if request.version != HttpVersion11:
        return None
    if request.headers["Expect"].strip().lower() == "100-continue":
        await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        request.writer.output_size = 0  # the reply proper is still to come (see ``handle_error``)
        return None
    reply = error_reply(ApiError(417, "Expectation failed: only Expect: 100-continue is understood"))
    response = web.Response(status=reply.status, headers=reply_headers(reply), body=reply.body)
    response.force_close()
    return response


async def _read_body(request: web.BaseRequest, limit: int, idle: float) -> bytes | HttpReply:
    """The body; or the reply refusing it: 413 as soon as it is known to exceed ``limit`` (the rest is never
    read), 408 when it stops arriving for ``idle`` seconds, 400 when its content encoding is broken."""
    content = request.content
    if content.is_eof() and content.exception() is None:  # it all came with the head: no wait, no timer
        whole = content.read_nowait()
        return too_large_reply(decoded=_encoded(request)) if len(whole) > limit else whole
    if request.content_length is not None and request.content_length > limit:
        return too_large_reply()
    pieces: list[bytes] = []
    size = 0
    # ``fakeclaude serve``'s connections keep one watch for all their bodies; any other gets its own
    shared: BodyWatch | None = getattr(request.protocol, "body_watch", None)
    watch = shared if shared is not None else BodyWatch(asyncio.get_running_loop())
    watch.start(content, idle)
    try:
        while True:
            chunk = await content.readany()
            if not chunk:
                break
            pieces.append(chunk)
            size += len(chunk)
            if content.is_eof():  # the end came with this piece (as the SDK's one-piece body): no more waits
                rest = content.read_nowait()
                if rest:
                    pieces.append(rest)
                    size += len(rest)
            if size > limit:  # what was sent fits (checked above): too large once decoded, if it is encoded
                return too_large_reply(decoded=_encoded(request))
            if content.is_eof():
                break
            watch.arrived()
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)
    except TimeoutError as exc:  # ``BodyWatch`` says which: stalled, or trickled in for too long
        content.feed_eof()  # a stalled client gets its 408 and the connection closes, no lingering
        return error_reply(ApiError(408, f"Request timed out: {exc}"))
    except RequestPayloadError:  # aiohttp could not decode it (Content-Encoding, chunked framing)
        content.feed_eof()  # nothing more can be read: aiohttp must not linger reading (and fail again)
        return _badly_encoded(request)
    finally:
        watch.stop()
        if shared is None:
            watch.close()


def _drop_the_rest(request: web.BaseRequest) -> None:
    """What still arrives of a refused body is dropped unparsed, so a gzip bomb is never inflated and a slow
    upload costs no parsing. ``fakeclaude serve``'s connections end the body once its declared bytes are in
    (the client then reads its answer, the connection closes); aiohttp's own drop them while they linger."""
    protocol = request.protocol
    drop = getattr(protocol, "drop_body", None)
    if drop is None:
        protocol.close()
        return
    content = request.content
    compressed = getattr(content, "total_compressed_bytes", None)
    received = compressed if compressed is not None else content.total_bytes
    drop(content, (request.content_length or 0) - received)


def _encoding(request: web.BaseRequest) -> str:
    """The body's ``Content-Encoding``, lower case ('' when none is given)."""
    return request.headers.get("content-encoding", "").strip().lower()


def _encoded(request: web.BaseRequest) -> bool:
    """Whether the body was sent compressed (aiohttp decodes it as it is read)."""
    return _encoding(request) not in ("", "identity")


def _badly_encoded(request: web.BaseRequest) -> HttpReply:
    """The 400 for a body whose bytes did not decode: naming its Content-Encoding (one aiohttp decodes: any other
    was refused before), with the ``error_code`` the SDK's ``RequestBodyEncodingInvalidError`` is chosen by;
    else its framing."""
    if not _encoded(request):
        return error_reply(ApiError(400, "There was an error parsing the body of your request: its transfer "
                                         "encoding is malformed"))
    return error_reply(ApiError(400, f"There was an error parsing the body of your request: it is labelled "
                                     f"Content-Encoding: {_encoding(request)} but is not",
                                details={"error_code": "request_body_encoding_invalid"}))


def _lower_headers(headers: CIMultiDictProxy[str]) -> dict[str, str]:
    """The request's headers as the engine takes them (``joined_headers``), one pass when none repeats.

    A client sends the same header names on every request: their lower-case forms are kept per list
    of names (:data:`_LOWERED`, emptied when full), so only the values are paired up each time.
    """
    names = tuple(headers.keys())  # each name once, however often it was sent (multidict >= 6)
    if len(names) == len(headers):
        lowered = _LOWERED.get(names)
        if lowered is None:
            if len(_LOWERED) >= _MAX_LOWERED:
                _LOWERED.clear()
            lowered = _LOWERED[names] = tuple([name.lower() for name in names])
        paired = dict(zip(lowered, headers.values()))  # noqa: B905 (the same length, checked above)
        if len(paired) == len(headers):
            return paired
    return joined_headers(headers.items())  # a name sent more than once: its values joined


#: Lower-case header names by the list of names a request came with (few lists: one per kind of client).
_LOWERED: dict[tuple[str, ...], tuple[str, ...]] = {}
_MAX_LOWERED = 256


def _cut(request: web.BaseRequest, response: web.StreamResponse) -> None:
    """Close the connection mid-body: written chunks are flushed, the body's end is never sent."""
    response.force_close()
    if request.transport is not None:
        request.transport.close()


async def _stream(request: web.BaseRequest, reply: HttpReply) -> web.StreamResponse:
    """Write the chunks, each after its delay; chunks due at the same moment go out in one write.

    The bytes due last go out with the end of the body (one write, not two): each piece of bytes is held
    until the next step is known, and written before any wait, so nothing due is ever held back in time.
    """
    assert reply.stream is not None
    response = web.StreamResponse(status=reply.status, headers=reply_headers(reply))
    chunks = iter(reply.stream)
    held = b""
    try:
        await response.prepare(request)
        for step in coalesced(chunks):
            if held:
                await response.write(held)
                held = b""
            if isinstance(step, bytes):
                held = step
                continue
            if step.delay > 0:
                await asyncio.sleep(step.delay)
            if step.drop:
                _cut(request, response)
                return response
        await response.write_eof(held)
    except ConnectionError:  # the client went away (aiohttp's ClientConnectionResetError included)
        _cut(request, response)
    except Exception:  # what was due before the failure still goes out (``coalesced`` hands it over)
        logger.exception("fakeclaude: the engine failed mid-stream on %s %s", request.method, request.path)
        if held:
            with contextlib.suppress(ConnectionError):
                await response.write(held)
        _cut(request, response)
    finally:
        close = getattr(chunks, "close", None)
        if callable(close):
            close()
    return response
