"""``client.beta.messages``: the Messages calls of the beta namespace, and the tool runner.

Every call goes to the same path as its GA twin with ``?beta=true`` and an ``anthropic-beta`` header
joining ``betas=[...]`` (``count_tokens`` adds ``token-counting-2024-11-01`` after them); ``tools`` may
hold ``@beta_tool`` functions, sent as their definitions. Answers are the same wire models as GA ones
(they keep the beta-only fields and block types they carry).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, overload

from typing_extensions import Unpack

from ....streaming import AsyncMessageStreamManager, AsyncStream, MessageStreamManager, Stream
from ....types import Message, MessageTokensCount, RawMessageStreamEvent
from ....types.params import MessageCountTokensParams, MessageCreateParamsBase
from ....types.parsed_message import ParsedMessage, ResponseFormatT
from ..._response import to_raw, to_raw_async, to_streamed, to_streamed_async
from .._common import BetaRequestExtras
from .._message_calls import (
    count_parser,
    count_tokens_options,
    create_options,
    message_parser,
    parse_request,
    stream_request,
)
from ..batches import (
    AsyncBatchesWithRawResponse,
    AsyncBatchesWithStreamingResponse,
    AsyncBetaBatches,
    BatchesWithRawResponse,
    BatchesWithStreamingResponse,
    BetaBatches,
)
from ..messages import async_stream_parser, stream_parser

if TYPE_CHECKING:
    from ..._async import AsyncAnthropic
    from ..._sync import Anthropic
    from ...tools import (
        BetaAsyncStreamingToolRunner,
        BetaAsyncToolRunner,
        BetaStreamingToolRunner,
        BetaToolRunner,
    )

__all__ = [
    "AsyncBetaMessages",
    "AsyncBetaMessagesWithRawResponse",
    "AsyncBetaMessagesWithStreamingResponse",
    "BetaMessages",
    "BetaMessagesWithRawResponse",
    "BetaMessagesWithStreamingResponse",
]


class BetaCreateParams(MessageCreateParamsBase, BetaRequestExtras, total=False):
    """A beta create: the GA fields, ``betas``, and the beta-only fields (sent as given)."""

    tools: Sequence[Any]
    thread: Any
    context_management: Any
    mcp_servers: Sequence[Any]
    compaction: Any
    fallbacks: Any
    billing_policy: Any


class BetaCreateNonStreaming(BetaCreateParams, total=False):
    stream: Literal[False]


class BetaCreateStreaming(BetaCreateParams, total=False):
    stream: Literal[True]


class BetaParseParams(BetaCreateParams, total=False):
    output_format: Any
    """A type (pydantic model, dataclass, ``list[int]``...): text blocks are parsed as it."""


class BetaCountTokens(MessageCountTokensParams, BetaRequestExtras, total=False):
    tools: Sequence[Any]
    output_format: Any
    context_management: Any
    mcp_servers: Sequence[Any]


class BetaToolRunnerParams(BetaParseParams, total=False):
    tools: Iterable[Any]  # type: ignore[misc]
    max_iterations: int
    stream: bool
    thread: Literal[False] | None
    run_tools_eagerly: bool


def _runner_kwargs(params: dict[str, Any]) -> tuple[dict[str, Any], Any, int | None, bool]:
    if params.get("run_tools_eagerly"):
        raise NotImplementedError("run_tools_eagerly is not supported by fakeclaude's tool runner yet")
    params.pop("run_tools_eagerly", None)
    tools = list(params.get("tools") or ())
    max_iterations = params.pop("max_iterations", None)
    stream = bool(params.pop("stream", False))
    return params, tools, max_iterations, stream


class BetaMessages:
    """``client.beta.messages``."""

    def __init__(self, client: Anthropic) -> None:
        self._client = client

    @cached_property
    def batches(self) -> BetaBatches:
        return BetaBatches(self._client)

    @cached_property
    def with_raw_response(self) -> BetaMessagesWithRawResponse:
        return BetaMessagesWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> BetaMessagesWithStreamingResponse:
        return BetaMessagesWithStreamingResponse(self)

    @overload
    def create(self, **params: Unpack[BetaCreateNonStreaming]) -> Message: ...
    @overload
    def create(self, **params: Unpack[BetaCreateStreaming]) -> Stream[RawMessageStreamEvent]: ...
    def create(self, **params: Any) -> Message | Stream[RawMessageStreamEvent]:
        """Send a Message in the beta namespace; with ``stream=True`` iterate its raw events instead."""
        options = create_options(self._client, params, beta=True)
        if options.stream:
            return self._client.request(options, stream_parser)
        return self._client.request(options, message_parser)

    def stream(self, **params: Unpack[BetaParseParams]) -> MessageStreamManager:
        """``with client.beta.messages.stream(...) as stream:`` as ``messages.stream``, in the beta namespace."""
        options, output_format = stream_request(self._client, params, beta=True)
        return MessageStreamManager(lambda: self._client.request(options, stream_parser), output_format=output_format)

    def parse(
        self, *, output_format: type[ResponseFormatT] | None = None, **params: Unpack[BetaCreateNonStreaming]
    ) -> ParsedMessage[ResponseFormatT]:
        """``create`` with ``output_format=T``, its text parsed as ``T`` (``parsed_output``)."""
        options, parser = parse_request(self._client, {**params, "output_format": output_format}, beta=True)
        return self._client.request(options, parser)

    def count_tokens(self, **params: Unpack[BetaCountTokens]) -> MessageTokensCount:
        """The input tokens the request would use."""
        return self._client.request(count_tokens_options(self._client, params, beta=True), count_parser)

    def tool_runner(self, **params: Unpack[BetaToolRunnerParams]) -> BetaToolRunner | BetaStreamingToolRunner:
        """Run the tools the model calls until it answers; iterate the replies (their streams with ``stream=True``)."""
        from ...tools import BetaStreamingToolRunner, BetaToolRunner

        kwargs, tools, max_iterations, stream = _runner_kwargs(dict(params))
        runner = BetaStreamingToolRunner if stream else BetaToolRunner
        return runner(self._client, params=kwargs, tools=tools, max_iterations=max_iterations)


class AsyncBetaMessages:
    """``client.beta.messages`` of ``AsyncAnthropic``."""

    def __init__(self, client: AsyncAnthropic) -> None:
        self._client = client

    @cached_property
    def batches(self) -> AsyncBetaBatches:
        return AsyncBetaBatches(self._client)

    @cached_property
    def with_raw_response(self) -> AsyncBetaMessagesWithRawResponse:
        return AsyncBetaMessagesWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> AsyncBetaMessagesWithStreamingResponse:
        return AsyncBetaMessagesWithStreamingResponse(self)

    @overload
    async def create(self, **params: Unpack[BetaCreateNonStreaming]) -> Message: ...
    @overload
    async def create(self, **params: Unpack[BetaCreateStreaming]) -> AsyncStream[RawMessageStreamEvent]: ...
    async def create(self, **params: Any) -> Message | AsyncStream[RawMessageStreamEvent]:
        """Send a Message in the beta namespace; with ``stream=True`` iterate its raw events instead."""
        options = create_options(self._client, params, beta=True)
        if options.stream:
            return await self._client.request(options, async_stream_parser)
        return await self._client.request(options, message_parser)

    def stream(self, **params: Unpack[BetaParseParams]) -> AsyncMessageStreamManager:
        """``async with client.beta.messages.stream(...) as stream:``."""
        options, output_format = stream_request(self._client, params, beta=True)
        return AsyncMessageStreamManager(
            lambda: self._client.request(options, async_stream_parser), output_format=output_format
        )

    async def parse(
        self, *, output_format: type[ResponseFormatT] | None = None, **params: Unpack[BetaCreateNonStreaming]
    ) -> ParsedMessage[ResponseFormatT]:
        """``create`` with ``output_format=T``, its text parsed as ``T`` (``parsed_output``)."""
        options, parser = parse_request(self._client, {**params, "output_format": output_format}, beta=True)
        return await self._client.request(options, parser)

    async def count_tokens(self, **params: Unpack[BetaCountTokens]) -> MessageTokensCount:
        """The input tokens the request would use."""
        return await self._client.request(count_tokens_options(self._client, params, beta=True), count_parser)

    def tool_runner(
        self, **params: Unpack[BetaToolRunnerParams]
    ) -> BetaAsyncToolRunner | BetaAsyncStreamingToolRunner:
        """``async for message in client.beta.messages.tool_runner(...)``: the async tool loop."""
        from ...tools import BetaAsyncStreamingToolRunner, BetaAsyncToolRunner

        kwargs, tools, max_iterations, stream = _runner_kwargs(dict(params))
        runner = BetaAsyncStreamingToolRunner if stream else BetaAsyncToolRunner
        return runner(self._client, params=kwargs, tools=tools, max_iterations=max_iterations)


class BetaMessagesWithRawResponse:
    def __init__(self, messages: BetaMessages) -> None:
        self.create = to_raw(messages.create)
        self.parse = to_raw(messages.parse)
        self.count_tokens = to_raw(messages.count_tokens)
        self.batches = BatchesWithRawResponse(messages.batches)


class AsyncBetaMessagesWithRawResponse:
    def __init__(self, messages: AsyncBetaMessages) -> None:
        self.create = to_raw_async(messages.create)
        self.parse = to_raw_async(messages.parse)
        self.count_tokens = to_raw_async(messages.count_tokens)
        self.batches = AsyncBatchesWithRawResponse(messages.batches)


class BetaMessagesWithStreamingResponse:
    def __init__(self, messages: BetaMessages) -> None:
        self.create = to_streamed(messages.create)
        self.parse = to_streamed(messages.parse)
        self.count_tokens = to_streamed(messages.count_tokens)
        self.batches = BatchesWithStreamingResponse(messages.batches)


class AsyncBetaMessagesWithStreamingResponse:
    def __init__(self, messages: AsyncBetaMessages) -> None:
        self.create = to_streamed_async(messages.create)
        self.parse = to_streamed_async(messages.parse)
        self.count_tokens = to_streamed_async(messages.count_tokens)
        self.batches = AsyncBatchesWithStreamingResponse(messages.batches)
