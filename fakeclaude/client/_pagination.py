"""List endpoints' pages: ``SyncPage`` and ``AsyncPage``, iterated across pages automatically."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

import httpx2

__all__ = ["AsyncPage", "AsyncPaginator", "AsyncPaging", "FirstPage", "SyncPage", "SyncPaging", "page_parser"]

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


class SyncPaging(Generic[T]):
    """Walking sync pages, whatever their cursor: ``SyncPage`` and ``SyncPageCursor`` put this first and
    their cursor class (``has_next_page``, ``next_page_params``, ``data``) after it."""

    if TYPE_CHECKING:
        data: list[T]

        def has_next_page(self) -> bool: ...
        def next_page_params(self) -> dict[str, Any] | None: ...

    def __init__(self, *, fetch: Callable[[dict[str, Any]], Self], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._fetch = fetch

    def get_next_page(self) -> Self:
        params = self.next_page_params()
        if params is None:
            raise RuntimeError("No next page expected; check `.has_next_page()` first.")
        return self._fetch(params)

    def iter_pages(self) -> Iterator[Self]:
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = page.get_next_page()

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.data


class AsyncPaging(Generic[T]):
    """Walking async pages, whatever their cursor (the twin of ``SyncPaging``)."""

    if TYPE_CHECKING:
        data: list[T]

        def has_next_page(self) -> bool: ...
        def next_page_params(self) -> dict[str, Any] | None: ...

    def __init__(self, *, fetch: Callable[[dict[str, Any]], Awaitable[Self]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._fetch = fetch

    async def get_next_page(self) -> Self:
        params = self.next_page_params()
        if params is None:
            raise RuntimeError("No next page expected; check `.has_next_page()` first.")
        return await self._fetch(params)

    async def iter_pages(self) -> AsyncIterator[Self]:
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


PageT = TypeVar("PageT", bound="AsyncPaging[Any]")


class FirstPage(Generic[T, PageT]):
    """What async ``list()`` returns: ``await`` it for the first page, or ``async for`` over every item."""

    def __init__(self, first: Callable[[], Awaitable[PageT]]) -> None:
        self._first = first

    def __await__(self) -> Generator[Any, None, PageT]:
        return self._first().__await__()

    async def __aiter__(self) -> AsyncIterator[T]:
        page = await self._first()
        async for item in page:
            yield item


class SyncPage(SyncPaging[T], _PageBase[T]):
    """A page of a ``has_more`` / ``first_id`` / ``last_id`` list (batches, models)."""


class AsyncPage(AsyncPaging[T], _PageBase[T]):
    """The async twin of ``SyncPage``."""


class AsyncPaginator(FirstPage[T, "AsyncPage[T]"]):
    """What async ``list()`` of batches and models returns (see ``FirstPage``)."""
