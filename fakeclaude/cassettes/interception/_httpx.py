"""httpx and httpx2 (one module serves both: they share their transport API)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from ..playback import Prepared
from ..recorder import Recorder, Tee, drop_message, header_lists
from . import _state

__all__ = ["httpx_patches"]


def _stream_classes(mod: Any) -> tuple[type, type]:
    class TeeStream(mod.SyncByteStream, mod.AsyncByteStream):  # type: ignore[misc]
        def __init__(self, inner: Any, tee: Tee) -> None:
            self.inner, self.tee = inner, tee

        def __iter__(self) -> Iterator[bytes]:
            try:
                for chunk in self.inner:
                    self.tee.chunk(chunk)
                    yield chunk
            except Exception as exc:  # the connection was cut: recorded as such, then as it came
                self.tee.finish(dropped=drop_message(exc))
                raise
            self.tee.finish()

        async def __aiter__(self) -> AsyncIterator[bytes]:
            try:
                async for chunk in self.inner:
                    self.tee.chunk(chunk)
                    yield chunk
            except Exception as exc:
                self.tee.finish(dropped=drop_message(exc))
                raise
            self.tee.finish()

        def close(self) -> None:
            try:
                self.inner.close()
            finally:
                self.tee.finish(closed=True)

        async def aclose(self) -> None:
            try:
                await self.inner.aclose()
            finally:
                self.tee.finish(closed=True)

    class ReplayStream(mod.SyncByteStream, mod.AsyncByteStream):  # type: ignore[misc]
        __slots__ = ("chunks", "delays", "dropped", "request")

        def __init__(self, prepared: Prepared, delays: list[float] | None, request: Any) -> None:
            self.chunks, self.delays, self.dropped, self.request = prepared.chunks, delays, prepared.dropped, request

        def _cut(self) -> None:
            if self.dropped is not None:
                raise mod.RemoteProtocolError(self.dropped, request=self.request)

        def __iter__(self) -> Iterator[bytes]:
            if self.delays is None:
                yield from self.chunks
            else:
                for chunk, delay in zip(self.chunks, self.delays, strict=False):
                    if delay:
                        time.sleep(delay)
                    yield chunk
            self._cut()

        async def __aiter__(self) -> AsyncIterator[bytes]:
            delays = self.delays or [0.0] * len(self.chunks)
            for chunk, delay in zip(self.chunks, delays, strict=False):
                if delay:
                    await asyncio.sleep(delay)
                yield chunk
            self._cut()

    return TeeStream, ReplayStream


def _request_body_sync(mod: Any, request: Any) -> bytes:
    try:
        body: bytes = request.content
    except mod.RequestNotRead:
        body = b"".join(request.stream)
        request.stream = mod.ByteStream(body)
    return body


async def _request_body_async(mod: Any, request: Any) -> bytes:
    try:
        body: bytes = request.content
    except mod.RequestNotRead:
        body = b"".join([part async for part in request.stream])
        request.stream = mod.ByteStream(body)
    return body


def httpx_patches(mod: Any) -> list[tuple[Any, str, Callable[[Any], Any]]]:
    """The two transport methods of ``mod`` (httpx or httpx2), each with its replacement's factory."""
    tee_cls, replay_cls = _stream_classes(mod)

    def replay(recorder: Recorder, prepared: Prepared, request: Any) -> Any:
        extensions = {"reason_phrase": prepared.reason.encode("ascii", "replace")} if prepared.reason else {}
        return mod.Response(prepared.status, headers=prepared.headers, request=request,
                            stream=replay_cls(prepared, recorder.delays(prepared), request), extensions=extensions)

    def tee(recorder: Recorder, vcr_request: Any, response: Any, started: float) -> Any:
        reason = response.extensions.get("reason_phrase", b"")
        headers = header_lists(response.headers.multi_items())
        response.stream = tee_cls(response.stream, Tee(recorder.record, vcr_request, response.status_code,
                                                       reason.decode("ascii", "replace"), headers, started=started))
        return response

    def sync(original: Any) -> Any:
        def handle_request(self: Any, request: Any) -> Any:
            recorder = _state.ACTIVE
            if recorder is None:
                return original(self, request)
            body = _request_body_sync(mod, request)
            vcr_request, prepared = recorder.lookup(request.method, str(request.url), body, request.headers)
            if prepared is not None:
                if recorder.latency(prepared):
                    time.sleep(recorder.latency(prepared))
                return replay(recorder, prepared, request)
            started = time.perf_counter()
            return tee(recorder, vcr_request, original(self, request), started)

        return handle_request

    def async_(original: Any) -> Any:
        async def handle_async_request(self: Any, request: Any) -> Any:
            recorder = _state.ACTIVE
            if recorder is None:
                return await original(self, request)
            body = await _request_body_async(mod, request)
            vcr_request, prepared = recorder.lookup(request.method, str(request.url), body, request.headers)
            if prepared is not None:
                if recorder.latency(prepared):
                    await asyncio.sleep(recorder.latency(prepared))
                return replay(recorder, prepared, request)
            started = time.perf_counter()
            return tee(recorder, vcr_request, await original(self, request), started)

        return handle_async_request

    return [(mod.HTTPTransport, "handle_request", sync), (mod.AsyncHTTPTransport, "handle_async_request", async_)]
