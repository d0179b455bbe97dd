"""In-process transports: ``httpx2`` and ``httpx`` clients (sync and async) talk to an engine, no socket.

    client = httpx2.Client(transport=Httpx2Transport(engine))       # or httpx2.AsyncClient(...)
    sdk = anthropic.Anthropic(api_key="k", http_client=client)

A streamed reply arrives lazily, chunk by chunk, after each chunk's ``delay``; a ``drop`` chunk raises
the package's ``RemoteProtocolError`` as a cut connection would. A delay longer than the request's read
timeout raises ``ReadTimeout`` after that timeout, as a slow server would.

Also here, shared with the aiohttp application: the request body limits, the adapter's own error
replies (413 beyond the limit, 500 when the engine fails) and ``handle_safely``.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import time
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from typing import Any, ClassVar

import anyio
import httpx
import httpx2

from .._json import dumps
from .errors import ApiError
from .http import Engine, HttpRequest, Reply, StreamChunk

__all__ = ["HttpxTransport", "Httpx2Transport"]

logger = logging.getLogger("fakeclaude.server")

#: The API's request size limits (spec §5.2): 32 MB for Messages and the rest, 256 MB for batches.
MAX_BODY_BYTES = 32 * 1024 * 1024
MAX_BATCH_BODY_BYTES = 256 * 1024 * 1024

#: Chunks due at the same moment are handed over together, up to about this many bytes (as the app writes).
COALESCE_BYTES = 64 * 1024
_DROP_MESSAGE = "peer closed connection without sending complete message body (incomplete chunked read)"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_error_count = itertools.count()


def body_limit(path: str) -> int:
    """The largest request body accepted on ``path``."""
    return MAX_BATCH_BODY_BYTES if path.rstrip("/") == "/v1/messages/batches" else MAX_BODY_BYTES


def _request_id() -> str:
    """A ``req_011C…`` id for the adapter's own replies; deterministic in order, never an engine id."""
    value = int.from_bytes(hashlib.sha256(f"fakeclaude.adapter:{next(_error_count)}".encode()).digest(), "big")
    chars = []
    for _ in range(20):
        value, digit = divmod(value, 58)
        chars.append(_B58[digit])
    return "req_011C" + "".join(chars)


def error_reply(error: ApiError, *, request_id_in_body: bool = True) -> Reply:
    """``error`` as an API-shaped JSON reply with a ``request-id`` header."""
    request_id = _request_id()
    body = error.body(request_id if request_id_in_body else None)
    headers = {
        "content-type": "application/json",
        "request-id": request_id,
        "x-should-retry": "true" if error.status >= 500 else "false",
        **error.headers,
    }
    return Reply(error.status, headers, dumps(body))


def too_large_reply() -> Reply:
    """The 413 answered (as by the API's proxy, without ``request_id`` in the body) beyond the limit."""
    return error_reply(ApiError(413, "Request exceeds the maximum size"), request_id_in_body=False)


def handle_safely(engine: Engine, request: HttpRequest) -> Reply:
    """``engine.handle(request)``; an oversized body gets 413 and an engine failure a logged 500."""
    if len(request.body) > body_limit(request.path):
        return too_large_reply()
    try:
        return engine.handle(request)
    except ApiError as exc:
        return error_reply(exc)
    except Exception:
        logger.exception("fakeclaude: the engine failed on %s %s", request.method, request.path)
        return error_reply(ApiError(500, "Internal server error"))


def joined_headers(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Header pairs as a dict with lower-case names; repeated headers joined with ``", "``."""
    out: dict[str, str] = {}
    for name, value in items:
        key = name.lower()
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


def _to_http_request(request: httpx2.Request | httpx.Request) -> HttpRequest:
    return HttpRequest(
        method=request.method.upper(),
        path=request.url.path,
        query=dict(request.url.params.multi_items()) if request.url.query else {},  # skip parsing an empty query
        headers=dict(request.headers.items()),  # lower-case names, repeated headers joined with ", "
        body=request.content,
    )


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
        self._read_timeout = read_timeout

    def _next(self) -> StreamChunk | None:
        try:
            return next(self._chunks)
        except StopIteration:
            return None
        except Exception as exc:
            logger.exception("fakeclaude: the engine failed mid-stream")
            raise self.protocol_error(_DROP_MESSAGE) from exc

    def _data(self, chunk: StreamChunk) -> bytes:
        if _too_slow(chunk.delay, self._read_timeout):
            raise self.timeout_error("The read operation timed out")
        if chunk.drop:
            raise self.protocol_error(_DROP_MESSAGE)
        return chunk.data

    def __iter__(self) -> Iterator[bytes]:
        due = bytearray()  # chunks due at the same moment are handed over together, as over a socket
        try:
            while True:
                try:
                    chunk = self._next()
                except Exception:
                    if due:
                        yield bytes(due)  # what arrived before the failure still arrives
                    raise
                if chunk is None:
                    break
                if (chunk.delay > 0 or chunk.drop) and due:
                    yield bytes(due)
                    due.clear()
                if chunk.delay > 0:
                    time.sleep(_pause(chunk.delay, self._read_timeout))
                due += self._data(chunk)
                if len(due) >= COALESCE_BYTES:
                    yield bytes(due)
                    due.clear()
            if due:
                yield bytes(due)
        finally:
            self.close()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        due = bytearray()
        try:
            while True:
                try:
                    chunk = self._next()
                except Exception:
                    if due:
                        yield bytes(due)
                    raise
                if chunk is None:
                    break
                if (chunk.delay > 0 or chunk.drop) and due:
                    yield bytes(due)
                    due.clear()
                if chunk.delay > 0:
                    await anyio.sleep(_pause(chunk.delay, self._read_timeout))
                due += self._data(chunk)
                if len(due) >= COALESCE_BYTES:
                    yield bytes(due)
                    due.clear()
            if due:
                yield bytes(due)
        finally:
            self.close()

    def close(self) -> None:
        close = getattr(self._chunks, "close", None)
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

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _reply(self, request: httpx2.Request | httpx.Request) -> tuple[Reply, float | None]:
        return handle_safely(self.engine, _to_http_request(request)), _read_timeout(request)

    def _check_first_byte(self, reply: Reply, read_timeout: float | None) -> None:
        if _too_slow(reply.delay, read_timeout):
            raise self.stream_class.timeout_error("The read operation timed out")

    def _response(self, reply: Reply, read_timeout: float | None) -> Any:
        headers = list(reply.headers.items())
        if reply.stream is None:
            return self.response_class(reply.status, headers=headers, content=reply.body)
        return self.response_class(reply.status, headers=headers, stream=self.stream_class(reply.stream, read_timeout))

    def _sync(self, request: httpx2.Request | httpx.Request) -> Any:
        request.read()
        reply, read_timeout = self._reply(request)
        if reply.delay > 0:
            time.sleep(_pause(reply.delay, read_timeout))
        self._check_first_byte(reply, read_timeout)
        return self._response(reply, read_timeout)

    async def _async(self, request: httpx2.Request | httpx.Request) -> Any:
        await request.aread()
        reply, read_timeout = self._reply(request)
        if reply.delay > 0:
            await anyio.sleep(_pause(reply.delay, read_timeout))
        self._check_first_byte(reply, read_timeout)
        return self._response(reply, read_timeout)


class Httpx2Transport(_EngineTransport, httpx2.BaseTransport, httpx2.AsyncBaseTransport):
    """An engine as an ``httpx2`` transport, for ``httpx2.Client`` and ``httpx2.AsyncClient`` alike."""

    stream_class = _Httpx2Stream
    response_class = httpx2.Response

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

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response: httpx.Response = self._sync(request)
        return response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response: httpx.Response = await self._async(request)
        return response
