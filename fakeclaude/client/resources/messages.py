"""``client.messages``: create (plain or streamed), the ``stream()`` helper, and ``count_tokens``."""

from __future__ import annotations

from collections.abc import Callable
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
from .._options import RequestOptions
from .._response import to_raw, to_raw_async
from ._common import RequestExtras, json_parser, make_options
from .batches import AsyncBatches, AsyncBatchesWithRawResponse, Batches, BatchesWithRawResponse

if TYPE_CHECKING:
    from .._async import AsyncAnthropic
    from .._base import BaseClient
    from .._sync import Anthropic

__all__ = ["AsyncMessages", "AsyncMessagesWithRawResponse", "Messages", "MessagesWithRawResponse"]

class CreateNonStreaming(MessageCreateParamsNonStreaming, RequestExtras, total=False):
    pass

class CreateStreaming(MessageCreateParamsStreaming, RequestExtras, total=False):
    pass

class CountTokens(MessageCountTokensParams, RequestExtras, total=False):
    pass

_STREAM_HELPER_HEADERS = {"X-Stainless-Helper-Method": "stream", "X-Stainless-Stream-Helper": "messages"}

def _create_options(client: BaseClient[Any], kwargs: dict[str, Any], *, helper: bool = False) -> RequestOptions:
    stream = bool(kwargs.get("stream", False))
    options = make_options(
        "POST", "v1/messages", kwargs, body_keys=True, stream=stream, headers=_STREAM_HELPER_HEADERS if helper else None
    )
    client.check_create_body(options.json, stream=stream, timeout=options.timeout)
    return options

def _stream_parser(response: httpx2.Response) -> Stream[RawMessageStreamEvent]:
    return Stream(response, parse=parse_stream_event)

def _async_stream_parser(response: httpx2.Response) -> AsyncStream[RawMessageStreamEvent]:
    return AsyncStream(response, parse=parse_stream_event)

_message_parser: Callable[[httpx2.Response], Message] = json_parser(Message)
_count_parser = json_parser(MessageTokensCount)

class Messages:
    def __init__(self, client: Anthropic) -> None:
        self._client = client

    @cached_property
    def batches(self) -> Batches:
        return Batches(self._client)

    @cached_property
    def with_raw_response(self) -> MessagesWithRawResponse:
        return MessagesWithRawResponse(self)

    @overload
    def create(self, **params: Unpack[CreateNonStreaming]) -> Message: ...
    @overload
    def create(self, **params: Unpack[CreateStreaming]) -> Stream[RawMessageStreamEvent]: ...
    def create(self, **params: Any) -> Message | Stream[RawMessageStreamEvent]:
        """Send a Message; with ``stream=True`` iterate its raw events instead."""
        options = _create_options(self._client, params)
        if options.stream:
            return self._client.request(options, _stream_parser)
        return self._client.request(options, _message_parser)

    def stream(self, **params: Unpack[CreateNonStreaming]) -> MessageStreamManager:
        """``with client.messages.stream(...) as stream:`` text_stream, events, get_final_message()."""
        options = _create_options(self._client, {**params, "stream": True}, helper=True)
        return MessageStreamManager(lambda: self._client.request(options, _stream_parser))

    def count_tokens(self, **params: Unpack[CountTokens]) -> MessageTokensCount:
        """The input tokens the request would use."""
        options = make_options("POST", "v1/messages/count_tokens", params, body_keys=True)
        return self._client.request(options, _count_parser)

class AsyncMessages:
    def __init__(self, client: AsyncAnthropic) -> None:
        self._client = client

    @cached_property
    def batches(self) -> AsyncBatches:
        return AsyncBatches(self._client)

    @cached_property
    def with_raw_response(self) -> AsyncMessagesWithRawResponse:
        return AsyncMessagesWithRawResponse(self)

    @overload
    async def create(self, **params: Unpack[CreateNonStreaming]) -> Message: ...
    @overload
    async def create(self, **params: Unpack[CreateStreaming]) -> AsyncStream[RawMessageStreamEvent]: ...
    async def create(self, **params: Any) -> Message | AsyncStream[RawMessageStreamEvent]:
        """Send a Message; with ``stream=True`` iterate its raw events instead."""
        options = _create_options(self._client, params)
        if options.stream:
            return await self._client.request(options, _async_stream_parser)
        return await self._client.request(options, _message_parser)

    def stream(self, **params: Unpack[CreateNonStreaming]) -> AsyncMessageStreamManager:
        """``async with client.messages.stream(...) as stream:`` the async twin of ``Messages.stream``."""
        options = _create_options(self._client, {**params, "stream": True}, helper=True)
        return AsyncMessageStreamManager(lambda: self._client.request(options, _async_stream_parser))

    async def count_tokens(self, **params: Unpack[CountTokens]) -> MessageTokensCount:
        """The input tokens the request would use."""
        options = make_options("POST", "v1/messages/count_tokens", params, body_keys=True)
        return await self._client.request(options, _count_parser)

class MessagesWithRawResponse:
    def __init__(self, messages: Messages) -> None:
        self.create = to_raw(messages.create)
        self.count_tokens = to_raw(messages.count_tokens)
        self.batches = BatchesWithRawResponse(messages.batches)

class AsyncMessagesWithRawResponse:
    def __init__(self, messages: AsyncMessages) -> None:
        self.create = to_raw_async(messages.create)
        self.count_tokens = to_raw_async(messages.count_tokens)
        self.batches = AsyncBatchesWithRawResponse(messages.batches)

