"""The stream of one thread turn: a ``MessageStream`` that settles the turn when its events end.

The turn ends when the events run out or fail, and when the ``with`` block is left at the latest: a
stream that reached ``message_stop`` records its reply; one that ended after ``message_start`` is an
unfinished turn (its partial reply is not kept); one that never started changes nothing but the end.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from types import TracebackType
from typing import Any

from ...streaming import AsyncMessageStream, AsyncStream, MessageStream, Stream
from ...streaming._helper_events import MessageStreamEvent
from ...types.message import Message
from ...types.stream_events import RawMessageStreamEvent
from ._state import ThreadState

__all__ = ["AsyncThreadMessageStream", "AsyncThreadStreamManager", "ThreadMessageStream", "ThreadStreamManager"]


class _TurnEnd:
    """Settles a streamed turn on ``state`` once (whichever of the stream's end and the block's exit comes first)."""

    def __init__(self, state: ThreadState) -> None:
        self._state = state
        self._done = False
        self.complete = False

    def settle(self, snapshot: Message | None) -> None:
        if self._done:
            return
        self._done = True
        try:
            if snapshot is not None and self.complete:
                self._state.record_reply(snapshot)
            else:
                self._state.record_unfinished_stream(snapshot)
        finally:
            self._state.end_turn()


class ThreadMessageStream(MessageStream):
    """A ``MessageStream`` over one thread turn."""

    def __init__(self, raw_stream: Stream[RawMessageStreamEvent], *, output_format: Any, end: _TurnEnd) -> None:
        self._end = end
        super().__init__(raw_stream, output_format=output_format)

    def _snapshot(self) -> Message | None:
        return self._accumulator.message if self._accumulator.started else None

    def _events(self) -> Generator[MessageStreamEvent, None, None]:
        try:
            for event in super()._events():
                if event.type == "message_stop":
                    self._end.complete = True
                yield event
        finally:
            self._end.settle(self._snapshot())

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._end.settle(self._snapshot())


class AsyncThreadMessageStream(AsyncMessageStream):
    """An ``AsyncMessageStream`` over one thread turn."""

    def __init__(self, raw_stream: AsyncStream[RawMessageStreamEvent], *, output_format: Any, end: _TurnEnd) -> None:
        self._end = end
        super().__init__(raw_stream, output_format=output_format)

    def _snapshot(self) -> Message | None:
        return self._accumulator.message if self._accumulator.started else None

    async def _events(self) -> AsyncGenerator[MessageStreamEvent, None]:
        try:
            async for event in super()._events():
                if event.type == "message_stop":
                    self._end.complete = True
                yield event
        finally:
            self._end.settle(self._snapshot())

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            self._end.settle(self._snapshot())


class ThreadStreamManager:
    """What ``thread.stream(...)`` returns: ``with`` sends the turn; leaving the block closes and settles it."""

    def __init__(self, state: ThreadState, open_stream: Callable[[], Stream[RawMessageStreamEvent]]) -> None:
        self._state = state
        self._open_stream = open_stream
        self._stream: ThreadMessageStream | None = None

    def __enter__(self) -> ThreadMessageStream:
        raw = self._open_stream()  # the turn has started (and ends here if this raises)
        self._stream = ThreadMessageStream(raw, output_format=self._state.output_format, end=_TurnEnd(self._state))
        return self._stream

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._stream is not None:
            self._stream.close()


class AsyncThreadStreamManager:
    """The async twin of :class:`ThreadStreamManager`."""

    def __init__(
        self, state: ThreadState, open_stream: Callable[[], Awaitable[AsyncStream[RawMessageStreamEvent]]]
    ) -> None:
        self._state = state
        self._open_stream = open_stream
        self._stream: AsyncThreadMessageStream | None = None

    async def __aenter__(self) -> AsyncThreadMessageStream:
        raw = await self._open_stream()
        self._stream = AsyncThreadMessageStream(
            raw, output_format=self._state.output_format, end=_TurnEnd(self._state)
        )
        return self._stream

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._stream is not None:
            await self._stream.close()
