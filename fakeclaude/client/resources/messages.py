"""``client.messages``: create (plain or streamed), the ``stream()`` helper, ``parse()`` and ``count_tokens``."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, overload

import httpx2
from typing_extensions import Unpack

from ...streaming import AsyncMessageStreamManager, AsyncStream, MessageStreamManager, Stream
from ...types import Message, MessageTokensCount, RawMessageStreamEvent, parse_stream_event
from ...types.params import (
    MessageCountTokensParams,
    MessageCreateParamsNonStreaming,
    MessageCreateParamsStreaming,
)
from ...types.parsed_message import ParsedMessage, ResponseFormatT
from .._response import to_raw, to_raw_async, to_streamed, to_streamed_async
from ._common import RequestExtras
from ._message_calls import (
    count_parser,
    count_tokens_options,
    create_options,
    message_parser,
    parse_request,
    stream_request,
)
from .batches import (
    AsyncBatches,
    AsyncBatchesWithRawResponse,
    AsyncBatchesWithStreamingResponse,
    Batches,
    BatchesWithRawResponse,
    BatchesWithStreamingResponse,
)

if TYPE_CHECKING:
    from .._async import AsyncAnthropic
    from .._sync import Anthropic

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


def stream_parser(response: httpx2.Response) -> Stream[RawMessageStreamEvent]:
    return Stream(response, parse=parse_stream_event)


def async_stream_parser(response: httpx2.Response) -> AsyncStream[RawMessageStreamEvent]:
    return AsyncStream(response, parse=parse_stream_event)


class Messages:
    """``client.messages``."""

    def __init__(self, client: Anthropic) -> None:
        self._client = client

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
        options = create_options(self._client, params)
        if options.stream:
            return self._client.request(options, stream_parser)
        return self._client.request(options, message_parser)

    def stream(self, **params: Unpack[StreamParams]) -> MessageStreamManager:
        """``with client.messages.stream(...) as stream:`` text_stream, events, get_final_message().

        With ``output_format=T`` each text block is parsed as ``T`` when it ends, and the final message is a
        ``ParsedMessage`` (``parsed_output``)."""
        options, output_format = stream_request(self._client, params)
        return MessageStreamManager(lambda: self._client.request(options, stream_parser), output_format=output_format)

    def parse(
        self, *, output_format: type[ResponseFormatT] | None = None, **params: Unpack[CreateNonStreaming]
    ) -> ParsedMessage[ResponseFormatT]:
        """``create`` with ``output_format=T``: asks for JSON matching ``T`` and parses it (``parsed_output``)."""
        options, parser = parse_request(self._client, {**params, "output_format": output_format})
        return self._client.request(options, parser)

    def count_tokens(self, **params: Unpack[CountTokens]) -> MessageTokensCount:
        """The input tokens the request would use."""
        return self._client.request(count_tokens_options(self._client, params), count_parser)


class AsyncMessages:
    """``client.messages`` of ``AsyncAnthropic``."""

    def __init__(self, client: AsyncAnthropic) -> None:
        self._client = client

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
        options = create_options(self._client, params)
        if options.stream:
            return await self._client.request(options, async_stream_parser)
        return await self._client.request(options, message_parser)

    def stream(self, **params: Unpack[StreamParams]) -> AsyncMessageStreamManager:
        """``async with client.messages.stream(...) as stream:`` the async twin of ``Messages.stream``."""
        options, output_format = stream_request(self._client, params)
        return AsyncMessageStreamManager(
            lambda: self._client.request(options, async_stream_parser), output_format=output_format
        )

    async def parse(
        self, *, output_format: type[ResponseFormatT] | None = None, **params: Unpack[CreateNonStreaming]
    ) -> ParsedMessage[ResponseFormatT]:
        """``create`` with ``output_format=T``: asks for JSON matching ``T`` and parses it (``parsed_output``)."""
        options, parser = parse_request(self._client, {**params, "output_format": output_format})
        return await self._client.request(options, parser)

    async def count_tokens(self, **params: Unpack[CountTokens]) -> MessageTokensCount:
        """The input tokens the request would use."""
        return await self._client.request(count_tokens_options(self._client, params), count_parser)


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
