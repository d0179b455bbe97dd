"""``client.messages.stream(...)``: the ``MessageStream`` helpers and the managers that open them.

::

    with client.messages.stream(model=..., max_tokens=..., messages=[...]) as stream:
        for text in stream.text_stream:
            print(text, end="")
        message = stream.get_final_message()

The sync and async twins share one piece of logic, :func:`derive_events`: it folds a raw event into a
:class:`MessageAccumulator` and returns what the helper yields for it.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterator
from types import TracebackType
from typing import Any, Self

import httpx2

from ..types.content import TextBlock, ThinkingBlock
from ..types.message import Message
from ..types.stream_events import (
    CitationsDelta,
    InputJSONDelta,
    RawContentBlockDeltaEvent,
    RawContentBlockStopEvent,
    RawMessageStopEvent,
    RawMessageStreamEvent,
    SignatureDelta,
    TextDelta,
    ThinkingDelta,
)
from ._accumulator import MessageAccumulator, _takes_input
from ._helper_events import (
    CitationEvent,
    ContentBlockStopEvent,
    InputJsonEvent,
    MessageStopEvent,
    MessageStreamEvent,
    SignatureEvent,
    TextEvent,
    ThinkingEvent,
)
from ._stream import AsyncStream, Stream

__all__ = [
    "AsyncMessageStream",
    "AsyncMessageStreamManager",
    "MessageStream",
    "MessageStreamManager",
    "derive_events",
]


def derive_events(
    accumulator: MessageAccumulator, event: RawMessageStreamEvent, output_format: Any = None
) -> list[MessageStreamEvent]:
    """Apply ``event`` to ``accumulator``; return the events the stream helper yields for it.

    Before ``message_start`` an event passes through untouched. After it: every raw event, plus a
    ``text`` / ``citation`` / ``thinking`` / ``signature`` / ``input_json`` event after the delta it
    comes from; ``content_block_stop`` and ``message_stop`` come back carrying the finished block and
    the final message. With an ``output_format`` a finished text block is parsed as it
    (``ParsedTextBlock.parsed_output``; pydantic's ``ValidationError`` when its JSON does not fit).
    """
    if not accumulator.started:
        accumulator.apply(event)
        return [event]
    accumulator.apply(event)
    message = accumulator.message
    if isinstance(event, RawContentBlockDeltaEvent):
        return [event, *_delta_events(accumulator, event)]
    if isinstance(event, RawContentBlockStopEvent):
        block = message.content[event.index]
        if output_format is not None and isinstance(block, TextBlock):
            from ..types.parsed_message import parse_text_block

            message.content[event.index] = parse_text_block(block, output_format)
        return [
            ContentBlockStopEvent(
                type="content_block_stop", index=event.index, content_block=message.content[event.index]
            )
        ]
    if isinstance(event, RawMessageStopEvent):
        return [MessageStopEvent(type="message_stop", message=message)]
    return [event]


def _delta_events(
    accumulator: MessageAccumulator, event: RawContentBlockDeltaEvent
) -> list[MessageStreamEvent]:
    delta = event.delta
    block = accumulator.message.content[event.index]
    if isinstance(delta, TextDelta):
        if isinstance(block, TextBlock):
            return [TextEvent(text=delta.text, snapshot=block.text)]
    elif isinstance(delta, InputJSONDelta):
        if _takes_input(block):
            snapshot = accumulator.partial_input(event.index)
            return [InputJsonEvent(partial_json=delta.partial_json, snapshot=snapshot)]
    elif isinstance(delta, CitationsDelta):
        if isinstance(block, TextBlock):
            return [CitationEvent(citation=delta.citation, snapshot=list(block.citations or ()))]
    elif isinstance(delta, ThinkingDelta):
        if isinstance(block, ThinkingBlock):
            return [ThinkingEvent(thinking=delta.thinking, snapshot=block.thinking)]
    elif isinstance(delta, SignatureDelta) and isinstance(block, ThinkingBlock):
        return [SignatureEvent(signature=block.signature)]
    return []


def _final(message: Message, output_format: Any) -> Message:
    """The final message: with an ``output_format``, a ``ParsedMessage`` (its text blocks parsed at their stop)."""
    if output_format is None:
        return message
    from ..types.parsed_message import to_parsed_message

    return to_parsed_message(message, output_format)


def _final_text(message: Message) -> str:
    texts = [block.text for block in message.content if isinstance(block, TextBlock)]
    if not texts:
        kinds = ",".join(block.type for block in message.content) or "no"
        raise RuntimeError(
            ".get_final_text() can only be called when the API returns a `text` content block.\n"
            f"The API returned {kinds} content block type(s) that you can access by calling "
            "get_final_message().content"
        )
    return "".join(texts)


class MessageStream:
    """Iterate the events of a streamed message, with the accumulated message always at hand."""

    text_stream: Iterator[str]
    """The text deltas only: ``for text in stream.text_stream: print(text, end="")``."""

    def __init__(self, raw_stream: Stream[RawMessageStreamEvent], *, output_format: Any = None) -> None:
        self._raw_stream = raw_stream
        self._output_format = output_format
        self._accumulator = MessageAccumulator()
        self._iterator = self._events()
        self.text_stream = self._texts()

    @property
    def response(self) -> httpx2.Response:
        return self._raw_stream.response

    @property
    def request_id(self) -> str | None:
        return self.response.headers.get("request-id")

    @property
    def workspace_id(self) -> str | None:
        return self.response.headers.get("anthropic-workspace-id")

    @property
    def current_message_snapshot(self) -> Message:
        """The message accumulated so far (``RuntimeError`` before ``message_start``)."""
        return self._accumulator.message

    def _events(self) -> Generator[MessageStreamEvent, None, None]:
        accumulator, output_format = self._accumulator, self._output_format
        for raw in self._raw_stream:
            yield from derive_events(accumulator, raw, output_format)

    def _texts(self) -> Generator[str, None, None]:
        for event in self:
            if isinstance(event, TextEvent):
                yield event.text

    def __iter__(self) -> Iterator[MessageStreamEvent]:
        return self._iterator

    def __next__(self) -> MessageStreamEvent:
        return next(self._iterator)

    def until_done(self) -> None:
        """Read the stream to its end."""
        for _ in self._iterator:
            pass

    def get_final_message(self) -> Message:
        """Read the stream to its end; return the accumulated message (a ``ParsedMessage`` with an ``output_format``)."""
        self.until_done()
        return _final(self._accumulator.message, self._output_format)

    def get_final_text(self) -> str:
        """The text blocks of the final message joined (``RuntimeError`` if there are none)."""
        return _final_text(self.get_final_message())

    def close(self) -> None:
        """Close the response and release the connection (done for you when the stream is exhausted)."""
        self._raw_stream.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncMessageStream:
    """Async twin of :class:`MessageStream`: ``async for``, and ``await`` on the methods."""

    text_stream: AsyncIterator[str]
    """The text deltas only: ``async for text in stream.text_stream: print(text, end="")``."""

    def __init__(self, raw_stream: AsyncStream[RawMessageStreamEvent], *, output_format: Any = None) -> None:
        self._raw_stream = raw_stream
        self._output_format = output_format
        self._accumulator = MessageAccumulator()
        self._iterator = self._events()
        self.text_stream = self._texts()

    @property
    def response(self) -> httpx2.Response:
        return self._raw_stream.response

    @property
    def request_id(self) -> str | None:
        return self.response.headers.get("request-id")

    @property
    def workspace_id(self) -> str | None:
        return self.response.headers.get("anthropic-workspace-id")

    @property
    def current_message_snapshot(self) -> Message:
        """The message accumulated so far (``RuntimeError`` before ``message_start``)."""
        return self._accumulator.message

    async def _events(self) -> AsyncGenerator[MessageStreamEvent, None]:
        accumulator, output_format = self._accumulator, self._output_format
        async for raw in self._raw_stream:
            for event in derive_events(accumulator, raw, output_format):
                yield event

    async def _texts(self) -> AsyncGenerator[str, None]:
        async for event in self:
            if isinstance(event, TextEvent):
                yield event.text

    def __aiter__(self) -> AsyncIterator[MessageStreamEvent]:
        return self._iterator

    async def __anext__(self) -> MessageStreamEvent:
        return await self._iterator.__anext__()

    async def until_done(self) -> None:
        """Read the stream to its end."""
        async for _ in self._iterator:
            pass

    async def get_final_message(self) -> Message:
        """Read the stream to its end; return the accumulated message (a ``ParsedMessage`` with an ``output_format``)."""
        await self.until_done()
        return _final(self._accumulator.message, self._output_format)

    async def get_final_text(self) -> str:
        """The text blocks of the final message joined (``RuntimeError`` if there are none)."""
        return _final_text(await self.get_final_message())

    async def close(self) -> None:
        """Close the response and release the connection (done for you when the stream is exhausted)."""
        await self._raw_stream.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()


class MessageStreamManager:
    """What ``client.messages.stream(...)`` returns: ``with`` performs the request and closes it after."""

    def __init__(self, api_request: Callable[[], Stream[RawMessageStreamEvent]], *, output_format: Any = None) -> None:
        self._api_request = api_request
        self._output_format = output_format
        self._stream: MessageStream | None = None

    def __enter__(self) -> MessageStream:
        self._stream = MessageStream(self._api_request(), output_format=self._output_format)
        return self._stream

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._stream is not None:
            self._stream.close()


class AsyncMessageStreamManager:
    """Async twin of :class:`MessageStreamManager`; ``api_request`` is a coroutine function."""

    def __init__(
        self, api_request: Callable[[], Awaitable[AsyncStream[RawMessageStreamEvent]]], *, output_format: Any = None
    ) -> None:
        self._api_request = api_request
        self._output_format = output_format
        self._stream: AsyncMessageStream | None = None

    async def __aenter__(self) -> AsyncMessageStream:
        self._stream = AsyncMessageStream(await self._api_request(), output_format=self._output_format)
        return self._stream

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._stream is not None:
            await self._stream.close()
