"""``client.beta.messages.thread(...)``: a conversation the server holds between turns.

::

    thread = client.beta.messages.thread(model=..., max_tokens=..., system="Be brief.")
    first = thread.send({"role": "user", "content": "Hi"})       # thread: {"type": "create"}
    second = thread.send({"role": "user", "content": "Again"})   # continue from first.id, only this message

Sends nothing until a turn. ``send`` / ``parse`` / ``stream`` run one turn (keyword arguments apply to
that turn only); ``append`` stages messages, ``update`` changes later turns, ``fork`` copies the thread
(its first turn creates a new one), ``tool_runner`` runs the tool loop over it. ``BetaMessageThread`` and
``BetaAsyncMessageThread`` are twins over one I/O-free :class:`ThreadState`; they differ only in how a
request is awaited.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

from ..._exceptions import APIStatusError
from ...types.message import Message
from ...types.parsed_message import ParsedMessage, to_parsed_message
from ..resources._message_calls import create_options, message_parser
from ._state import ThreadState
from ._streams import AsyncThreadStreamManager, ThreadStreamManager
from ._wire import THREAD_FIELDS, UnsupportedRequestBehavior, check_keywords

if TYPE_CHECKING:
    from ...streaming import AsyncStream, Stream
    from ...types.stream_events import RawMessageStreamEvent
    from .._async import AsyncAnthropic
    from .._sync import Anthropic
    from ..tools import (
        BetaAsyncStreamingToolRunner,
        BetaAsyncToolRunner,
        BetaStreamingToolRunner,
        BetaToolRunner,
    )

__all__ = ["BetaAsyncMessageThread", "BetaMessageThread"]

ClientT = TypeVar("ClientT", "Anthropic", "AsyncAnthropic")


def thread_state(
    params: Mapping[str, Any], *, unsupported_request_behavior: UnsupportedRequestBehavior, threading: bool = True
) -> ThreadState:
    """The state of a thread made from the arguments of ``thread()`` (or of a tool runner)."""
    return ThreadState(
        params={**params, "messages": list(params.get("messages") or ())},
        threading=threading,
        unsupported_request_behavior=unsupported_request_behavior,
    )


class _ThreadBase(Generic[ClientT]):
    """What the sync and async threads share: everything but sending."""

    _client: ClientT
    _state: ThreadState

    def __init__(
        self,
        client: ClientT,
        *,
        unsupported_request_behavior: UnsupportedRequestBehavior = "error",
        **params: Any,
    ) -> None:
        """Start a thread with ``beta.messages.create``'s fields (``model``, ``max_tokens``, ``messages``, ``system``,
        ``tools``, ``output_format``, ``betas``...). Sends nothing."""
        check_keywords(params, THREAD_FIELDS)
        self._client = client
        self._state = thread_state(params, unsupported_request_behavior=unsupported_request_behavior)

    @classmethod
    def _from_state(cls, client: ClientT, state: ThreadState) -> Self:
        thread = cls.__new__(cls)
        thread._client = client
        thread._state = state
        return thread

    @property
    def messages(self) -> Sequence[Any]:
        """The whole conversation: what the server holds, then what is staged for the next turn."""
        return self._state.messages

    @property
    def previous_message_id(self) -> str | None:
        """The reply ``id`` the next turn continues from; ``None`` when the next turn creates a new thread."""
        return self._state.previous_message_id

    @property
    def params(self) -> dict[str, Any]:
        """The arguments of a ``thread()`` call for the whole conversation (a new dict each time)."""
        return self._state.params

    def append(self, *messages: Any) -> None:
        """Stage messages for the next turn without sending anything."""
        self._state.append(messages)

    def update(self, **fields: Any) -> None:
        """Change the fields and request options of all later turns without sending anything. ``system`` and
        ``tools`` cannot change once a turn has created the thread (the next turn refuses to send)."""
        self._state.update(fields)

    def fork(self) -> Self:
        """A new, independent thread with a copy of this one's history, fields and options; its first turn creates
        a new thread with the whole history. Sends nothing."""
        return self._from_state(self._client, self._state.fork())

    def _options(self, overrides: Mapping[str, Any], *, stream: bool, helpers: Sequence[str]) -> Any:
        arguments = self._state.turn_arguments(overrides, stream=stream, helpers=helpers)
        return create_options(self._client, arguments, beta=True)

    def _parsed(self, message: Message) -> ParsedMessage[Any]:
        return to_parsed_message(message, self._state.output_format)


class BetaMessageThread(_ThreadBase["Anthropic"]):
    """A conversation the server holds between turns: each turn sends only its new messages. One turn at a time."""

    def send(self, *messages: Any, **overrides: Any) -> Message:
        """Send the staged messages and ``messages`` as one turn; the reply. Keyword arguments are for this turn."""
        return self._send(messages, overrides)

    def parse(self, *messages: Any, **overrides: Any) -> ParsedMessage[Any]:
        """Like ``send``, the reply's text parsed as the thread's ``output_format`` (``parsed_output``)."""
        return self._parsed(self._send(messages, overrides))

    def stream(self, *messages: Any, **overrides: Any) -> ThreadStreamManager:
        """Like ``send``, the reply streamed: ``with thread.stream(...) as stream:``. The turn lasts until the
        stream ends or the block is left."""
        return ThreadStreamManager(self._state, lambda: self._open_stream(messages, overrides))

    def tool_runner(
        self, *, max_iterations: int | None = None, stream: bool = False, **options: Any
    ) -> BetaToolRunner | BetaStreamingToolRunner:
        """Run the tool loop over this thread (its ``@beta_tool`` functions); replies and results join its history."""
        from ..tools import BetaStreamingToolRunner, BetaToolRunner

        runner = BetaStreamingToolRunner if stream else BetaToolRunner
        return runner(self, options=options, max_iterations=max_iterations)

    def _send(self, messages: Iterable[Any], overrides: Mapping[str, Any], helpers: Sequence[str] = ()) -> Message:
        self._state.start_turn(messages)
        try:
            message: Message = self._create(overrides, stream=False, helpers=helpers)
            self._state.record_reply(message)
            return message
        finally:
            self._state.end_turn()

    def _open_stream(
        self, messages: Iterable[Any], overrides: Mapping[str, Any], helpers: Sequence[str] = ()
    ) -> Stream[RawMessageStreamEvent]:
        self._state.start_turn(messages)
        try:
            stream: Stream[RawMessageStreamEvent] = self._create(overrides, stream=True, helpers=helpers)
            return stream
        except BaseException:
            self._state.end_turn()
            raise

    def _create(self, overrides: Mapping[str, Any], *, stream: bool, helpers: Sequence[str]) -> Any:
        """One ``create`` for the turn, sent again as long as the state recovers from the rejection."""
        from ..resources._messages_base import stream_parser

        while True:
            options = self._options(overrides, stream=stream, helpers=helpers)
            try:
                return self._client.request(options, stream_parser if stream else message_parser)
            except APIStatusError as error:
                if not self._state.recovers_from(error):
                    raise


class BetaAsyncMessageThread(_ThreadBase["AsyncAnthropic"]):
    """The async twin of :class:`BetaMessageThread` (``await thread.send(...)``, ``async with thread.stream(...)``)."""

    async def send(self, *messages: Any, **overrides: Any) -> Message:
        """Send the staged messages and ``messages`` as one turn; the reply. Keyword arguments are for this turn."""
        return await self._send(messages, overrides)

    async def parse(self, *messages: Any, **overrides: Any) -> ParsedMessage[Any]:
        """Like ``send``, the reply's text parsed as the thread's ``output_format`` (``parsed_output``)."""
        return self._parsed(await self._send(messages, overrides))

    def stream(self, *messages: Any, **overrides: Any) -> AsyncThreadStreamManager:
        """Like ``send``, the reply streamed: ``async with thread.stream(...) as stream:``."""
        return AsyncThreadStreamManager(self._state, lambda: self._open_stream(messages, overrides))

    def tool_runner(
        self, *, max_iterations: int | None = None, stream: bool = False, **options: Any
    ) -> BetaAsyncToolRunner | BetaAsyncStreamingToolRunner:
        """Run the async tool loop over this thread; replies and results join its history."""
        from ..tools import BetaAsyncStreamingToolRunner, BetaAsyncToolRunner

        runner = BetaAsyncStreamingToolRunner if stream else BetaAsyncToolRunner
        return runner(self, options=options, max_iterations=max_iterations)

    async def _send(
        self, messages: Iterable[Any], overrides: Mapping[str, Any], helpers: Sequence[str] = ()
    ) -> Message:
        self._state.start_turn(messages)
        try:
            message: Message = await self._create(overrides, stream=False, helpers=helpers)
            self._state.record_reply(message)
            return message
        finally:
            self._state.end_turn()

    async def _open_stream(
        self, messages: Iterable[Any], overrides: Mapping[str, Any], helpers: Sequence[str] = ()
    ) -> AsyncStream[RawMessageStreamEvent]:
        self._state.start_turn(messages)
        try:
            stream: AsyncStream[RawMessageStreamEvent] = await self._create(overrides, stream=True, helpers=helpers)
            return stream
        except BaseException:
            self._state.end_turn()
            raise

    async def _create(self, overrides: Mapping[str, Any], *, stream: bool, helpers: Sequence[str]) -> Any:
        """One ``create`` for the turn, sent again as long as the state recovers from the rejection."""
        from ..resources._messages_base import async_stream_parser

        while True:
            options = self._options(overrides, stream=stream, helpers=helpers)
            try:
                return await self._client.request(options, async_stream_parser if stream else message_parser)
            except APIStatusError as error:
                if not self._state.recovers_from(error):
                    raise

