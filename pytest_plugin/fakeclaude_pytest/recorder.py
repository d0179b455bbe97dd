"""Interception: httpx2 and httpx transports (sync and async) and aiohttp sessions, streams included.

While a cassette is active, the plugin replaces five methods: ``HTTPTransport.handle_request`` and
``AsyncHTTPTransport.handle_async_request`` of ``httpx2`` and ``httpx``, and ``aiohttp.ClientSession
._request``. Each looks the request up in the cassette (vcrpy's model, ``store.ClaudeCassette``):

- a hit is answered from the cassette; a stream is delivered one event per chunk, instantly or at the
  recorded pace (``pace="recorded"``);
- a miss in a mode that records goes to the real server, and the response is *teed*: the app gets
  each chunk as it arrives while the interaction (events with their arrival times) is stored when
  the body ends or is closed; vcrpy's own stubs read the whole body first, which is why they are
  not used for these three libraries;
- a miss in a mode that does not record fails the test at once (``pytest.fail``, a
  ``BaseException`` no client wraps into a retried connection error).

Methods are captured at activation, so a vcrpy cassette active at the same time keeps working.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import time
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from vcr.filters import decode_response
from vcr.request import Request

from fakeclaude.streaming._sse import SSEDecoder

from .cassette import encode_events, events_from_sse
from .miss import miss_message
from .store import ClaudeCassette, timestamp

__all__ = ["Recorder", "activate", "deactivate"]

_ACTIVE: Recorder | None = None
_SAVED: list[tuple[Any, str, Any]] = []
_DROP_ON_REPLAY = frozenset({"content-length", "transfer-encoding"})


@dataclass(slots=True)
class Prepared:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    chunks: list[bytes]
    delays: list[float]


class Recorder:
    """One active cassette: lookups, recordings and misses for one test."""

    def __init__(self, cassette: ClaudeCassette, *, pace: str = "instant", rerecord_hint: str = "") -> None:
        if pace not in ("instant", "recorded"):
            raise ValueError(f"pace must be 'instant' or 'recorded', not {pace!r}")
        self.cassette = cassette
        self.pace = pace
        self.rerecord_hint = rerecord_hint
        self.misses: list[str] = []
        self._prepared: dict[int, Prepared] = {}

    def lookup(self, method: str, uri: str, body: bytes | None, headers: Any) -> tuple[Any, Prepared | None]:
        cassette = self.cassette
        body, headers = decoded_request_body(body, headers)
        key = cassette.key(method, uri, body)
        hit = cassette.play(key)
        if hit is not None:
            index, response = hit
            prepared = self._prepared.get(index)
            if prepared is None:
                prepared = self._prepared[index] = _prepare(response)
            return None, prepared
        request = Request(method, uri, body, headers)
        if not cassette.records:
            message = miss_message(cassette, request, key, self.rerecord_hint)
            self.misses.append(message)
            import pytest

            pytest.fail(message, pytrace=False)
        return request, None

    def record(self, request: Any, response: dict[str, Any]) -> None:
        response["recorded_at"] = timestamp()
        self.cassette.append(request, response)

    def delays(self, prepared: Prepared) -> list[float] | None:
        return prepared.delays if self.pace == "recorded" else None


_DECODERS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": gzip.decompress, "x-gzip": gzip.decompress, "deflate": lambda data: _inflate(data),
}


def _inflate(data: bytes) -> bytes:
    try:
        return zlib.decompress(data)
    except zlib.error:
        return zlib.decompress(data, -zlib.MAX_WBITS)  # raw deflate, as some clients send it


def decoded_request_body(body: bytes | None, headers: Any) -> tuple[bytes | None, dict[str, str]]:
    """A request body as the server reads it (gzip / deflate undone) and its headers to store.

    A compressed body would be stored as binary (a key inside recoverable) and never match: it is
    kept decoded, as JSON, and the ``content-encoding`` header goes with the encoding.
    """
    pairs = {str(k): str(v) for k, v in headers.items()}
    encoding = next((v for k, v in pairs.items() if k.lower() == "content-encoding"), "").strip().lower()
    if not body or not encoding or encoding == "identity":
        return body, pairs
    data = body
    try:
        for name in reversed([part.strip() for part in encoding.split(",") if part.strip()]):
            data = _DECODERS[name](data)
    except (KeyError, OSError, EOFError, zlib.error):
        return body, pairs  # an encoding this does not know: kept as sent
    kept = {k: v for k, v in pairs.items() if k.lower() not in ("content-encoding", "content-length")}
    return data, kept


def _prepare(response: dict[str, Any]) -> Prepared:
    """What a replay needs, computed once per interaction."""
    if "status_code" in response:  # vcrpy's old httpx format
        response = {"status": {"code": response["status_code"], "message": ""},
                    "headers": response.get("headers", {}), "body": {"string": response.get("content", b"")}}
    if any(name.lower() == "content-encoding" for name in response.get("headers") or {}):
        response = decode_response(response)  # compressed by the server when another tool recorded it
    status = response.get("status") or {}
    headers = response.get("headers") or {}
    body = response.get("body") or {}
    string = body.get("string") or b""
    if isinstance(string, str):
        string = string.encode("utf-8")
    events = body.get("events")
    content_type = ""
    pairs: list[tuple[str, str]] = []
    for name, values in headers.items():
        if name.lower() == "content-type":
            content_type = str(values[0] if isinstance(values, list) else values)
        if name.lower() in _DROP_ON_REPLAY:
            continue
        for value in values if isinstance(values, list) else [values]:
            pairs.append((name, str(value)))
    if events is None and "text/event-stream" in content_type and string:
        events = events_from_sse(string)
    if events is not None:
        chunks = encode_events(events)
        times = [float(e.get("at", 0.0)) for e in events]
        delays = [max(0.0, t - prev) for prev, t in zip([0.0, *times], times, strict=False)]
    else:
        chunks, delays = ([string] if string else []), [0.0]
        pairs.append(("content-length", str(len(string))))
    return Prepared(int(status.get("code", 200)), str(status.get("message") or ""), pairs, chunks, delays)


# ----- recording: the tee ---------------------------------------------------------------------------
class _Tee:
    """Collects a response's chunks (and stream events with their arrival times) as they pass."""

    def __init__(self, recorder: Recorder, request: Any, status: int, reason: str,
                 headers: dict[str, list[str]], decoded: bool = False) -> None:
        self.recorder, self.request = recorder, request
        self.status, self.reason, self.headers = status, reason, headers
        content_type = next((v[0] for k, v in headers.items() if k.lower() == "content-type"), "")
        self.decoder = SSEDecoder() if "text/event-stream" in content_type.lower() else None
        self.events: list[dict[str, Any]] = []
        self.parts: list[bytes] = []
        self.start = time.perf_counter()
        self.done = False
        self.decoded = decoded

    def chunk(self, chunk: bytes) -> None:
        self.parts.append(chunk)
        if self.decoder is not None:
            at = round(time.perf_counter() - self.start, 4)
            for event in self.decoder.feed(chunk):
                self.events.append({"event": event.event, "data": event.data, "at": at})

    def finish(self) -> None:
        if self.done:
            return
        self.done = True
        body: dict[str, Any] = {"string": b"".join(self.parts)}
        if self.decoder is not None:
            at = round(time.perf_counter() - self.start, 4)
            for event in self.decoder.flush():
                self.events.append({"event": event.event, "data": event.data, "at": at})
            body["events"] = self.events
        headers = self.headers
        if self.decoded:
            headers = {k: v for k, v in headers.items() if k.lower() not in ("content-encoding", "content-length")}
        response = {"status": {"code": self.status, "message": self.reason}, "headers": headers, "body": body}
        if self.decoder is None and not self.decoded:
            response = decode_response(response)
        self.recorder.record(self.request, response)


def _header_lists(items: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in items:
        out.setdefault(str(name), []).append(str(value))
    return out


# ----- httpx and httpx2 -------------------------------------------------------------------------------
def _stream_classes(mod: Any) -> tuple[type, type]:
    class TeeStream(mod.SyncByteStream, mod.AsyncByteStream):  # type: ignore[misc]
        def __init__(self, inner: Any, tee: _Tee) -> None:
            self.inner, self.tee = inner, tee

        def __iter__(self) -> Iterator[bytes]:
            for chunk in self.inner:
                self.tee.chunk(chunk)
                yield chunk
            self.tee.finish()

        async def __aiter__(self) -> AsyncIterator[bytes]:
            async for chunk in self.inner:
                self.tee.chunk(chunk)
                yield chunk
            self.tee.finish()

        def close(self) -> None:
            try:
                self.inner.close()
            finally:
                self.tee.finish()

        async def aclose(self) -> None:
            try:
                await self.inner.aclose()
            finally:
                self.tee.finish()

    class ReplayStream(mod.SyncByteStream, mod.AsyncByteStream):  # type: ignore[misc]
        __slots__ = ("chunks", "delays")

        def __init__(self, chunks: list[bytes], delays: list[float] | None) -> None:
            self.chunks, self.delays = chunks, delays

        def __iter__(self) -> Iterator[bytes]:
            if self.delays is None:
                yield from self.chunks
                return
            for chunk, delay in zip(self.chunks, self.delays, strict=False):
                if delay:
                    time.sleep(delay)
                yield chunk

        async def __aiter__(self) -> AsyncIterator[bytes]:
            delays = self.delays or [0.0] * len(self.chunks)
            for chunk, delay in zip(self.chunks, delays, strict=False):
                if delay:
                    await asyncio.sleep(delay)
                yield chunk

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


def _httpx_patches(mod: Any) -> list[tuple[Any, str, Callable[[Any], Any]]]:
    tee_cls, replay_cls = _stream_classes(mod)

    def replay(recorder: Recorder, prepared: Prepared, request: Any) -> Any:
        extensions = {"reason_phrase": prepared.reason.encode("ascii", "replace")} if prepared.reason else {}
        return mod.Response(prepared.status, headers=prepared.headers, request=request,
                            stream=replay_cls(prepared.chunks, recorder.delays(prepared)), extensions=extensions)

    def tee(recorder: Recorder, vcr_request: Any, response: Any) -> Any:
        reason = response.extensions.get("reason_phrase", b"")
        headers = _header_lists(response.headers.multi_items())
        response.stream = tee_cls(response.stream, _Tee(recorder, vcr_request, response.status_code,
                                                        reason.decode("ascii", "replace"), headers))
        return response

    def sync(original: Any) -> Any:
        def handle_request(self: Any, request: Any) -> Any:
            recorder = _ACTIVE
            if recorder is None:
                return original(self, request)
            body = _request_body_sync(mod, request)
            vcr_request, prepared = recorder.lookup(request.method, str(request.url), body, request.headers)
            if prepared is not None:
                return replay(recorder, prepared, request)
            return tee(recorder, vcr_request, original(self, request))

        return handle_request

    def async_(original: Any) -> Any:
        async def handle_async_request(self: Any, request: Any) -> Any:
            recorder = _ACTIVE
            if recorder is None:
                return await original(self, request)
            body = await _request_body_async(mod, request)
            vcr_request, prepared = recorder.lookup(request.method, str(request.url), body, request.headers)
            if prepared is not None:
                return replay(recorder, prepared, request)
            return tee(recorder, vcr_request, await original(self, request))

        return handle_async_request

    return [(mod.HTTPTransport, "handle_request", sync), (mod.AsyncHTTPTransport, "handle_async_request", async_)]


# ----- aiohttp ------------------------------------------------------------------------------------
class _NoFlowControl:
    _reading_paused = False
    connected = True

    def pause_reading(self) -> None:
        pass

    def resume_reading(self, resume_parser: bool = True) -> None:
        pass


def _aiohttp_patches() -> list[tuple[Any, str, Callable[[Any], Any]]]:
    import aiohttp
    from multidict import CIMultiDict, CIMultiDictProxy
    from yarl import URL

    def new_reader() -> Any:
        return aiohttp.StreamReader(_NoFlowControl(), 2**16, loop=asyncio.get_running_loop())  # type: ignore[arg-type]

    async def feed(reader: Any, chunks: list[bytes], delays: list[float] | None) -> None:
        for index, chunk in enumerate(chunks):
            delay = delays[index] if delays else 0.0
            await asyncio.sleep(delay)  # sleep(0) too: one event per turn of the loop, never one blob
            reader.feed_data(chunk)
        reader.feed_eof()

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
            reader.feed_eof()
        else:
            task = loop.create_task(feed(reader, prepared.chunks, recorder.delays(prepared)))
            _TASKS.add(task)
            task.add_done_callback(_TASKS.discard)
        response.content = reader
        return response

    def tee(recorder: Recorder, vcr_request: Any, response: Any, decoded: bool) -> Any:
        headers = _header_lists((k.decode("latin-1"), v.decode("latin-1")) for k, v in response.raw_headers)
        tee_ = _Tee(recorder, vcr_request, response.status, response.reason or "", headers, decoded=decoded)
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
                if not isinstance(exc, Exception):
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
            recorder = _ACTIVE
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
                return replay(recorder, prepared, method.upper(), url, headers)
            response = await original(self, method, str_or_url, **kwargs)
            decoded = bool(kwargs.get("auto_decompress", getattr(self, "_auto_decompress", True)))
            return tee(recorder, vcr_request, response, decoded)

        return _request

    return [(aiohttp.ClientSession, "_request", patch)]


class _NoWriter:
    output_size = 0
    buffer_size = 0


_TASKS: set[asyncio.Task[None]] = set()
_PATCHES: list[tuple[Any, str, Callable[[Any], Any]]] | None = None


def _patches() -> list[tuple[Any, str, Callable[[Any], Any]]]:
    global _PATCHES
    if _PATCHES is None:
        found: list[tuple[Any, str, Callable[[Any], Any]]] = []
        for name in ("httpx2", "httpx"):
            try:
                found += _httpx_patches(__import__(name))
            except ImportError:
                pass
        try:
            found += _aiohttp_patches()
        except ImportError:
            pass
        _PATCHES = found
    return _PATCHES


def activate(recorder: Recorder) -> None:
    """Route every httpx2 / httpx / aiohttp request to ``recorder`` until ``deactivate()``."""
    global _ACTIVE
    if _ACTIVE is not None:
        raise RuntimeError("a claude cassette is already active")
    for owner, name, factory in _patches():
        original = owner.__dict__.get(name, getattr(owner, name))
        _SAVED.append((owner, name, original))
        setattr(owner, name, factory(original))
    _ACTIVE = recorder


def deactivate() -> None:
    global _ACTIVE
    _ACTIVE = None
    while _SAVED:
        owner, name, original = _SAVED.pop()
        setattr(owner, name, original)
