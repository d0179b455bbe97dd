"""``client.messages.batches``: create, retrieve, list, cancel, delete and stream the results of batches."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar

import httpx2
from typing_extensions import Unpack

from ..._exceptions import AnthropicError
from ...streaming import aiter_jsonl, iter_jsonl
from ...types import DeletedMessageBatch, MessageBatch, MessageBatchIndividualResponse
from ...types.params import Request
from .._options import NOT_GIVEN, NotGiven, RequestOptions
from .._pagination import AsyncPage, AsyncPaginator, SyncPage
from .._response import to_raw, to_raw_async, to_streamed, to_streamed_async
from ._common import RequestExtras, async_list, json_parser, list_params, make_options, sync_list

if TYPE_CHECKING:
    from .._async import AsyncAnthropic
    from .._sync import Anthropic

__all__ = [
    "AsyncBatches",
    "AsyncBatchesWithRawResponse",
    "AsyncBatchesWithStreamingResponse",
    "AsyncBetaBatches",
    "Batches",
    "BatchesWithRawResponse",
    "BatchesWithStreamingResponse",
    "BetaBatches",
]

_PATH = "v1/messages/batches"
_batch = json_parser(MessageBatch)
_deleted = json_parser(DeletedMessageBatch)


def _batch_path(batch_id: str, suffix: str = "") -> str:
    if not batch_id:
        raise ValueError(f"Expected a non-empty value for `message_batch_id` but received {batch_id!r}")
    return f"{_PATH}/{batch_id}{suffix}"


def _results_options(batch: MessageBatch, extras: RequestExtras, beta: bool) -> RequestOptions:
    if not batch.results_url:
        raise AnthropicError(
            f"No `results_url` for the given batch; Has it finished processing? {batch.processing_status}"
        )
    return make_options(
        "GET", batch.results_url, extras, headers={"Accept": "application/binary"}, stream=True, beta=beta
    )


def _results(response: httpx2.Response) -> Iterator[MessageBatchIndividualResponse]:
    for line in iter_jsonl(response):
        yield MessageBatchIndividualResponse.model_validate(line)


async def _aresults(response: httpx2.Response) -> AsyncIterator[MessageBatchIndividualResponse]:
    async for line in aiter_jsonl(response):
        yield MessageBatchIndividualResponse.model_validate(line)


class Batches:
    """``client.messages.batches``."""

    _beta: ClassVar[bool] = False

    def __init__(self, client: Anthropic) -> None:
        self._client = client

    @cached_property
    def with_raw_response(self) -> BatchesWithRawResponse:
        return BatchesWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> BatchesWithStreamingResponse:
        return BatchesWithStreamingResponse(self)

    def create(self, *, requests: Iterable[Request], **extras: Unpack[RequestExtras]) -> MessageBatch:
        """Queue many Messages requests at once; each names itself with a unique ``custom_id``."""
        options = make_options("POST", _PATH, {"requests": list(requests), **extras}, body_keys=True, beta=self._beta)
        return self._client.request(options, _batch)

    def retrieve(self, message_batch_id: str, **extras: Unpack[RequestExtras]) -> MessageBatch:
        return self._client.request(make_options("GET", _batch_path(message_batch_id), extras, beta=self._beta), _batch)

    def list(
        self,
        *,
        after_id: str | NotGiven = NOT_GIVEN,
        before_id: str | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        **extras: Unpack[RequestExtras],
    ) -> SyncPage[MessageBatch]:
        """Batches, most recent first; iterating the page walks every page."""
        return sync_list(self._client, _PATH, MessageBatch.model_validate, list_params(after_id, before_id, limit), extras,
                         beta=self._beta)

    def cancel(self, message_batch_id: str, **extras: Unpack[RequestExtras]) -> MessageBatch:
        return self._client.request(make_options("POST", _batch_path(message_batch_id, "/cancel"), extras, beta=self._beta), _batch)

    def delete(self, message_batch_id: str, **extras: Unpack[RequestExtras]) -> DeletedMessageBatch:
        return self._client.request(make_options("DELETE", _batch_path(message_batch_id), extras, beta=self._beta), _deleted)

    def results(self, message_batch_id: str, **extras: Unpack[RequestExtras]) -> Iterator[MessageBatchIndividualResponse]:
        """The results of an ended batch, one typed line at a time (fetched from its ``results_url``)."""
        batch = self.retrieve(message_batch_id, **extras)
        return self._client.request(_results_options(batch, extras, self._beta), _results)


class AsyncBatches:
    """``client.messages.batches`` of ``AsyncAnthropic``."""

    _beta: ClassVar[bool] = False

    def __init__(self, client: AsyncAnthropic) -> None:
        self._client = client

    @cached_property
    def with_raw_response(self) -> AsyncBatchesWithRawResponse:
        return AsyncBatchesWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> AsyncBatchesWithStreamingResponse:
        return AsyncBatchesWithStreamingResponse(self)

    async def create(self, *, requests: Iterable[Request], **extras: Unpack[RequestExtras]) -> MessageBatch:
        """Queue many Messages requests at once; each names itself with a unique ``custom_id``."""
        options = make_options("POST", _PATH, {"requests": list(requests), **extras}, body_keys=True, beta=self._beta)
        return await self._client.request(options, _batch)

    async def retrieve(self, message_batch_id: str, **extras: Unpack[RequestExtras]) -> MessageBatch:
        return await self._client.request(make_options("GET", _batch_path(message_batch_id), extras, beta=self._beta), _batch)

    def list(
        self,
        *,
        after_id: str | NotGiven = NOT_GIVEN,
        before_id: str | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        **extras: Unpack[RequestExtras],
    ) -> AsyncPaginator[MessageBatch]:
        params = list_params(after_id, before_id, limit)
        return AsyncPaginator(
            lambda: async_list(self._client, _PATH, MessageBatch.model_validate, params, extras, beta=self._beta)
        )

    async def _list_first(
        self,
        *,
        after_id: str | NotGiven = NOT_GIVEN,
        before_id: str | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        **extras: Unpack[RequestExtras],
    ) -> AsyncPage[MessageBatch]:
        return await async_list(self._client, _PATH, MessageBatch.model_validate, list_params(after_id, before_id, limit), extras,
                         beta=self._beta)


    async def cancel(self, message_batch_id: str, **extras: Unpack[RequestExtras]) -> MessageBatch:
        return await self._client.request(make_options("POST", _batch_path(message_batch_id, "/cancel"), extras, beta=self._beta), _batch)

    async def delete(self, message_batch_id: str, **extras: Unpack[RequestExtras]) -> DeletedMessageBatch:
        return await self._client.request(make_options("DELETE", _batch_path(message_batch_id), extras, beta=self._beta), _deleted)

    async def results(
        self, message_batch_id: str, **extras: Unpack[RequestExtras]
    ) -> AsyncIterator[MessageBatchIndividualResponse]:
        batch = await self.retrieve(message_batch_id, **extras)
        return await self._client.request(_results_options(batch, extras, self._beta), _aresults)


class BetaBatches(Batches):
    """``client.beta.messages.batches``: the same calls in the beta namespace (``betas=[...]``)."""

    _beta = True


class AsyncBetaBatches(AsyncBatches):
    """``client.beta.messages.batches`` of ``AsyncAnthropic``."""

    _beta = True


class BatchesWithRawResponse:
    def __init__(self, batches: Batches) -> None:
        self.create = to_raw(batches.create)
        self.retrieve = to_raw(batches.retrieve)
        self.list = to_raw(batches.list)
        self.cancel = to_raw(batches.cancel)
        self.delete = to_raw(batches.delete)


class AsyncBatchesWithRawResponse:
    def __init__(self, batches: AsyncBatches) -> None:
        self.create = to_raw_async(batches.create)
        self.retrieve = to_raw_async(batches.retrieve)
        self.list = to_raw_async(batches._list_first)
        self.cancel = to_raw_async(batches.cancel)
        self.delete = to_raw_async(batches.delete)


class BatchesWithStreamingResponse:
    def __init__(self, batches: Batches) -> None:
        self.create = to_streamed(batches.create)
        self.retrieve = to_streamed(batches.retrieve)
        self.list = to_streamed(batches.list)
        self.cancel = to_streamed(batches.cancel)
        self.delete = to_streamed(batches.delete)


class AsyncBatchesWithStreamingResponse:
    def __init__(self, batches: AsyncBatches) -> None:
        self.create = to_streamed_async(batches.create)
        self.retrieve = to_streamed_async(batches.retrieve)
        self.list = to_streamed_async(batches._list_first)
        self.cancel = to_streamed_async(batches.cancel)
        self.delete = to_streamed_async(batches.delete)
