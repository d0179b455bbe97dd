"""``client.messages``: create (plain or streamed), the ``stream()`` helper, ``parse()`` and ``count_tokens``.

The calls' plumbing is shared with ``client.beta.messages`` (:mod:`._messages_base`); this module
declares the GA signatures and the raw / streamed-response wrappers.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, overload

from typing_extensions import Unpack

from ...streaming import AsyncMessageStreamManager, AsyncStream, MessageStreamManager, Stream
from ...types import Message, MessageTokensCount, RawMessageStreamEvent
from ...types.params import (
    MessageCountTokensParams,
    MessageCreateParamsNonStreaming,
    MessageCreateParamsStreaming,
)
from ...types.parsed_message import ParsedMessage, ResponseFormatT
from .._response import to_raw, to_raw_async, to_streamed, to_streamed_async
from ._common import RequestExtras
from ._message_calls import keywords_of
from ._messages_base import AsyncMessagesBase, MessagesBase
from .batches import (
    AsyncBatches,
    AsyncBatchesWithRawResponse,
    AsyncBatchesWithStreamingResponse,
    Batches,
    BatchesWithRawResponse,
    BatchesWithStreamingResponse,
)

__all__ = [
    "AsyncMessages",
    "AsyncMessagesWithRawResponse",
    "AsyncMessagesWithStreamingResponse",
    "Messages",
    "MessagesWithRawResponse",
    "MessagesWithStreamingResponse",
]


class CreateNonStreaming(MessageCreateParamsNonStreaming, RequestExtras, total=False):
    pass


class CreateStreaming(MessageCreateParamsStreaming, RequestExtras, total=False):
    pass


class StreamParams(MessageCreateParamsNonStreaming, RequestExtras, total=False):
    output_format: Any
    """A type (pydantic model, dataclass, ``list[int]``...): its text blocks are parsed as it."""


class CountTokens(MessageCountTokensParams, RequestExtras, total=False):
    output_format: Any


_KEYWORDS = {"create": keywords_of(CreateStreaming, CreateNonStreaming), "stream": keywords_of(StreamParams),
             "parse": keywords_of(CreateNonStreaming), "count_tokens": keywords_of(CountTokens)}


class Messages(MessagesBase):
    """``client.messages``."""

    _keywords = _KEYWORDS

    @cached_property
    def batches(self) -> Batches:
        return Batches(self._client)

    @cached_property
    def with_raw_response(self) -> MessagesWithRawResponse:
        return MessagesWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> MessagesWithStreamingResponse:
        return MessagesWithStreamingResponse(self)

    @overload
    def create(self, **params: Unpack[CreateNonStreaming]) -> Message: ...
    @overload
    def create(self, **params: Unpack[CreateStreaming]) -> Stream[RawMessageStreamEvent]: ...
    def create(self, **params: Any) -> Message | Stream[RawMessageStreamEvent]:
        """Send a Message; with ``stream=True`` iterate its raw events instead."""
        return self._create(params)

    def stream(self, **params: Unpack[StreamParams]) -> MessageStreamManager:
        """``with client.messages.stream(...) as stream:`` text_stream, events, get_final_message().

        With ``output_format=T`` each text block is parsed as ``T`` when it ends, and the final message is a
        ``ParsedMessage`` (``parsed_output``)."""
        return self._stream(params)

    def parse(
        self, *, output_format: type[ResponseFormatT] | None = None, **params: Unpack[CreateNonStreaming]
    ) -> ParsedMessage[ResponseFormatT]:
        """``create`` with ``output_format=T``: asks for JSON matching ``T`` and parses it (``parsed_output``)."""
        return self._parse(output_format, params)

    def count_tokens(self, **params: Unpack[CountTokens]) -> MessageTokensCount:
        """The input tokens the request would use."""
        return self._count_tokens(params)


class AsyncMessages(AsyncMessagesBase):
    """``client.messages`` of ``AsyncAnthropic``."""

    _keywords = _KEYWORDS

    @cached_property
    def batches(self) -> AsyncBatches:
        return AsyncBatches(self._client)

    @cached_property
    def with_raw_response(self) -> AsyncMessagesWithRawResponse:
        return AsyncMessagesWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> AsyncMessagesWithStreamingResponse:
        return AsyncMessagesWithStreamingResponse(self)

    @overload
    async def create(self, **params: Unpack[CreateNonStreaming]) -> Message: ...
    @overload
    async def create(self, **params: Unpack[CreateStreaming]) -> AsyncStream[RawMessageStreamEvent]: ...
    async def create(self, **params: Any) -> Message | AsyncStream[RawMessageStreamEvent]:
        """Send a Message; with ``stream=True`` iterate its raw events instead."""
        return await self._create(params)

    def stream(self, **params: Unpack[StreamParams]) -> AsyncMessageStreamManager:
        """``async with client.messages.stream(...) as stream:`` the async twin of ``Messages.stream``."""
        return self._stream(params)

    async def parse(
        self, *, output_format: type[ResponseFormatT] | None = None, **params: Unpack[CreateNonStreaming]
    ) -> ParsedMessage[ResponseFormatT]:
        """``create`` with ``output_format=T``: asks for JSON matching ``T`` and parses it (``parsed_output``)."""
        return await self._parse(output_format, params)

    async def count_tokens(self, **params: Unpack[CountTokens]) -> MessageTokensCount:
        """The input tokens the request would use."""
        return await self._count_tokens(params)


class MessagesWithRawResponse:
    def __init__(self, messages: Messages) -> None:
        self.create = to_raw(messages.create)
        self.parse = to_raw(messages.parse)
        self.count_tokens = to_raw(messages.count_tokens)
        self.batches = BatchesWithRawResponse(messages.batches)


class AsyncMessagesWithRawResponse:
    def __init__(self, messages: AsyncMessages) -> None:
        self.create = to_raw_async(messages.create)
        self.parse = to_raw_async(messages.parse)
        self.count_tokens = to_raw_async(messages.count_tokens)
        self.batches = AsyncBatchesWithRawResponse(messages.batches)


class MessagesWithStreamingResponse:
    def __init__(self, messages: Messages) -> None:
        self.create = to_streamed(messages.create)
        self.parse = to_streamed(messages.parse)
        self.count_tokens = to_streamed(messages.count_tokens)
        self.batches = BatchesWithStreamingResponse(messages.batches)


class AsyncMessagesWithStreamingResponse:
    def __init__(self, messages: AsyncMessages) -> None:
        self.create = to_streamed_async(messages.create)
        self.parse = to_streamed_async(messages.parse)
        self.count_tokens = to_streamed_async(messages.count_tokens)
        self.batches = AsyncBatchesWithStreamingResponse(messages.batches)
