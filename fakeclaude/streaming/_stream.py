"""The objects a streamed request returns: typed SSE event streams, and JSONL lines for batch results.

``Stream`` / ``AsyncStream`` iterate the events of a ``text/event-stream`` response, each parsed by the
injected ``parse`` function (for Messages: the wire model's stream event parser). As the official SDK
does, they skip ``ping`` and events without an ``event:`` name, raise ``APIStatusError`` on an ``error``
event (status code 200, ``.type`` from the payload, e.g. ``"overloaded_error"``) and ``APIConnectionError``
when the body cannot be read to its end (a connection cut midway; ``APITimeoutError`` for a read timeout,
as the SDK does since 2.17), and close the response
when exhausted, on ``close()`` and on leaving a ``with`` block. The per-event decision is written once
(``_data_from_event``) and shared by the sync and async twins.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator
from types import TracebackType
from typing import Any, Generic, NoReturn, Self, TypeVar

import httpx2
import pydantic

from .._exceptions import AnthropicError, APIResponseValidationError, make_status_error, transport_error
from .._json import loads
from ._lines import LineSplitter
from ._sse import ServerSentEvent, SSEDecoder

__all__ = ["AsyncStream", "JSONLDecoder", "Stream", "aiter_jsonl", "iter_jsonl"]

T = TypeVar("T")


def _data_from_event(sse: ServerSentEvent, response: httpx2.Response) -> Any:
    """The JSON data of one event, ``None`` for an event to pass over; raises for an ``error`` event."""
    name = sse.event
    if name is None or name == "ping":
        return None
    if name == "error":
        body: object = sse.data
        try:
            body = sse.json()
        except ValueError:  # not JSON: its text is the message
            pass
        raise make_status_error(response, body)
    if not sse.data:
        return None
    try:
        return sse.json()
    except ValueError as exc:
        raise APIResponseValidationError(
            response, sse.data, message=f"Invalid JSON in the data of a {name!r} stream event: {exc}"
        ) from exc


def _parse_data(data: Any, response: httpx2.Response, parse: Callable[[Any], T]) -> T:
    try:
        return parse(data)
    except pydantic.ValidationError as exc:
        raise APIResponseValidationError(response, data) from exc


def _raise_read_error(response: httpx2.Response, exc: Exception) -> NoReturn:
    """Raise the SDK's error for a failure to read ``response``'s body (``exc``, chained as its cause); ``exc``
    itself for a response built without a request (nothing to name)."""
    try:
        request: httpx2.Request | None = response.request
    except RuntimeError:
        request = None
    if request is None:
        raise exc
    raise transport_error(request, exc) from exc


def _body(response: httpx2.Response) -> Iterator[bytes]:
    """The pieces of ``response``'s body; a failure to read them (a connection cut midway, a read timeout) is
    raised as the SDK raises it (``APIConnectionError`` / ``APITimeoutError``, the cause chained)."""
    pieces = response.iter_bytes()
    while True:
        try:  # the read alone: what the caller does with a piece is not the connection's failure
            piece = next(pieces, None)
        except AnthropicError:
            raise
        except Exception as exc:
            _raise_read_error(response, exc)
        if piece is None:
            return
        yield piece


async def _abody(response: httpx2.Response) -> AsyncIterator[bytes]:
    """Async twin of :func:`_body`."""
    pieces = response.aiter_bytes()
    while True:
        try:
            piece = await anext(pieces, None)
        except AnthropicError:
            raise
        except Exception as exc:
            _raise_read_error(response, exc)
        if piece is None:
            return
        yield piece


class Stream(Generic[T]):
    """Iterate the typed events of a streamed ``httpx2.Response`` (read with ``iter_bytes()``)."""

    response: httpx2.Response

    def __init__(self, response: httpx2.Response, *, parse: Callable[[Any], T]) -> None:
        self.response = response
        self._parse = parse
        self._iterator: Generator[T, None, None] | None = None

    @property
    def request_id(self) -> str | None:
        return self.response.headers.get("request-id")

    def _events(self) -> Generator[T, None, None]:
        response, parse = self.response, self._parse
        decoder = SSEDecoder()
        try:
            for chunk in _body(response):
                for sse in decoder.feed(chunk):
                    data = _data_from_event(sse, response)
                    if data is not None:
                        yield _parse_data(data, response, parse)
            for sse in decoder.flush():
                data = _data_from_event(sse, response)
                if data is not None:
                    yield _parse_data(data, response, parse)
        finally:
            response.close()

    def __iter__(self) -> Iterator[T]:
        if self._iterator is None:
            self._iterator = self._events()
        return self._iterator

    def __next__(self) -> T:
        return next(iter(self))

    def close(self) -> None:
        """Close the response and release the connection (done for you when the stream is exhausted)."""
        if self._iterator is not None:
            self._iterator.close()
        self.response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncStream(Generic[T]):
    """Iterate the typed events of a streamed ``httpx2.Response`` (read with ``aiter_bytes()``)."""

    response: httpx2.Response

    def __init__(self, response: httpx2.Response, *, parse: Callable[[Any], T]) -> None:
        self.response = response
        self._parse = parse
        self._iterator: AsyncGenerator[T, None] | None = None

    @property
    def request_id(self) -> str | None:
        return self.response.headers.get("request-id")

    async def _events(self) -> AsyncGenerator[T, None]:
        response, parse = self.response, self._parse
        decoder = SSEDecoder()
        try:
            async for chunk in _abody(response):
                for sse in decoder.feed(chunk):
                    data = _data_from_event(sse, response)
                    if data is not None:
                        yield _parse_data(data, response, parse)
            for sse in decoder.flush():
                data = _data_from_event(sse, response)
                if data is not None:
                    yield _parse_data(data, response, parse)
        finally:
            await response.aclose()

    def __aiter__(self) -> AsyncIterator[T]:
        if self._iterator is None:
            self._iterator = self._events()
        return self._iterator

    async def __anext__(self) -> T:
        return await self.__aiter__().__anext__()

    async def close(self) -> None:
        """Close the response and release the connection (done for you when the stream is exhausted)."""
        if self._iterator is not None:
            await self._iterator.aclose()
        await self.response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()


class JSONLDecoder:
    """Incremental JSON Lines decoder (batch results): one JSON value per line, blank lines skipped.

    Lines end with LF, CRLF or CR; chunks may be cut anywhere. Invalid JSON raises ``ValueError``.
    """

    __slots__ = ("_lines",)

    def __init__(self) -> None:
        self._lines = LineSplitter()

    def feed(self, chunk: bytes) -> list[Any]:
        return _values(self._lines.feed(chunk))

    def flush(self) -> list[Any]:
        return _values(self._lines.flush())


def _values(text: str) -> list[Any]:
    return [loads(line) for line in text.split("\n") if line and not line.isspace()]


def _invalid_line(response: httpx2.Response, exc: ValueError) -> APIResponseValidationError:
    return APIResponseValidationError(response, None, message=f"Invalid JSON line in a JSONL response: {exc}")


def iter_jsonl(response: httpx2.Response) -> Iterator[Any]:
    """The parsed JSON values of a JSONL response, in order; the response is closed at the end."""
    decoder = JSONLDecoder()
    try:
        for chunk in _body(response):
            try:
                values = decoder.feed(chunk)
            except ValueError as exc:
                raise _invalid_line(response, exc) from exc
            yield from values
        try:
            values = decoder.flush()
        except ValueError as exc:
            raise _invalid_line(response, exc) from exc
        yield from values
    finally:
        response.close()


async def aiter_jsonl(response: httpx2.Response) -> AsyncIterator[Any]:
    """Async twin of :func:`iter_jsonl` (reads with ``aiter_bytes()``)."""
    decoder = JSONLDecoder()
    try:
        async for chunk in _abody(response):
            try:
                values = decoder.feed(chunk)
            except ValueError as exc:
                raise _invalid_line(response, exc) from exc
            for value in values:
                yield value
        try:
            values = decoder.flush()
        except ValueError as exc:
            raise _invalid_line(response, exc) from exc
        for value in values:
            yield value
    finally:
        await response.aclose()
