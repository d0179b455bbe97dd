"""What ``client.messages`` and ``client.beta.messages`` share: each call's plumbing, once per client kind.

``MessagesBase`` (sync) and ``AsyncMessagesBase`` (its twin) send ``create`` (a Message, or its raw
events with ``stream=True``), ``stream`` (the helper's manager), ``parse`` and ``count_tokens``, for the
GA namespace or, with ``_beta`` set, the beta one (``anthropic-beta``, runnable tools):
the bodies and parsers come from :mod:`._message_calls`. The public classes only declare their typed
signatures (their params differ: beta fields, ``betas``) and what is theirs alone (the beta tool runner
and threads).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import httpx2

from ...streaming import AsyncMessageStreamManager, AsyncStream, MessageStreamManager, Stream
from ...types import Message, MessageTokensCount, RawMessageStreamEvent, parse_stream_event
from ...types.parsed_message import ParsedMessage, ResponseFormatT
from ._message_calls import (
    check_keywords,
    count_parser,
    count_tokens_options,
    create_options,
    message_parser,
    parse_request,
    stream_request,
)

if TYPE_CHECKING:
    from .._async import AsyncAnthropic
    from .._sync import Anthropic

__all__ = ["AsyncMessagesBase", "MessagesBase", "async_stream_parser", "stream_parser"]


def stream_parser(response: httpx2.Response) -> Stream[RawMessageStreamEvent]:
    """A streamed create's answer: its raw events."""
    return Stream(response, parse=parse_stream_event)


def async_stream_parser(response: httpx2.Response) -> AsyncStream[RawMessageStreamEvent]:
    """The async twin of ``stream_parser``."""
    return AsyncStream(response, parse=parse_stream_event)


class MessagesBase:
    """The calls of ``client.messages`` / ``client.beta.messages`` on ``Anthropic``."""

    _beta: ClassVar[bool] = False
    """Whether the calls go to the beta namespace."""
    _keywords: ClassVar[Mapping[str, frozenset[str]]]
    """The keyword arguments each call (``create``, ``stream``, ``parse``, ``count_tokens``) takes."""

    def __init__(self, client: Anthropic) -> None:
        self._client = client

    def _check(self, call: str, params: Mapping[str, Any]) -> None:
        check_keywords(params, self._keywords[call], f"Messages.{call}")

    def _create(self, params: Mapping[str, Any]) -> Message | Stream[RawMessageStreamEvent]:
        self._check("create", params)
        options = create_options(self._client, params, beta=self._beta)
        if options.stream:
            return self._client.request(options, stream_parser)
        return self._client.request(options, message_parser)

    def _stream(self, params: Mapping[str, Any]) -> MessageStreamManager:
        self._check("stream", params)
        options, output_format = stream_request(self._client, params, beta=self._beta)
        return MessageStreamManager(lambda: self._client.request(options, stream_parser), output_format=output_format)

    def _parse(
        self, output_format: type[ResponseFormatT] | None, params: Mapping[str, Any]
    ) -> ParsedMessage[ResponseFormatT]:
        self._check("parse", params)
        options, parser = parse_request(self._client, {**params, "output_format": output_format}, beta=self._beta)
        return self._client.request(options, parser)

    def _count_tokens(self, params: Mapping[str, Any]) -> MessageTokensCount:
        self._check("count_tokens", params)
        return self._client.request(count_tokens_options(self._client, params, beta=self._beta), count_parser)


class AsyncMessagesBase:
    """The calls of ``client.messages`` / ``client.beta.messages`` on ``AsyncAnthropic`` (twin of ``MessagesBase``)."""

    _beta: ClassVar[bool] = False
    """Whether the calls go to the beta namespace."""
    _keywords: ClassVar[Mapping[str, frozenset[str]]]
    """The keyword arguments each call takes (as ``MessagesBase._keywords``)."""

    def __init__(self, client: AsyncAnthropic) -> None:
        self._client = client

    def _check(self, call: str, params: Mapping[str, Any]) -> None:
        check_keywords(params, self._keywords[call], f"AsyncMessages.{call}")

    async def _create(self, params: Mapping[str, Any]) -> Message | AsyncStream[RawMessageStreamEvent]:
        self._check("create", params)
        options = create_options(self._client, params, beta=self._beta)
        if options.stream:
            return await self._client.request(options, async_stream_parser)
        return await self._client.request(options, message_parser)

    def _stream(self, params: Mapping[str, Any]) -> AsyncMessageStreamManager:
        self._check("stream", params)
        options, output_format = stream_request(self._client, params, beta=self._beta)
        return AsyncMessageStreamManager(
            lambda: self._client.request(options, async_stream_parser), output_format=output_format
        )

    async def _parse(
        self, output_format: type[ResponseFormatT] | None, params: Mapping[str, Any]
    ) -> ParsedMessage[ResponseFormatT]:
        self._check("parse", params)
        options, parser = parse_request(self._client, {**params, "output_format": output_format}, beta=self._beta)
        return await self._client.request(options, parser)

    async def _count_tokens(self, params: Mapping[str, Any]) -> MessageTokensCount:
        self._check("count_tokens", params)
        return await self._client.request(count_tokens_options(self._client, params, beta=self._beta), count_parser)
