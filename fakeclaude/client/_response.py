"""Raw access to an answer, as in the official SDK.

- ``client.messages.with_raw_response.create(...)`` returns an ``APIResponse``: the body is read, the
  typed result comes from ``parse()``.
- ``client.messages.with_streaming_response.create(...)`` returns a context manager: the request is sent
  on entering it, the body is not read until asked for (``iter_bytes()``, ``iter_text()``,
  ``iter_lines()``, ``read()`` or ``parse()``) and the response is closed on leaving it.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Literal, ParamSpec, TypeVar

import httpx2

from .._json import loads

if TYPE_CHECKING:
    from ._base import BaseClient, Parser

__all__ = [
    "RAW_MODE",
    "RAW_RESPONSE_HEADER",
    "APIResponse",
    "AsyncAPIResponse",
    "AsyncResponseContextManager",
    "ResponseContextManager",
    "to_raw",
    "to_raw_async",
    "to_streamed",
    "to_streamed_async",
]

T = TypeVar("T")
P = ParamSpec("P")

RawMode = Literal["raw", "stream"]
RAW_MODE: contextvars.ContextVar[RawMode | None] = contextvars.ContextVar("fakeclaude_raw_mode", default=None)
"""Set while a ``with_raw_response`` (``"raw"``) or ``with_streaming_response`` (``"stream"``) call runs: the
client then returns the response, not its parse (and under ``"stream"`` leaves the body unread)."""
RAW_RESPONSE_HEADER = "X-Stainless-Raw-Response"
"""The header the official SDK sends on such calls, with the mode as its value."""


class APIResponse(Generic[T]):
    """The HTTP answer of one call with its typed parse on demand."""

    def __init__(
        self,
        *,
        raw: httpx2.Response,
        client: BaseClient[Any],
        parser: Parser[T],
        retries_taken: int,
        stream: bool,
        post_parser: Callable[[Any], Any] | None = None,
    ) -> None:
        self.http_response = raw
        self._post_parser = post_parser
        self.retries_taken = retries_taken
        self._client = client
        self._parser = parser
        self._stream = stream
        self._parsed: T | None = None
        self._is_parsed = False

    @property
    def headers(self) -> httpx2.Headers:
        return self.http_response.headers

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def request_id(self) -> str | None:
        return self.http_response.headers.get("request-id")

    @property
    def url(self) -> httpx2.URL:
        return self.http_response.url

    @property
    def http_request(self) -> httpx2.Request:
        return self.http_response.request

    @property
    def elapsed(self) -> Any:
        return self.http_response.elapsed

    @property
    def method(self) -> str:
        return self.http_request.method

    @property
    def http_version(self) -> str:
        return self.http_response.http_version

    @property
    def is_closed(self) -> bool:
        return self.http_response.is_closed

    @property
    def workspace_id(self) -> str | None:
        return self.http_response.headers.get("anthropic-workspace-id")

    def parse(self) -> T:
        """The typed result (a stream for ``stream=True`` calls), parsed once."""
        if not self._is_parsed:
            if self._stream:
                self._parsed = self._parser(self.http_response)
            else:
                self.http_response.read()
                self._parsed = self._client._parse(self.http_response, self._parser)
            if self._post_parser is not None:
                self._parsed = self._post_parser(self._parsed)
            self._is_parsed = True
        return self._parsed  # type: ignore[return-value]

    def read(self) -> bytes:
        return self.http_response.read()

    def text(self) -> str:
        self.read()
        return self.http_response.text

    def json(self) -> Any:
        return loads(self.read())

    def close(self) -> None:
        """Close the response and release the connection (done for you once the body is read)."""
        self.http_response.close()

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The decoded body in chunks, as it arrives."""
        yield from self.http_response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        yield from self.http_response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        """The body line by line (an SSE stream's ``event:`` / ``data:`` lines, a JSONL body's records)."""
        yield from self.http_response.iter_lines()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] type={type(self._parsed).__name__ if self._is_parsed else '?'}>"


class AsyncAPIResponse(APIResponse[T]):
    """The async twin: ``parse()`` and ``read()`` are awaited."""

    async def parse(self) -> T:  # type: ignore[override]
        if not self._is_parsed:
            if self._stream:
                self._parsed = self._parser(self.http_response)
            else:
                await self.http_response.aread()
                self._parsed = self._client._parse(self.http_response, self._parser)
            if self._post_parser is not None:
                self._parsed = self._post_parser(self._parsed)
            self._is_parsed = True
        return self._parsed  # type: ignore[return-value]

    async def read(self) -> bytes:  # type: ignore[override]
        return await self.http_response.aread()

    async def text(self) -> str:  # type: ignore[override]
        await self.read()
        return self.http_response.text

    async def json(self) -> Any:
        return loads(await self.read())

    async def close(self) -> None:  # type: ignore[override]
        await self.http_response.aclose()

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:  # type: ignore[override]
        async for chunk in self.http_response.aiter_bytes(chunk_size):
            yield chunk

    async def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:  # type: ignore[override]
        async for chunk in self.http_response.aiter_text(chunk_size):
            yield chunk

    async def iter_lines(self) -> AsyncIterator[str]:  # type: ignore[override]
        async for line in self.http_response.aiter_lines():
            yield line


R = TypeVar("R", bound=APIResponse[Any])


class ResponseContextManager(Generic[R]):
    """Sends the request on ``__enter__`` and closes the response on ``__exit__``."""

    def __init__(self, request: Callable[[], R]) -> None:
        self._request = request
        self._response: R | None = None

    def __enter__(self) -> R:
        self._response = self._request()
        return self._response

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._response is not None:
            self._response.close()


AR = TypeVar("AR", bound=AsyncAPIResponse[Any])


class AsyncResponseContextManager(Generic[AR]):
    """The async twin: ``async with``; the request is awaited on entering."""

    def __init__(self, request: Awaitable[AR]) -> None:
        self._request = request
        self._response: AR | None = None

    async def __aenter__(self) -> AR:
        self._response = await self._request
        return self._response

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._response is not None:
            await self._response.close()


def to_raw(method: Callable[P, T]) -> Callable[P, APIResponse[T]]:
    """Wrap a resource method so that it returns the raw ``APIResponse``."""

    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        token = RAW_MODE.set("raw")
        try:
            return method(*args, **kwargs)  # type: ignore[return-value]
        finally:
            RAW_MODE.reset(token)

    return wrapped


def to_raw_async(method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[AsyncAPIResponse[T]]]:
    @functools.wraps(method)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncAPIResponse[T]:
        token = RAW_MODE.set("raw")
        try:
            return await method(*args, **kwargs)  # type: ignore[return-value]
        finally:
            RAW_MODE.reset(token)

    return wrapped


def to_streamed(method: Callable[P, T]) -> Callable[P, ResponseContextManager[APIResponse[T]]]:
    """Wrap a resource method so that it returns a context manager over the unread ``APIResponse``."""

    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> ResponseContextManager[APIResponse[T]]:
        def send() -> APIResponse[T]:
            token = RAW_MODE.set("stream")
            try:
                return method(*args, **kwargs)  # type: ignore[return-value]
            finally:
                RAW_MODE.reset(token)

        return ResponseContextManager(send)

    return wrapped


def to_streamed_async(
    method: Callable[P, Awaitable[T]],
) -> Callable[P, AsyncResponseContextManager[AsyncAPIResponse[T]]]:
    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncResponseContextManager[AsyncAPIResponse[T]]:
        async def send() -> AsyncAPIResponse[T]:
            token = RAW_MODE.set("stream")
            try:
                return await method(*args, **kwargs)  # type: ignore[return-value]
            finally:
                RAW_MODE.reset(token)

        return AsyncResponseContextManager(send())

    return wrapped
