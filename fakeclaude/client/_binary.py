"""Answers that are bytes, not JSON (``files.download``): ``BinaryAPIResponse`` and its async twin.

As in the official SDK: ``read()`` the bytes, ``text()`` / ``json()`` them decoded, ``iter_bytes()``,
``write_to_file(path)``; ``parse()`` gives the bytes too.
"""

from __future__ import annotations

import os

import httpx2

from ._response import APIResponse, AsyncAPIResponse

__all__ = ["AsyncBinaryAPIResponse", "BinaryAPIResponse", "content_of"]


def content_of(response: httpx2.Response) -> bytes:
    """The parser of a binary answer: its body."""
    return response.content


class BinaryAPIResponse(APIResponse[bytes]):
    """A downloaded file's answer."""

    def write_to_file(self, file: str | os.PathLike[str]) -> None:
        """Write the bytes to ``file`` (created or truncated)."""
        with open(file, "wb") as out:
            for chunk in self.http_response.iter_bytes():
                out.write(chunk)


class AsyncBinaryAPIResponse(AsyncAPIResponse[bytes]):
    """A downloaded file's answer, for ``AsyncAnthropic``."""

    async def write_to_file(self, file: str | os.PathLike[str]) -> None:
        """Write the bytes to ``file`` (created or truncated)."""
        with open(file, "wb") as out:  # noqa: ASYNC230 - a local file, written from an already-read body
            async for chunk in self.http_response.aiter_bytes():
                out.write(chunk)
