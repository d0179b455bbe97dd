"""``client.beta.messages.tool_runner(...)``: the model calls tools, the runner runs them, until it answers.

The runner runs over a message thread (``fakeclaude.client.threads``), as the official SDK's does: by
default each turn is a threaded ``beta.messages.create`` (the first ``{"type": "create"}`` with the whole
conversation, the next ones ``continue`` with only the new ``tool_result`` turn, no ``system``/``tools``),
sent with ``x-stainless-helper: BetaToolRunner, message-thread`` and the ``message-threads-2026-08-12``
beta; a server that cannot thread a request (``thread_unsupported_request``) gets the rest of the run
unthreaded. ``thread=False`` sends the whole conversation every turn, without ``thread`` (helper
``BetaToolRunner``). ``thread.tool_runner()`` runs the same loop over an existing thread.

Iterating the runner yields each reply (with ``stream=True``, its stream). After a reply the runner
decides from ``stop_reason`` as the official SDK does: ``tool_use`` runs the reply's tool calls and sends
their ``tool_result`` turn back, ``pause_turn`` / ``compaction`` send the unfinished turn back to be
continued (on a thread: a ``continue`` with no messages), anything else ends the run. ``until_done()``
returns the last reply.

Tool failures are results, not exceptions: a ``ToolError`` sends its content with ``is_error: true``,
any other exception its ``repr`` (cut to 4096 characters), and a call of a tool the runner was not
given an error text and a warning.
"""

from __future__ import annotations

import inspect
import logging
import warnings
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterator,
    Mapping,
)
from typing import TYPE_CHECKING, Any, Final, Generic, Literal, TypeVar

from ...streaming import AsyncMessageStream, MessageStream
from ...types.content import ToolUseBlock
from ...types.message import Message
from ...types.parsed_message import ParsedMessage, to_parsed_message
from ..resources._message_calls import to_tool_params
from ..threads._streams import AsyncThreadStreamManager, ThreadStreamManager
from ._eager import EagerCalls
from ._functions import ToolError

if TYPE_CHECKING:
    from ..threads import BetaAsyncMessageThread, BetaMessageThread
    from ..threads._state import ThreadState

__all__ = ["BetaAsyncStreamingToolRunner", "BetaAsyncToolRunner", "BetaStreamingToolRunner", "BetaToolRunner"]

log = logging.getLogger("fakeclaude.tool_runner")

Step = Literal["run_tools", "resume", "stop"]
STOP_REASON_STEPS: Final[Mapping[str, Step]] = {
    "tool_use": "run_tools",
    "pause_turn": "resume",
    "compaction": "resume",
}
"""What the runner does after a reply, by ``stop_reason``; any other (or unknown) reason stops the run."""
FIELD_MAX: Final = 4096
_HELPERS: Final = ("BetaToolRunner",)
"""The ``x-stainless-helper`` value of the runner's requests (a thread adds ``message-thread``)."""

ItemT = TypeVar("ItemT")
ThreadT = TypeVar("ThreadT", "BetaMessageThread", "BetaAsyncMessageThread")


def _error_text(exc: BaseException) -> str:
    return repr(exc)[:FIELD_MAX]


def _result_content(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    return list(value)


def _tool_result(tool_use: ToolUseBlock, content: Any, *, is_error: bool = False) -> dict[str, Any]:
    result: dict[str, Any] = {"type": "tool_result", "tool_use_id": tool_use.id, "content": content}
    if is_error:
        result["is_error"] = True
    return result


def _failure(tool_use: ToolUseBlock, exc: BaseException) -> dict[str, Any]:
    if isinstance(exc, ToolError):
        return _tool_result(tool_use, _result_content(exc.content), is_error=True)
    log.exception("Error occurred while calling tool: %s", tool_use.name, exc_info=exc)
    return _tool_result(tool_use, _error_text(exc), is_error=True)


class _RunnerState(Generic[ItemT, ThreadT]):
    """The loop's state and decisions, shared by the four runners (no I/O here); the history is the thread's."""

    def __init__(self, thread: ThreadT, *, options: Mapping[str, Any] | None = None,
                 max_iterations: int | None = None, run_tools_eagerly: bool = False) -> None:
        self._thread: ThreadT = thread
        self._run_tools_eagerly = run_tools_eagerly  # streaming runners only (see ``._eager``)
        self._eager_calls: EagerCalls | None = None  # the current reply's, with ``run_tools_eagerly``
        self._state: ThreadState = thread._state
        self._options: dict[str, Any] = dict(options or {})
        self._max_iterations = max_iterations
        self._iteration_count = 0
        self._last_message: ParsedMessage[Any] | None = None
        self._sent: list[Any] | None = None  # while a reply is handled: the history it answered
        self._modified = False
        self._cached_response: dict[str, Any] | None = None
        self._closed = False
        self._overrides: dict[str, Any] = {}  # by name: a tool ``add_tools`` gave, or None (removed, or a server's)
        self._tool_changes: list[dict[str, Any]] = []  # the tool_addition / tool_removal blocks not sent yet

    @property
    def _tools(self) -> dict[str, Any]:
        """The runnable tools (``@beta_tool`` functions) among the thread's, by name, as ``add_tools`` /
        ``remove_tools`` changed them."""
        tools = {tool.name: tool for tool in self._state.tools if callable(getattr(tool, "call", None))}
        for name, tool in self._overrides.items():
            if tool is None:
                tools.pop(name, None)
            else:
                tools[name] = tool
        return tools

    # ----- what the application may call between replies ------------------------------------------
    @property
    def params(self) -> dict[str, Any]:
        """The params of the next request (``messages`` is the whole conversation so far)."""
        params = self._state.params
        del params["unsupported_request_behavior"]
        if "tools" in params:
            params["tools"] = to_tool_params(params["tools"])
        if self._sent is not None:
            params["messages"] = list(self._sent)
        return params

    def set_messages_params(self, params: Mapping[str, Any] | Callable[[dict[str, Any]], Mapping[str, Any]]) -> None:
        """Replace the params of the next requests (or change them with a function of the current ones). A history
        that does not extend what the server holds starts a new thread."""
        new = dict(params(self.params) if callable(params) else params)
        if new.pop("thread", None) not in (None, False):
            raise TypeError("set_messages_params() takes no `thread`: the runner sets it for each request")
        messages = list(new.pop("messages"))
        self._state.set_fields(new)
        if self._sent is not None:
            self._sent = messages
            self._modified = True
        else:
            self._state.set_messages(messages)
        self._cached_response = None

    def append_messages(self, *messages: Mapping[str, Any] | Message) -> None:
        """Add messages to the conversation; during a reply, the reply and its results are then yours to add."""
        sent: list[Any] | None = self._sent
        if sent is None:
            self._state.append(messages)
        else:
            added: list[Any] = [m.to_param() if isinstance(m, Message) else m for m in messages]
            self._sent = sent + added
            self._modified = True
        self._cached_response = None

    def add_tools(self, *tools: Any) -> None:
        """Give the model more tools without changing ``tools`` (which would miss the prompt cache): sent as
        ``tool_addition`` blocks of a system turn before the next request (the ``inline-tools-2026-09-15`` beta).
        A function tool runs at once in place of any of its name, also for a call of the reply being handled; a raw
        definition (a server tool) is never run, and stops a function tool of its name from running."""
        for tool in tools:
            if isinstance(tool, Mapping):
                definition = dict(tool)
                if isinstance(tool.get("name"), str):
                    self._overrides[tool["name"]] = None
            else:
                definition = tool.to_dict()
                self._overrides[tool.name] = tool
            self._tool_changes.append({"type": "tool_addition", "tool": {"type": "tool_definition", "definition": definition}})

    def remove_tools(self, *tools: Any) -> None:
        """Take tools (or their names) away at once, without changing ``tools``: the model is told in
        ``tool_removal`` blocks before the next request; a later call of one gets the unknown-tool result."""
        for tool in tools:
            name = tool if isinstance(tool, str) else tool.name
            self._overrides[name] = None
            self._tool_changes.append({"type": "tool_removal", "tool": {"type": "tool_reference", "name": name}})

    def _send_tool_changes(self) -> None:
        """The tool changes not sent yet, as a system turn of the history (after a ``pause_turn``, the paused turn
        is sent back first, as it is)."""
        paused = self._last_message is not None and self._last_message.stop_reason == "pause_turn"
        if self._tool_changes and not paused:
            self._state.append([{"role": "system", "content": self._tool_changes}])
            self._tool_changes = []

    def _ran_early(self, tool_use: ToolUseBlock) -> dict[str, Any] | None:
        """The result of a call that ran while its reply streamed."""
        return None if self._eager_calls is None else self._eager_calls.results.get(tool_use.id)

    def _runs_early(self, tool_use: ToolUseBlock, calls: EagerCalls) -> bool:
        """Whether ``tool_use`` runs now, not with the tool response (it is held, or its tool unknown)."""
        return not calls.is_held(tool_use) and tool_use.name in self._tools

    # ----- the loop's decisions -------------------------------------------------------------------
    def _should_stop(self) -> bool:
        return self._closed or (self._max_iterations is not None and self._iteration_count >= self._max_iterations)

    def _begin_turn(self) -> None:
        """Note the history the next reply answers (what the application may edit while handling it)."""
        self._sent = list(self._state.messages)
        self._modified = False
        self._cached_response = None

    def _end_turn(self, message: ParsedMessage[Any]) -> Step:
        """Hand the history over to the thread (it holds the reply already, unless the application rewrote the
        history) and say what comes next."""
        self._iteration_count += 1
        sent, self._sent = self._sent, None
        if self._modified and sent is not None:
            self._state.set_messages(sent)
        return STOP_REASON_STEPS.get(message.stop_reason or "", "stop")

    def _tool_calls(self) -> list[ToolUseBlock]:
        message = self._last_message
        if message is None or not message.content:
            return []
        return [block for block in message.content if isinstance(block, ToolUseBlock)]

    def _unknown_tool(self, tool_use: ToolUseBlock) -> dict[str, Any]:
        warnings.warn(
            f"Tool '{tool_use.name}' not found in tool runner. Available tools: {list(self._tools)}. "
            "If using a raw tool definition, handle the tool call manually and use `append_messages()` to add "
            "the result. Otherwise, pass the tool using `beta_tool(func)` or a `@beta_tool` decorated function.",
            UserWarning,
            stacklevel=4,
        )
        return _tool_result(tool_use, f"Error: Tool '{tool_use.name}' not found", is_error=True)

    def _append_results(self, response: dict[str, Any] | None) -> bool:
        """Send ``response`` (the tool results) next; ``False`` when there is none and the run ends."""
        if response is None:
            return False
        if not self._modified:
            self._state.append([response])
        return True


class _Deferring:
    """What a streaming runner adds for ``run_tools_eagerly``."""

    _eager_calls: EagerCalls | None

    def defer_tool_call(self, tool_use: ToolUseBlock | str) -> None:
        """With ``run_tools_eagerly``: keep a call of the current reply (its ``tool_use`` block or id) from running
        while the reply streams; it runs with the tool response. Nothing for a call that ran, outside a reply, or
        without ``run_tools_eagerly``."""
        if self._eager_calls is not None:
            self._eager_calls.hold(tool_use)

    @property
    def deferred_tool_calls(self) -> list[ToolUseBlock]:
        """The calls of the current reply that ``defer_tool_call()`` holds, once their blocks finished, in the
        model's order (empty without ``run_tools_eagerly``)."""
        return [] if self._eager_calls is None else self._eager_calls.held()


class _SyncRunner(_RunnerState[ItemT, "BetaMessageThread"]):
    def __init__(self, thread: BetaMessageThread, **kwargs: Any) -> None:
        super().__init__(thread, **kwargs)
        self._iterator = self._loop()

    def __iter__(self) -> Iterator[ItemT]:
        return self._iterator

    def __next__(self) -> ItemT:
        return next(self._iterator)

    def close(self) -> None:
        """Stop the run: iterating it yields nothing more."""
        self._closed = True
        if inspect.getgeneratorstate(self._iterator) != inspect.GEN_RUNNING:
            self._iterator.close()

    def until_done(self) -> ParsedMessage[Any]:
        """Run to the end; the last reply."""
        for _ in self._iterator:
            pass
        if self._last_message is None:
            raise RuntimeError("The tool runner sent no request (max_iterations=0, or closed before it started)")
        return self._last_message

    def generate_tool_call_response(self) -> dict[str, Any] | None:
        """The ``tool_result`` user turn for the last reply's tool calls (run once, then cached)."""
        if self._cached_response is None:
            calls = self._tool_calls()
            if calls:
                self._cached_response = {"role": "user", "content": [
                    self._ran_early(c) or self._call_tool(c) for c in calls]}
        return self._cached_response

    def _eagerly(self, events: Iterator[Any], calls: EagerCalls) -> Generator[Any, None, None]:
        """``events``, each call run once the reader asks for the event after the one the model moved on at."""
        moved_on_from: ToolUseBlock | None = None
        for event in events:  # the next event first: nothing runs once reading the reply failed
            if moved_on_from is not None and self._runs_early(moved_on_from, calls):
                calls.record(moved_on_from, self._call_tool(moved_on_from))
            moved_on_from = calls.moved_on_from(event)
            yield event

    def _call_tool(self, tool_use: ToolUseBlock) -> dict[str, Any]:
        tool = self._tools.get(tool_use.name)
        if tool is None:
            return self._unknown_tool(tool_use)
        try:
            return _tool_result(tool_use, _result_content(tool.call(tool_use.input)))
        except Exception as exc:
            return _failure(tool_use, exc)

    def _turn(self) -> Generator[ItemT, None, ParsedMessage[Any]]:
        raise NotImplementedError

    def _loop(self) -> Generator[ItemT, None, None]:
        while not self._should_stop():
            self._send_tool_changes()
            message = yield from self._turn()
            self._last_message = message
            step = self._end_turn(message)
            if step == "stop" or (step == "run_tools" and not self._append_results(self.generate_tool_call_response())):
                return


class BetaToolRunner(_SyncRunner[ParsedMessage[Any]]):
    """Iterate the replies of a tool loop (``client.beta.messages.tool_runner(...)``)."""

    def _turn(self) -> Generator[ParsedMessage[Any], None, ParsedMessage[Any]]:
        self._begin_turn()
        message = to_parsed_message(self._thread._send((), self._options, _HELPERS), self._state.output_format)
        self._last_message = message
        yield message
        return message


class BetaStreamingToolRunner(_Deferring, _SyncRunner[MessageStream]):
    """``tool_runner(stream=True)``: iterate one ``MessageStream`` per reply (read it, or leave it to the runner)."""

    def _turn(self) -> Generator[MessageStream, None, ParsedMessage[Any]]:
        self._begin_turn()
        manager = ThreadStreamManager(self._state, lambda: self._thread._open_stream((), self._options, _HELPERS))
        with manager as stream:
            if self._run_tools_eagerly:
                self._eager_calls = calls = EagerCalls()
                stream._iterator = self._eagerly(stream._iterator, calls)
            yield stream
            final = stream.get_final_message()
        return to_parsed_message(final, None)


class _AsyncRunner(_RunnerState[ItemT, "BetaAsyncMessageThread"]):
    def __init__(self, thread: BetaAsyncMessageThread, **kwargs: Any) -> None:
        super().__init__(thread, **kwargs)
        self._iterator = self._loop()

    def __aiter__(self) -> AsyncIterator[ItemT]:
        return self._iterator

    async def __anext__(self) -> ItemT:
        return await self._iterator.__anext__()

    async def close(self) -> None:
        """Stop the run: iterating it yields nothing more."""
        self._closed = True
        if not getattr(self._iterator, "ag_running", False):
            await self._iterator.aclose()

    async def until_done(self) -> ParsedMessage[Any]:
        """Run to the end; the last reply."""
        async for _ in self._iterator:
            pass
        if self._last_message is None:
            raise RuntimeError("The tool runner sent no request (max_iterations=0, or closed before it started)")
        return self._last_message

    async def generate_tool_call_response(self) -> dict[str, Any] | None:
        """The ``tool_result`` user turn for the last reply's tool calls (run once, then cached)."""
        if self._cached_response is None:
            calls = self._tool_calls()
            if calls:
                self._cached_response = {"role": "user", "content": [
                    self._ran_early(c) or await self._call_tool(c) for c in calls]}
        return self._cached_response

    async def _eagerly(self, events: AsyncIterator[Any], calls: EagerCalls) -> AsyncGenerator[Any, None]:
        """The async twin of ``_SyncRunner._eagerly``."""
        moved_on_from: ToolUseBlock | None = None
        async for event in events:
            if moved_on_from is not None and self._runs_early(moved_on_from, calls):
                calls.record(moved_on_from, await self._call_tool(moved_on_from))
            moved_on_from = calls.moved_on_from(event)
            yield event

    async def _call_tool(self, tool_use: ToolUseBlock) -> dict[str, Any]:
        tool = self._tools.get(tool_use.name)
        if tool is None:
            return self._unknown_tool(tool_use)
        try:
            result = tool.call(tool_use.input)
            if inspect.isawaitable(result):
                result = await result
            return _tool_result(tool_use, _result_content(result))
        except Exception as exc:
            return _failure(tool_use, exc)

    async def _request(self) -> tuple[ItemT, Callable[[], Awaitable[ParsedMessage[Any]]]]:
        """Send the next request: the item to yield, and how to get the reply once the item was used."""
        raise NotImplementedError

    async def _loop(self) -> AsyncGenerator[ItemT, None]:
        while not self._should_stop():
            self._send_tool_changes()
            item, finish = await self._request()
            try:
                yield item
                message = await finish()
            finally:
                await self._release(item)
            self._last_message = message
            step = self._end_turn(message)
            if step == "stop":
                return
            if step == "run_tools" and not self._append_results(await self.generate_tool_call_response()):
                return

    async def _release(self, item: ItemT) -> None:
        if isinstance(item, AsyncMessageStream):
            await item.close()


class BetaAsyncToolRunner(_AsyncRunner[ParsedMessage[Any]]):
    """The async twin of :class:`BetaToolRunner`: ``async for message in runner``."""

    async def _request(self) -> tuple[ParsedMessage[Any], Callable[[], Awaitable[ParsedMessage[Any]]]]:
        self._begin_turn()
        sent = await self._thread._send((), self._options, _HELPERS)
        message = to_parsed_message(sent, self._state.output_format)
        self._last_message = message

        async def finish() -> ParsedMessage[Any]:
            return message

        return message, finish


class BetaAsyncStreamingToolRunner(_Deferring, _AsyncRunner[AsyncMessageStream]):
    """The async twin of :class:`BetaStreamingToolRunner`."""

    async def _request(self) -> tuple[AsyncMessageStream, Callable[[], Awaitable[ParsedMessage[Any]]]]:
        self._begin_turn()
        manager = AsyncThreadStreamManager(
            self._state, lambda: self._thread._open_stream((), self._options, _HELPERS)
        )
        stream = await manager.__aenter__()
        if self._run_tools_eagerly:
            self._eager_calls = calls = EagerCalls()
            stream._iterator = self._eagerly(stream._iterator, calls)

        async def finish() -> ParsedMessage[Any]:
            return to_parsed_message(await stream.get_final_message(), None)

        return stream, finish
