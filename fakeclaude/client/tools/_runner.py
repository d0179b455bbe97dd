"""``client.beta.messages.tool_runner(...)``: the model calls tools, the runner runs them, until it answers.

Each turn is a ``beta.messages.parse`` (or, with ``stream=True``, a ``beta.messages.stream``) sent with
``x-stainless-helper: BetaToolRunner``; iterating the runner yields each reply (or its stream). After a
reply the runner decides from ``stop_reason`` as the official SDK does: ``tool_use`` runs the reply's tool
calls and sends their ``tool_result`` turn back, ``pause_turn`` / ``compaction`` send the unfinished
reply back to be continued, anything else ends the run. ``until_done()`` returns the last reply.

The conversation goes out whole every turn, as the SDK's runner does with ``thread=False``. The SDK
threads by default (``message-threads-2026-08-12``: each turn sends only its new messages); this
runner does not yet, and takes ``thread=False`` (or nothing) to mean the same full-history loop.

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
    Iterable,
    Iterator,
    Mapping,
)
from typing import TYPE_CHECKING, Any, Final, Generic, Literal, TypeVar

from ...streaming import AsyncMessageStream, MessageStream
from ...types.content import ToolUseBlock
from ...types.message import Message
from ...types.parsed_message import ParsedMessage, to_parsed_message
from ..resources._message_calls import HELPER_HEADER, parse_request, stream_request, to_tool_params
from ..resources.messages import async_stream_parser, stream_parser
from ._functions import ToolError

if TYPE_CHECKING:
    from .._async import AsyncAnthropic
    from .._sync import Anthropic

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
_RUNNER_HEADERS: Final = {HELPER_HEADER: "BetaToolRunner"}
_OPTION_KEYS: Final = ("extra_headers", "extra_query", "extra_body", "timeout")

ItemT = TypeVar("ItemT")


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


class _RunnerState(Generic[ItemT]):
    """The loop's state and decisions, shared by the four runners (no I/O here)."""

    def __init__(
        self, *, params: Mapping[str, Any], tools: Iterable[Any], max_iterations: int | None
    ) -> None:
        params = dict(params)
        thread = params.pop("thread", None)
        if thread not in (None, False):
            raise TypeError("tool_runner() takes `thread=False` (or no `thread`): it sends the whole conversation")
        self._options: dict[str, Any] = {key: params.pop(key) for key in _OPTION_KEYS if key in params}
        self._options["extra_headers"] = {**_RUNNER_HEADERS, **(self._options.get("extra_headers") or {})}
        tools = list(tools)
        self._tools = {tool.name: tool for tool in tools if callable(getattr(tool, "call", None))}
        params["tools"] = to_tool_params(tools)
        params["messages"] = list(params["messages"])
        self._params = params
        self._max_iterations = max_iterations
        self._iteration_count = 0
        self._last_message: ParsedMessage[Any] | None = None
        self._sent: list[Any] | None = None  # the history the reply being handled answered
        self._modified = False
        self._cached_response: dict[str, Any] | None = None
        self._closed = False

    # ----- what the application may call between replies ------------------------------------------
    @property
    def params(self) -> dict[str, Any]:
        """The params of the next request (``messages`` is the whole conversation so far)."""
        return {**self._params, "messages": list(self._current_messages())}

    def set_messages_params(self, params: Mapping[str, Any] | Callable[[dict[str, Any]], Mapping[str, Any]]) -> None:
        """Replace the params of the next requests (or change them with a function of the current ones)."""
        new = dict(params(self.params) if callable(params) else params)
        if "tools" in new:
            new["tools"] = to_tool_params(new["tools"])
        new["messages"] = list(new["messages"])
        if self._sent is not None:
            self._sent = new["messages"]
            self._modified = True
        self._params = new
        self._cached_response = None

    def append_messages(self, *messages: Mapping[str, Any] | Message) -> None:
        """Add messages to the conversation; during a reply, the reply and its results are then yours to add."""
        added = [m.to_param() if isinstance(m, Message) else m for m in messages]
        if self._sent is None:
            self._params["messages"] = [*self._params["messages"], *added]
        else:
            self._sent = [*self._sent, *added]
            self._modified = True
        self._cached_response = None

    def _current_messages(self) -> list[Any]:
        return self._sent if self._sent is not None else self._params["messages"]

    # ----- the loop's decisions -------------------------------------------------------------------
    def _should_stop(self) -> bool:
        return self._closed or (self._max_iterations is not None and self._iteration_count >= self._max_iterations)

    def _begin_turn(self) -> dict[str, Any]:
        """The keyword arguments of the next request; the reply is handled against this history."""
        self._sent = list(self._params["messages"])
        self._modified = False
        self._cached_response = None
        return {**self._params, **self._options, "messages": self._sent}

    def _end_turn(self, message: ParsedMessage[Any]) -> Step:
        """Take the reply into the history (unless the application rewrote it) and say what comes next."""
        self._iteration_count += 1
        history = self._sent or []
        self._params["messages"] = history if self._modified else [*history, message.to_param()]
        self._sent = None
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
            self._params["messages"] = [*self._params["messages"], response]
        return True


class _SyncRunner(_RunnerState[ItemT]):
    def __init__(self, client: Anthropic, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._client = client
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
                self._cached_response = {"role": "user", "content": [self._call_tool(c) for c in calls]}
        return self._cached_response

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
            message = yield from self._turn()
            self._last_message = message
            step = self._end_turn(message)
            if step == "stop" or (step == "run_tools" and not self._append_results(self.generate_tool_call_response())):
                return


class BetaToolRunner(_SyncRunner[ParsedMessage[Any]]):
    """Iterate the replies of a tool loop (``client.beta.messages.tool_runner(...)``)."""

    def _turn(self) -> Generator[ParsedMessage[Any], None, ParsedMessage[Any]]:
        options, parser = parse_request(self._client, self._begin_turn(), beta=True, helper="BetaToolRunner")
        message = self._client.request(options, parser)
        self._last_message = message
        yield message
        return message


class BetaStreamingToolRunner(_SyncRunner[MessageStream]):
    """``tool_runner(stream=True)``: iterate one ``MessageStream`` per reply (read it, or leave it to the runner)."""

    def _turn(self) -> Generator[MessageStream, None, ParsedMessage[Any]]:
        options, output_format = stream_request(self._client, self._begin_turn(), beta=True, headers=_RUNNER_HEADERS)
        with MessageStream(self._client.request(options, stream_parser), output_format=output_format) as stream:
            yield stream
            return to_parsed_message(stream.get_final_message(), None)


class _AsyncRunner(_RunnerState[ItemT]):
    def __init__(self, client: AsyncAnthropic, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._client = client
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
                self._cached_response = {"role": "user", "content": [await self._call_tool(c) for c in calls]}
        return self._cached_response

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
        options, parser = parse_request(self._client, self._begin_turn(), beta=True, helper="BetaToolRunner")
        message = await self._client.request(options, parser)
        self._last_message = message

        async def finish() -> ParsedMessage[Any]:
            return message

        return message, finish


class BetaAsyncStreamingToolRunner(_AsyncRunner[AsyncMessageStream]):
    """The async twin of :class:`BetaStreamingToolRunner`."""

    async def _request(self) -> tuple[AsyncMessageStream, Callable[[], Awaitable[ParsedMessage[Any]]]]:
        options, output_format = stream_request(self._client, self._begin_turn(), beta=True, headers=_RUNNER_HEADERS)
        stream = AsyncMessageStream(await self._client.request(options, async_stream_parser), output_format=output_format)

        async def finish() -> ParsedMessage[Any]:
            return to_parsed_message(await stream.get_final_message(), None)

        return stream, finish
