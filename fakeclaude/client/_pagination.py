"""List endpoints' pages: ``SyncPage`` and ``AsyncPage``, iterated across pages automatically."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from typing import Any, Generic, TypeVar

import httpx2

__all__ = ["AsyncPage", "AsyncPaginator", "SyncPage", "page_parser"]

T = TypeVar("T")


class _PageBase(Generic[T]):
    """One page of ``{"data": [...], "has_more", "first_id", "last_id"}``."""

    def __init__(self, *, data: list[T], has_more: bool | None, first_id: str | None, last_id: str | None,
                 params: dict[str, Any]) -> None:
        self.data = data
        self.has_more = has_more
        self.first_id = first_id
        self.last_id = last_id
        self._params = params

    def has_next_page(self) -> bool:
        if self.has_more is False or not self.data:
            return False
        return self.next_page_params() is not None

    def next_page_params(self) -> dict[str, Any] | None:
        """The query of the next page: keep walking backwards after ``before_id``, else forwards."""
        params = {k: v for k, v in self._params.items() if k not in ("before_id", "after_id")}
        if self._params.get("before_id") is not None:
            return {**params, "before_id": self.first_id} if self.first_id else None
        return {**params, "after_id": self.last_id} if self.last_id else None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(data={self.data!r}, has_more={self.has_more!r})"


def page_parser(item: Callable[[Any], T], params: dict[str, Any]) -> Callable[[httpx2.Response], dict[str, Any]]:
    """Turn a list answer into the keyword arguments of a page (items parsed with ``item``)."""

    def parse(response: httpx2.Response) -> dict[str, Any]:
        body = response.json()
        return {
            "data": [item(entry) for entry in body.get("data") or []],
            "has_more": body.get("has_more"),
            "first_id": body.get("first_id"),
            "last_id": body.get("last_id"),
            "params": params,
        }

    return parse


class SyncPage(_PageBase[T]):
    def __init__(self, *, fetch: Callable[[dict[str, Any]], SyncPage[T]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._fetch = fetch

    def get_next_page(self) -> SyncPage[T]:
        params = self.next_page_params()
        if params is None:
            raise RuntimeError("No next page expected; check `.has_next_page()` first.")
        return self._fetch(params)

    def iter_pages(self) -> Iterator[SyncPage[T]]:
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = page.get_next_page()

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.data


class AsyncPage(_PageBase[T]):
    def __init__(self, *, fetch: Callable[[dict[str, Any]], Awaitable[AsyncPage[T]]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._fetch = fetch

    async def get_next_page(self) -> AsyncPage[T]:
        params = self.next_page_params()
        if params is None:
            raise RuntimeError("No next page expected; check `.has_next_page()` first.")
        return await self._fetch(params)

    async def iter_pages(self) -> AsyncIterator[AsyncPage[T]]:
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page.get_next_page()

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item


class AsyncPaginator(Generic[T]):
    """What async ``list()`` returns: ``await`` it for the first page, or ``async for`` over every item."""

    def __init__(self, first: Callable[[], Awaitable[AsyncPage[T]]]) -> None:
        self._first = first

    def __await__(self) -> Generator[Any, None, AsyncPage[T]]:
        return self._first().__await__()

    async def __aiter__(self) -> AsyncIterator[T]:
        page = await self._first()
        async for item in page:
            yield item
