"""``client.beta``: the API's beta namespace (``anthropic-beta: <betas>``)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from ..files import (
    AsyncBetaFiles,
    AsyncFilesWithRawResponse,
    AsyncFilesWithStreamingResponse,
    BetaFiles,
    FilesWithRawResponse,
    FilesWithStreamingResponse,
)
from .messages import (
    AsyncBetaMessages,
    AsyncBetaMessagesWithRawResponse,
    AsyncBetaMessagesWithStreamingResponse,
    BetaMessages,
    BetaMessagesWithRawResponse,
    BetaMessagesWithStreamingResponse,
)

if TYPE_CHECKING:
    from ..._async import AsyncAnthropic
    from ..._sync import Anthropic

__all__ = [
    "AsyncBeta",
    "AsyncBetaWithRawResponse",
    "AsyncBetaWithStreamingResponse",
    "Beta",
    "BetaWithRawResponse",
    "BetaWithStreamingResponse",
]


class Beta:
    """``client.beta``: ``messages`` (create, stream, parse, count_tokens, tool_runner, batches) and ``files``."""

    def __init__(self, client: Anthropic) -> None:
        self._client = client

    @cached_property
    def messages(self) -> BetaMessages:
        return BetaMessages(self._client)

    @cached_property
    def files(self) -> BetaFiles:
        return BetaFiles(self._client)

    @cached_property
    def with_raw_response(self) -> BetaWithRawResponse:
        return BetaWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> BetaWithStreamingResponse:
        return BetaWithStreamingResponse(self)


class AsyncBeta:
    """``client.beta`` of ``AsyncAnthropic``."""

    def __init__(self, client: AsyncAnthropic) -> None:
        self._client = client

    @cached_property
    def messages(self) -> AsyncBetaMessages:
        return AsyncBetaMessages(self._client)

    @cached_property
    def files(self) -> AsyncBetaFiles:
        return AsyncBetaFiles(self._client)

    @cached_property
    def with_raw_response(self) -> AsyncBetaWithRawResponse:
        return AsyncBetaWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> AsyncBetaWithStreamingResponse:
        return AsyncBetaWithStreamingResponse(self)


class BetaWithRawResponse:
    def __init__(self, beta: Beta) -> None:
        self.messages = BetaMessagesWithRawResponse(beta.messages)
        self.files = FilesWithRawResponse(beta.files)


class AsyncBetaWithRawResponse:
    def __init__(self, beta: AsyncBeta) -> None:
        self.messages = AsyncBetaMessagesWithRawResponse(beta.messages)
        self.files = AsyncFilesWithRawResponse(beta.files)


class BetaWithStreamingResponse:
    def __init__(self, beta: Beta) -> None:
        self.messages = BetaMessagesWithStreamingResponse(beta.messages)
        self.files = FilesWithStreamingResponse(beta.files)


class AsyncBetaWithStreamingResponse:
    def __init__(self, beta: AsyncBeta) -> None:
        self.messages = AsyncBetaMessagesWithStreamingResponse(beta.messages)
        self.files = AsyncFilesWithStreamingResponse(beta.files)
