"""Cursor pages (``{"data": [...], "next_page": "page_…" | null}``), as the Files API lists, with the
official SDK's names: ``SyncPageCursor`` / ``AsyncPageCursor``. Iterating a page walks every page,
asking for the next with ``page=<next_page>`` until ``next_page`` is empty."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from typing import Any, Generic, TypeVar

import httpx2

__all__ = ["AsyncCursorPaginator", "AsyncPageCursor", "SyncPageCursor", "cursor_page_parser"]

T = TypeVar("T")


class _CursorPage(Generic[T]):
    def __init__(self, *, data: list[T], next_page: str | None, params: dict[str, Any]) -> None:
        self.data = data
        self.next_page = next_page
        self._params = params

    def has_next_page(self) -> bool:
        return bool(self.next_page)

    def next_page_params(self) -> dict[str, Any] | None:
        """The query of the next page, or None on the last one."""
        return {**self._params, "page": self.next_page} if self.next_page else None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(data={self.data!r}, next_page={self.next_page!r})"


def cursor_page_parser(item: Callable[[Any], T], params: dict[str, Any]) -> Callable[[httpx2.Response], dict[str, Any]]:
    """Turn a cursor list answer into the keyword arguments of a page (items parsed with ``item``)."""

    def parse(response: httpx2.Response) -> dict[str, Any]:
        body = response.json()
        return {"data": [item(entry) for entry in body.get("data") or []], "next_page": body.get("next_page"),
                "params": params}

    return parse


class SyncPageCursor(_CursorPage[T]):
    def __init__(self, *, fetch: Callable[[dict[str, Any]], SyncPageCursor[T]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._fetch = fetch

    def get_next_page(self) -> SyncPageCursor[T]:
        params = self.next_page_params()
        if params is None:
            raise RuntimeError("No next page expected; check `.has_next_page()` first.")
        return self._fetch(params)

    def iter_pages(self) -> Iterator[SyncPageCursor[T]]:
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = page.get_next_page()

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.data


class AsyncPageCursor(_CursorPage[T]):
    def __init__(self, *, fetch: Callable[[dict[str, Any]], Awaitable[AsyncPageCursor[T]]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._fetch = fetch

    async def get_next_page(self) -> AsyncPageCursor[T]:
        params = self.next_page_params()
        if params is None:
            raise RuntimeError("No next page expected; check `.has_next_page()` first.")
        return await self._fetch(params)

    async def iter_pages(self) -> AsyncIterator[AsyncPageCursor[T]]:
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


class AsyncCursorPaginator(Generic[T]):
    """What async ``list()`` returns: ``await`` it for the first page, or ``async for`` over every item."""

    def __init__(self, first: Callable[[], Awaitable[AsyncPageCursor[T]]]) -> None:
        self._first = first

    def __await__(self) -> Generator[Any, None, AsyncPageCursor[T]]:
        return self._first().__await__()

    async def __aiter__(self) -> AsyncIterator[T]:
        page = await self._first()
        async for item in page:
            yield item
