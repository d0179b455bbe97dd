"""Raw access to an answer: ``client.messages.with_raw_response.create(...)`` returns an ``APIResponse``."""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar

import httpx2

from .._json import loads

if TYPE_CHECKING:
    from ._base import BaseClient, Parser

__all__ = ["APIResponse", "AsyncAPIResponse", "RAW_MODE", "to_raw", "to_raw_async"]

T = TypeVar("T")
P = ParamSpec("P")

RAW_MODE: contextvars.ContextVar[bool] = contextvars.ContextVar("fakeclaude_raw_mode", default=False)
"""Set while a ``with_raw_response`` call runs: the client then returns the response, not its parse."""


class APIResponse(Generic[T]):
    """The HTTP answer of one call with its typed parse on demand."""

    def __init__(self, *, raw: httpx2.Response, client: BaseClient[Any], parser: Parser[T], retries_taken: int, stream: bool) -> None:
        self.http_response = raw
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

    def parse(self) -> T:
        """The typed result (a stream for ``stream=True`` calls), parsed once."""
        if not self._is_parsed:
            if self._stream:
                self._parsed = self._parser(self.http_response)
            else:
                self.http_response.read()
                self._parsed = self._client._parse(self.http_response, self._parser)
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
        self.http_response.close()

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


def to_raw(method: Callable[P, T]) -> Callable[P, APIResponse[T]]:
    """Wrap a resource method so that it returns the raw ``APIResponse``."""

    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        token = RAW_MODE.set(True)
        try:
            return method(*args, **kwargs)  # type: ignore[return-value]
        finally:
            RAW_MODE.reset(token)

    return wrapped


def to_raw_async(method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[AsyncAPIResponse[T]]]:
    @functools.wraps(method)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncAPIResponse[T]:
        token = RAW_MODE.set(True)
        try:
            return await method(*args, **kwargs)  # type: ignore[return-value]
        finally:
            RAW_MODE.reset(token)

    return wrapped
