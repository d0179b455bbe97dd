"""``client.beta.messages``: the Messages calls of the beta namespace, and the tool runner.

Every call goes to the same path as its GA twin, with an ``anthropic-beta`` header joining ``betas=[...]``
(``count_tokens`` adds ``token-counting-2024-11-01`` after them); ``tools`` may hold ``@beta_tool``
functions, sent as their definitions. Answers are the same wire models as GA ones (they keep the beta-only
fields and block types they carry).

The calls' plumbing is the GA namespace's (:mod:`.._messages_base`, with ``_beta`` set); this module
declares the beta signatures. ``thread(...)`` starts a message thread (``fakeclaude.client.threads``); ``tool_runner(...)`` runs its loop
over one, threaded by default as in the SDK (``thread=False`` for the whole conversation every turn).
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
from .._message_calls import keywords_of
from .._messages_base import AsyncMessagesBase, MessagesBase
from ..batches import (
    AsyncBatchesWithRawResponse,
    AsyncBatchesWithStreamingResponse,
    AsyncBetaBatches,
    BatchesWithRawResponse,
    BatchesWithStreamingResponse,
    BetaBatches,
)

if TYPE_CHECKING:
    from ...threads import BetaAsyncMessageThread, BetaMessageThread, UnsupportedRequestBehavior
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
    fallback_credit_token: Any
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
    compaction: Any
    billing_policy: Any


_KEYWORDS = {"create": keywords_of(BetaCreateStreaming, BetaCreateNonStreaming), "stream": keywords_of(BetaParseParams),
             "parse": keywords_of(BetaParseParams), "count_tokens": keywords_of(BetaCountTokens)}


class BetaToolRunnerParams(BetaParseParams, total=False):
    tools: Iterable[Any]  # type: ignore[misc]
    max_iterations: int
    stream: bool
    thread: Literal[False] | None
    run_tools_eagerly: bool


class BetaThreadParams(BetaParseParams, total=False):
    """``thread()``: the create fields the thread keeps (``messages`` is the history so far, ``system`` and
    ``tools`` are sent on ``create`` only)."""

    tools: Iterable[Any]  # type: ignore[misc]


_REQUEST_OPTIONS = ("extra_headers", "extra_query", "extra_body", "timeout")


def _runner_parts(params: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], bool, dict[str, Any], bool]:
    """A tool runner's arguments: the thread's params, the request options of each turn, whether it threads,
    the runner's own (``max_iterations``, ``run_tools_eagerly``) and ``stream``."""
    eager = bool(params.pop("run_tools_eagerly", False))
    if eager and not params.get("stream"):
        raise ValueError("`run_tools_eagerly=True` and `stream=False` are mutually exclusive")
    thread = params.pop("thread", None)
    if thread not in (None, False):
        raise TypeError(
            f"`thread` cannot be set in the params of a tool runner, got {thread!r}. The runner sets it for each "
            "request itself. To run without a message thread, pass `thread=False` to `tool_runner()`."
        )
    options = {key: params.pop(key) for key in _REQUEST_OPTIONS if key in params}
    own = {"max_iterations": params.pop("max_iterations", None), **({"run_tools_eagerly": True} if eager else {})}
    stream = bool(params.pop("stream", False))
    return params, options, thread is not False, own, stream


class BetaMessages(MessagesBase):
    """``client.beta.messages``."""

    _beta = True
    _keywords = _KEYWORDS

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
        return self._create(params)

    def stream(self, **params: Unpack[BetaParseParams]) -> MessageStreamManager:
        """``with client.beta.messages.stream(...) as stream:`` as ``messages.stream``, in the beta namespace."""
        return self._stream(params)

    def parse(
        self, *, output_format: type[ResponseFormatT] | None = None, **params: Unpack[BetaCreateNonStreaming]
    ) -> ParsedMessage[ResponseFormatT]:
        """``create`` with ``output_format=T``, its text parsed as ``T`` (``parsed_output``)."""
        return self._parse(output_format, params)

    def count_tokens(self, **params: Unpack[BetaCountTokens]) -> MessageTokensCount:
        """The input tokens the request would use."""
        return self._count_tokens(params)

    def thread(
        self, *, unsupported_request_behavior: UnsupportedRequestBehavior = "error", **params: Unpack[BetaThreadParams]
    ) -> BetaMessageThread:
        """A message thread: each turn (``send`` / ``parse`` / ``stream``) sends only its new messages, the server
        keeping the rest. Sends nothing until a turn."""
        from ...threads import BetaMessageThread

        return BetaMessageThread(self._client, unsupported_request_behavior=unsupported_request_behavior, **params)

    def tool_runner(self, **params: Unpack[BetaToolRunnerParams]) -> BetaToolRunner | BetaStreamingToolRunner:
        """Run the tools the model calls until it answers; iterate the replies (their streams with ``stream=True``).
        Threaded by default (``thread=False``: the whole conversation every turn)."""
        from ...threads import BetaMessageThread
        from ...threads._thread import thread_state
        from ...tools import BetaStreamingToolRunner, BetaToolRunner

        kwargs, options, threading, own, stream = _runner_parts(dict(params))
        state = thread_state(kwargs, unsupported_request_behavior="continue_unthreaded", threading=threading)
        runner = BetaStreamingToolRunner if stream else BetaToolRunner
        thread = BetaMessageThread._from_state(self._client, state)
        return runner(thread, options=options, **own)


class AsyncBetaMessages(AsyncMessagesBase):
    """``client.beta.messages`` of ``AsyncAnthropic``."""

    _beta = True
    _keywords = _KEYWORDS

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
        return await self._create(params)

    def stream(self, **params: Unpack[BetaParseParams]) -> AsyncMessageStreamManager:
        """``async with client.beta.messages.stream(...) as stream:``."""
        return self._stream(params)

    async def parse(
        self, *, output_format: type[ResponseFormatT] | None = None, **params: Unpack[BetaCreateNonStreaming]
    ) -> ParsedMessage[ResponseFormatT]:
        """``create`` with ``output_format=T``, its text parsed as ``T`` (``parsed_output``)."""
        return await self._parse(output_format, params)

    async def count_tokens(self, **params: Unpack[BetaCountTokens]) -> MessageTokensCount:
        """The input tokens the request would use."""
        return await self._count_tokens(params)

    def thread(
        self, *, unsupported_request_behavior: UnsupportedRequestBehavior = "error", **params: Unpack[BetaThreadParams]
    ) -> BetaAsyncMessageThread:
        """The async twin of ``BetaMessages.thread``."""
        from ...threads import BetaAsyncMessageThread

        return BetaAsyncMessageThread(self._client, unsupported_request_behavior=unsupported_request_behavior, **params)

    def tool_runner(
        self, **params: Unpack[BetaToolRunnerParams]
    ) -> BetaAsyncToolRunner | BetaAsyncStreamingToolRunner:
        """``async for message in client.beta.messages.tool_runner(...)``: the async tool loop (threaded by
        default)."""
        from ...threads import BetaAsyncMessageThread
        from ...threads._thread import thread_state
        from ...tools import BetaAsyncStreamingToolRunner, BetaAsyncToolRunner

        kwargs, options, threading, own, stream = _runner_parts(dict(params))
        state = thread_state(kwargs, unsupported_request_behavior="continue_unthreaded", threading=threading)
        runner = BetaAsyncStreamingToolRunner if stream else BetaAsyncToolRunner
        thread = BetaAsyncMessageThread._from_state(self._client, state)
        return runner(thread, options=options, **own)


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
