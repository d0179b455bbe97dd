"""aiohttp: ``ClientSession._request`` answered from the cassette or teed to it."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

from ..playback import Prepared
from ..recorder import Recorder, Tee, drop_message, header_lists
from . import _state

__all__ = ["aiohttp_patches"]

_TASKS: set[asyncio.Task[None]] = set()


class _NoFlowControl:
    _reading_paused = False
    connected = True

    def pause_reading(self) -> None:
        pass

    def resume_reading(self, resume_parser: bool = True) -> None:
        pass


def aiohttp_patches() -> list[tuple[Any, str, Callable[[Any], Any]]]:
    """``ClientSession._request`` with its replacement's factory."""
    import aiohttp
    from multidict import CIMultiDict, CIMultiDictProxy
    from yarl import URL

    def new_reader() -> Any:
        return aiohttp.StreamReader(_NoFlowControl(), 2**16, loop=asyncio.get_running_loop())  # type: ignore[arg-type]

    def end(reader: Any, dropped: str | None) -> None:
        if dropped is None:
            reader.feed_eof()
        else:  # as aiohttp reports a connection cut in the middle of a body
            reader.set_exception(aiohttp.ClientPayloadError(f"Response payload is not completed: {dropped}"))

    async def feed(reader: Any, chunks: list[bytes], delays: list[float] | None, dropped: str | None) -> None:
        for index, chunk in enumerate(chunks):
            delay = delays[index] if delays else 0.0
            await asyncio.sleep(delay)  # sleep(0) too: one event per turn of the loop, never one blob
            reader.feed_data(chunk)
        end(reader, dropped)

    def replay(recorder: Recorder, prepared: Prepared, method: str, url: Any, headers: Any) -> Any:
        loop = asyncio.get_running_loop()
        info = aiohttp.RequestInfo(url, method, CIMultiDictProxy(CIMultiDict(headers)), url)
        response = aiohttp.ClientResponse(
            method, url, writer=None, continue100=None, timer=None, request_info=info,  # type: ignore[arg-type]
            traces=[], loop=loop, session=None, stream_writer=_NoWriter(),  # type: ignore[arg-type]
        )
        response.status = prepared.status
        response.reason = prepared.reason or None
        response._headers = CIMultiDictProxy(CIMultiDict(prepared.headers))
        response._raw_headers = tuple((k.encode(), v.encode()) for k, v in prepared.headers)
        reader = new_reader()
        if len(prepared.chunks) <= 1 and not recorder.delays(prepared):
            for chunk in prepared.chunks:
                reader.feed_data(chunk)
            end(reader, prepared.dropped)
        else:
            task = loop.create_task(feed(reader, prepared.chunks, recorder.delays(prepared), prepared.dropped))
            _TASKS.add(task)
            task.add_done_callback(_TASKS.discard)
        response.content = reader
        return response

    def tee(recorder: Recorder, vcr_request: Any, response: Any, decoded: bool, started: float) -> Any:
        headers = header_lists((k.decode("latin-1"), v.decode("latin-1")) for k, v in response.raw_headers)
        tee_ = Tee(recorder.record, vcr_request, response.status, response.reason or "", headers, decoded=decoded,
                   started=started)
        source, reader = response.content, new_reader()

        async def pump() -> None:
            try:
                while True:
                    chunk = await source.readany()
                    if not chunk:
                        break
                    tee_.chunk(chunk)
                    reader.feed_data(chunk)
                reader.feed_eof()
            except BaseException as exc:
                reader.set_exception(exc if isinstance(exc, Exception) else aiohttp.ClientPayloadError(str(exc)))
                if isinstance(exc, Exception):
                    tee_.finish(dropped=drop_message(exc))
                else:
                    raise
            finally:
                tee_.finish()

        task = asyncio.get_running_loop().create_task(pump())
        _TASKS.add(task)
        task.add_done_callback(_TASKS.discard)
        response.content = reader
        return response

    def patch(original: Any) -> Any:
        async def _request(self: Any, method: str, str_or_url: Any, **kwargs: Any) -> Any:
            recorder = _state.ACTIVE
            if recorder is None:
                return await original(self, method, str_or_url, **kwargs)
            url = URL(str_or_url)
            base = getattr(self, "_base_url", None)
            if base is not None and not url.is_absolute():
                url = base.join(url)
            if kwargs.get("params"):
                url = url.update_query(kwargs["params"])
            body: bytes | None
            if kwargs.get("json") is not None:
                body = json.dumps(kwargs["json"]).encode()
            else:
                data = kwargs.get("data")
                if data is None or isinstance(data, bytes):
                    body = data
                elif isinstance(data, str):
                    body = data.encode()
                elif hasattr(data, "__aiter__"):
                    body = b"".join([part async for part in data])
                    kwargs["data"] = body
                else:
                    body = str(data).encode()
            headers = CIMultiDict(self.headers)
            headers.update(kwargs.get("headers") or {})
            vcr_request, prepared = recorder.lookup(method.upper(), str(url), body, headers)
            if prepared is not None:
                if recorder.latency(prepared):
                    await asyncio.sleep(recorder.latency(prepared))
                return replay(recorder, prepared, method.upper(), url, headers)
            started = time.perf_counter()
            response = await original(self, method, str_or_url, **kwargs)
            decoded = bool(kwargs.get("auto_decompress", getattr(self, "_auto_decompress", True)))
            return tee(recorder, vcr_request, response, decoded, started)

        return _request

    return [(aiohttp.ClientSession, "_request", patch)]


class _NoWriter:
    output_size = 0
    buffer_size = 0


