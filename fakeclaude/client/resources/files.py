"""``client.files`` and ``client.beta.files``: upload, list, retrieve the metadata of, download and delete files.

The official SDK's names and signatures: ``upload(file=..., expires_in_seconds=...)`` takes bytes, a
path, a binary file object or a ``(filename, content[, mime_type])`` tuple; ``list(ids=, limit=,
page=)`` gives a :class:`SyncPageCursor` whose iteration walks every page; ``retrieve_metadata(file_id)``
and ``delete(file_id)`` give :class:`~fakeclaude.types.FileMetadata` / :class:`~fakeclaude.types.DeletedFile`;
``download(file_id)`` a :class:`BinaryAPIResponse`. Both clients build their requests in
:class:`_FilesBase` (no I/O there); ``Files`` and ``AsyncFiles`` only send them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from typing_extensions import Unpack

from ...types import DeletedFile, FileMetadata
from .._binary import AsyncBinaryAPIResponse, BinaryAPIResponse, content_of
from .._cursor_pages import AsyncCursorPaginator, AsyncPageCursor, SyncPageCursor, cursor_page_parser
from .._multipart import FileTypes, encode_multipart
from .._options import NOT_GIVEN, NotGiven, RequestOptions
from .._response import (
    AsyncResponseContextManager,
    ResponseContextManager,
    to_raw,
    to_raw_async,
    to_streamed,
    to_streamed_async,
)
from ._common import BetaRequestExtras, RequestExtras, json_parser, make_options

if TYPE_CHECKING:
    from .._async import AsyncAnthropic
    from .._sync import Anthropic

__all__ = [
    "AsyncBetaFiles",
    "AsyncFiles",
    "AsyncFilesWithRawResponse",
    "AsyncFilesWithStreamingResponse",
    "BetaFiles",
    "Files",
    "FilesWithRawResponse",
    "FilesWithStreamingResponse",
]

_PATH = "v1/files"
_metadata = json_parser(FileMetadata)
_deleted = json_parser(DeletedFile)


def _file_path(file_id: str, suffix: str = "") -> str:
    if not file_id:
        raise ValueError(f"Expected a non-empty value for `file_id` but received {file_id!r}")
    return f"{_PATH}/{file_id}{suffix}"


class _FilesBase:
    """The requests of the Files API, shared by the sync and async resources (pure: no I/O)."""

    _beta: ClassVar[bool] = False

    def _upload_options(self, file: FileTypes, expires_in_seconds: int | NotGiven,
                        extras: RequestExtras) -> RequestOptions:
        fields = {} if isinstance(expires_in_seconds, NotGiven) else {"expires_in_seconds": str(expires_in_seconds)}
        content_type, body = encode_multipart(fields, {"file": file})
        options = make_options("POST", _PATH, extras, headers={"Content-Type": content_type}, beta=self._beta)
        return dataclasses.replace(options, content=body)

    def _list_options(self, params: dict[str, Any], extras: RequestExtras) -> RequestOptions:
        return make_options("GET", _PATH, extras, params=params, beta=self._beta)

    @staticmethod
    def _list_params(ids: Sequence[str] | NotGiven | None, limit: int | NotGiven, page: str | NotGiven | None,
                     scope_id: str | NotGiven = NOT_GIVEN) -> dict[str, Any]:
        if isinstance(ids, str):
            raise TypeError("`ids` takes a list of file ids, not one string")
        return {"ids[]": NOT_GIVEN if ids is None or isinstance(ids, NotGiven) else list(ids),
                "limit": limit, "page": page, "scope_id": scope_id}

    def _item_options(self, method: str, file_id: str, extras: RequestExtras, suffix: str = "") -> RequestOptions:
        headers = {"Accept": "application/binary"} if suffix else None
        return make_options(method, _file_path(file_id, suffix), extras, headers=headers, beta=self._beta)


class Files(_FilesBase):
    """``client.files``."""

    def __init__(self, client: Anthropic) -> None:
        self._client = client

    @cached_property
    def with_raw_response(self) -> FilesWithRawResponse:
        return FilesWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> FilesWithStreamingResponse:
        return FilesWithStreamingResponse(self)

    def upload(self, *, file: FileTypes, expires_in_seconds: int | NotGiven = NOT_GIVEN,
               **extras: Unpack[BetaRequestExtras]) -> FileMetadata:
        """Store ``file`` (sent as ``multipart/form-data``) and return its metadata."""
        return self._client.request(self._upload_options(file, expires_in_seconds, extras), _metadata)

    def list(self, *, ids: Sequence[str] | NotGiven | None = NOT_GIVEN, limit: int | NotGiven = NOT_GIVEN,
             page: str | NotGiven | None = NOT_GIVEN, **extras: Unpack[BetaRequestExtras]) -> SyncPageCursor[FileMetadata]:
        """Files, newest first; iterating the page walks every page (``page=<next_page>``)."""
        return self._page(self._list_params(ids, limit, page), extras)

    def _page(self, params: dict[str, Any], extras: RequestExtras) -> SyncPageCursor[FileMetadata]:
        options = self._list_options(params, extras)
        page_kwargs = cursor_page_parser(FileMetadata.model_validate, options.params)
        return self._client.request(options, lambda r: SyncPageCursor(
            fetch=lambda p: self._page(p, extras), **page_kwargs(r)))

    def retrieve_metadata(self, file_id: str, **extras: Unpack[BetaRequestExtras]) -> FileMetadata:
        return self._client.request(self._item_options("GET", file_id, extras), _metadata)

    def delete(self, file_id: str, **extras: Unpack[BetaRequestExtras]) -> DeletedFile:
        return self._client.request(self._item_options("DELETE", file_id, extras), _deleted)

    def download(self, file_id: str, **extras: Unpack[BetaRequestExtras]) -> BinaryAPIResponse:
        """The bytes of a downloadable file (one a tool made); uploads answer 400."""
        return self._download(file_id, extras, unread=False)

    def _download(self, file_id: str, extras: RequestExtras, *, unread: bool) -> BinaryAPIResponse:
        response, retries = self._client._send(self._item_options("GET", file_id, extras, "/content"), unread=unread)
        return BinaryAPIResponse(raw=response, client=self._client, parser=content_of, retries_taken=retries,
                                 stream=unread)


class AsyncFiles(_FilesBase):
    """``client.files`` of ``AsyncAnthropic``."""

    def __init__(self, client: AsyncAnthropic) -> None:
        self._client = client

    @cached_property
    def with_raw_response(self) -> AsyncFilesWithRawResponse:
        return AsyncFilesWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> AsyncFilesWithStreamingResponse:
        return AsyncFilesWithStreamingResponse(self)

    async def upload(self, *, file: FileTypes, expires_in_seconds: int | NotGiven = NOT_GIVEN,
                     **extras: Unpack[BetaRequestExtras]) -> FileMetadata:
        """Store ``file`` (sent as ``multipart/form-data``) and return its metadata."""
        return await self._client.request(self._upload_options(file, expires_in_seconds, extras), _metadata)

    def list(self, *, ids: Sequence[str] | NotGiven | None = NOT_GIVEN, limit: int | NotGiven = NOT_GIVEN,
             page: str | NotGiven | None = NOT_GIVEN,
             **extras: Unpack[BetaRequestExtras]) -> AsyncCursorPaginator[FileMetadata]:
        """``await`` it for the first page, or ``async for`` over every file, newest first."""
        params = self._list_params(ids, limit, page)
        return AsyncCursorPaginator(lambda: self._page(params, extras))

    async def _list_first(self, *, ids: Sequence[str] | NotGiven | None = NOT_GIVEN,
                          limit: int | NotGiven = NOT_GIVEN, page: str | NotGiven | None = NOT_GIVEN,
                          **extras: Unpack[BetaRequestExtras]) -> AsyncPageCursor[FileMetadata]:
        return await self._page(self._list_params(ids, limit, page), extras)

    async def _page(self, params: dict[str, Any], extras: RequestExtras) -> AsyncPageCursor[FileMetadata]:
        options = self._list_options(params, extras)
        page_kwargs = cursor_page_parser(FileMetadata.model_validate, options.params)
        return await self._client.request(options, lambda r: AsyncPageCursor(
            fetch=lambda p: self._page(p, extras), **page_kwargs(r)))

    async def retrieve_metadata(self, file_id: str, **extras: Unpack[BetaRequestExtras]) -> FileMetadata:
        return await self._client.request(self._item_options("GET", file_id, extras), _metadata)

    async def delete(self, file_id: str, **extras: Unpack[BetaRequestExtras]) -> DeletedFile:
        return await self._client.request(self._item_options("DELETE", file_id, extras), _deleted)

    async def download(self, file_id: str, **extras: Unpack[BetaRequestExtras]) -> AsyncBinaryAPIResponse:
        """The bytes of a downloadable file (one a tool made); uploads answer 400."""
        return await self._download(file_id, extras, unread=False)

    async def _download(self, file_id: str, extras: RequestExtras, *, unread: bool) -> AsyncBinaryAPIResponse:
        options = self._item_options("GET", file_id, extras, "/content")
        response, retries = await self._client._send(options, unread=unread)
        if not unread:
            await response.aread()
        return AsyncBinaryAPIResponse(raw=response, client=self._client, parser=content_of, retries_taken=retries,
                                      stream=unread)


class BetaFiles(Files):
    """``client.beta.files``: the same calls in the beta namespace (``betas=[...]``)."""

    _beta = True


class AsyncBetaFiles(AsyncFiles):
    """``client.beta.files`` of ``AsyncAnthropic``."""

    _beta = True


class FilesWithRawResponse:
    def __init__(self, files: Files) -> None:
        self.upload = to_raw(files.upload)
        self.list = to_raw(files.list)
        self.retrieve_metadata = to_raw(files.retrieve_metadata)
        self.delete = to_raw(files.delete)
        self.download = files.download  # already the raw answer


class AsyncFilesWithRawResponse:
    def __init__(self, files: AsyncFiles) -> None:
        self.upload = to_raw_async(files.upload)
        self.list = to_raw_async(files._list_first)
        self.retrieve_metadata = to_raw_async(files.retrieve_metadata)
        self.delete = to_raw_async(files.delete)
        self.download = files.download  # already the raw answer


class FilesWithStreamingResponse:
    def __init__(self, files: Files) -> None:
        self.upload = to_streamed(files.upload)
        self.list = to_streamed(files.list)
        self.retrieve_metadata = to_streamed(files.retrieve_metadata)
        self.delete = to_streamed(files.delete)
        self._files = files

    def download(self, file_id: str, **extras: Unpack[BetaRequestExtras]) -> ResponseContextManager[BinaryAPIResponse]:
        """A context manager: the body is read only when asked for, the response closed on leaving it."""
        return ResponseContextManager(lambda: self._files._download(file_id, extras, unread=True))


class AsyncFilesWithStreamingResponse:
    def __init__(self, files: AsyncFiles) -> None:
        self.upload = to_streamed_async(files.upload)
        self.list = to_streamed_async(files._list_first)
        self.retrieve_metadata = to_streamed_async(files.retrieve_metadata)
        self.delete = to_streamed_async(files.delete)
        self._files = files

    def download(self, file_id: str,
                 **extras: Unpack[BetaRequestExtras]) -> AsyncResponseContextManager[AsyncBinaryAPIResponse]:
        return AsyncResponseContextManager(self._files._download(file_id, extras, unread=True))
