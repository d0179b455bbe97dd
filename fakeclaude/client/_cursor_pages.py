"""Cursor pages (``{"data": [...], "next_page": "page_…" | null}``), as the Files API lists, with the
official SDK's names: ``SyncPageCursor`` / ``AsyncPageCursor``. Iterating a page walks every page,
asking for the next with ``page=<next_page>`` until ``next_page`` is empty."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import httpx2

from ._pagination import AsyncPaging, FirstPage, SyncPaging

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


class SyncPageCursor(SyncPaging[T], _CursorPage[T]):
    """A page of a ``next_page`` cursor list (files)."""


class AsyncPageCursor(AsyncPaging[T], _CursorPage[T]):
    """The async twin of ``SyncPageCursor``."""


class AsyncCursorPaginator(FirstPage[T, "AsyncPageCursor[T]"]):
    """What async ``files.list()`` returns: ``await`` it for the first page, or ``async for`` over every item."""
