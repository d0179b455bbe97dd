"""In-process transports: ``httpx2`` and ``httpx`` clients (sync and async) talk to an engine, no socket.

    client = httpx2.Client(transport=Httpx2Transport(engine))       # or httpx2.AsyncClient(...)
    sdk = anthropic.Anthropic(api_key="k", http_client=client)

A streamed reply arrives lazily, chunk by chunk, after each chunk's ``delay``; a ``drop`` chunk raises
the package's ``RemoteProtocolError`` as a cut connection would. A delay longer than the request's read
timeout raises ``ReadTimeout`` after that timeout, as a slow server would.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from typing import Any, ClassVar

import anyio
import httpx
import httpx2

from fakeclaude.server.adapters._chunks import Pause, coalesced
from fakeclaude.server.adapters._guard import handle_safely
from fakeclaude.server.header_view import HeaderViews
from fakeclaude.server.http import Engine, HttpReply, HttpRequest, StreamChunk

__all__ = ["HttpxTransport", "Httpx2Transport"]

logger = logging.getLogger("fakeclaude.server")

_DROP_MESSAGE = "peer closed connection without sending complete message body (incomplete chunked read)"


def _to_http_request(request: httpx2.Request | httpx.Request, views: HeaderViews) -> HttpRequest:
    return HttpRequest(
        method=request.method.upper(),
        path=request.url.path,
        query=dict(request.url.params.multi_items()) if request.url.query else {},  # skip parsing an empty query
        headers=views.of(request.headers),
        body=request.content,
        query_string=request.url.query.decode("ascii", "replace"),
    )


def _headers_shaped_as_expected(headers_class: Any) -> bool:
    """Whether ``headers_class`` keeps its pairs as both packages do today: ``_list`` of (raw name, lower-case
    name, value) bytes, copied by the response's constructor."""
    try:
        made = headers_class([("X-A", "b")])
        return bool(made._list == [(b"X-A", b"x-a", b"b")] and hasattr(made, "_encoding"))
    except Exception:  # another version's internals: the public constructor it is
        return False


def _wire_headers(headers_class: Any, fast: bool, pairs: list[tuple[str, str]]) -> Any:
    """``headers_class(pairs)``: for ASCII text pairs (the engine's), the same pairs built in one loop instead of
    two calls per pair; anything else (bytes, other types, beyond ASCII) through the public constructor."""
    if fast:
        try:
            entries = []
            for name, value in pairs:
                raw = name.encode("ascii")
                entries.append((raw, raw.lower(), value.encode("ascii")))
        except (AttributeError, UnicodeEncodeError):
            return headers_class(pairs)  # the package's own reading (or its own error)
        made = headers_class.__new__(headers_class)
        made._list, made._encoding = entries, None
        return made
    return headers_class(pairs)


def _read_timeout(request: httpx2.Request | httpx.Request) -> float | None:
    timeout: Mapping[str, float | None] = request.extensions.get("timeout") or {}
    return timeout.get("read")


def _too_slow(delay: float, read_timeout: float | None) -> bool:
    return read_timeout is not None and delay > read_timeout


def _pause(delay: float, read_timeout: float | None) -> float:
    """How long to wait for a ``delay``: all of it, or the read timeout when that comes first."""
    return delay if read_timeout is None else min(delay, read_timeout)


class _ChunkStream:
    """An engine's chunks as a lazy byte stream, sync and async; ``close()`` closes the chunk iterator."""

    protocol_error: ClassVar[type[Exception]]
    timeout_error: ClassVar[type[Exception]]

    def __init__(self, chunks: Iterable[StreamChunk], read_timeout: float | None) -> None:
        self._chunks = iter(chunks)
        self._steps = coalesced(self._chunks)
        self._read_timeout = read_timeout

    def _next(self) -> bytes | Pause | None:
        try:
            return next(self._steps)
        except StopIteration:
            return None
        except Exception as exc:
            logger.exception("fakeclaude: the engine failed mid-stream")
            raise self.protocol_error(_DROP_MESSAGE) from exc

    def _after_pause(self, pause: Pause) -> None:
        if _too_slow(pause.delay, self._read_timeout):
            raise self.timeout_error("The read operation timed out")
        if pause.drop:
            raise self.protocol_error(_DROP_MESSAGE)

    def __iter__(self) -> Iterator[bytes]:
        try:
            while (step := self._next()) is not None:
                if isinstance(step, bytes):
                    yield step
                    continue
                if step.delay > 0:
                    time.sleep(_pause(step.delay, self._read_timeout))
                self._after_pause(step)
        finally:
            self.close()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            while (step := self._next()) is not None:
                if isinstance(step, bytes):
                    yield step
                    continue
                if step.delay > 0:
                    await anyio.sleep(_pause(step.delay, self._read_timeout))
                self._after_pause(step)
        finally:
            self.close()

    def close(self) -> None:
        self._steps.close()
        close = getattr(self._chunks, "close", None)  # also when the steps never started
        if callable(close):
            close()

    async def aclose(self) -> None:
        self.close()


class _Httpx2Stream(_ChunkStream, httpx2.SyncByteStream, httpx2.AsyncByteStream):
    protocol_error = httpx2.RemoteProtocolError
    timeout_error = httpx2.ReadTimeout


class _HttpxStream(_ChunkStream, httpx.SyncByteStream, httpx.AsyncByteStream):
    protocol_error = httpx.RemoteProtocolError
    timeout_error = httpx.ReadTimeout


class _EngineTransport:
    """What both transports share: request in, reply (delayed as asked) out, response built per package."""

    stream_class: ClassVar[type[_ChunkStream]]
    response_class: ClassVar[Any]
    headers_class: ClassVar[Any]
    fast_headers: ClassVar[bool]  # the package's headers built without a call per pair (see _wire_headers)

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._views = HeaderViews()

    def http_request(self, request: httpx2.Request | httpx.Request) -> HttpRequest:
        """``request`` as the engine takes it."""
        return _to_http_request(request, self._views)

    def _reply(self, request: httpx2.Request | httpx.Request) -> tuple[HttpReply, float | None]:
        return handle_safely(self.engine, _to_http_request(request, self._views)), _read_timeout(request)

    def _check_first_byte(self, reply: HttpReply, read_timeout: float | None) -> None:
        if _too_slow(reply.delay, read_timeout):
            raise self.stream_class.timeout_error("The read operation timed out")

    def _response(self, reply: HttpReply, read_timeout: float | None) -> Any:
        pairs = list(reply.headers.items())
        if reply.stream is None and "content-length" not in reply.headers:  # what the package adds itself, for less
            pairs.append(("content-length", str(len(reply.body))))
        headers = _wire_headers(self.headers_class, self.fast_headers, pairs)
        if reply.stream is None:
            return self.response_class(reply.status, headers=headers, content=reply.body)
        return self.response_class(reply.status, headers=headers, stream=self.stream_class(reply.stream, read_timeout))

    def _sync(self, request: httpx2.Request | httpx.Request) -> Any:
        request.read()
        reply, read_timeout = self._reply(request)
        if reply.delay > 0:  # no delay is ever too slow
            time.sleep(_pause(reply.delay, read_timeout))
            self._check_first_byte(reply, read_timeout)
        return self._response(reply, read_timeout)

    async def _async(self, request: httpx2.Request | httpx.Request) -> Any:
        await request.aread()
        reply, read_timeout = self._reply(request)
        if reply.delay > 0:  # no delay is ever too slow
            await anyio.sleep(_pause(reply.delay, read_timeout))
            self._check_first_byte(reply, read_timeout)
        return self._response(reply, read_timeout)


class Httpx2Transport(_EngineTransport, httpx2.BaseTransport, httpx2.AsyncBaseTransport):
    """An engine as an ``httpx2`` transport, for ``httpx2.Client`` and ``httpx2.AsyncClient`` alike."""

    stream_class = _Httpx2Stream
    response_class = httpx2.Response
    headers_class = httpx2.Headers
    fast_headers = _headers_shaped_as_expected(httpx2.Headers)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        response: httpx2.Response = self._sync(request)
        return response

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        response: httpx2.Response = await self._async(request)
        return response


class HttpxTransport(_EngineTransport, httpx.BaseTransport, httpx.AsyncBaseTransport):
    """An engine as an ``httpx`` transport, for ``httpx.Client`` and ``httpx.AsyncClient`` alike."""

    stream_class = _HttpxStream
    response_class = httpx.Response
    headers_class = httpx.Headers
    fast_headers = _headers_shaped_as_expected(httpx.Headers)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response: httpx.Response = self._sync(request)
        return response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response: httpx.Response = await self._async(request)
        return response
