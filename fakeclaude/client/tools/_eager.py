"""``run_tools_eagerly=True``: a streaming tool runner runs each tool call while the reply still streams.

A call runs once the model has moved on from it: when the next block starts, or the reply stops with
``tool_use`` (its own ``content_block_stop`` is not enough: a reply cut short closes its last call too). It
runs when the reader asks for the event after that one, so the reader may hold it
(``runner.defer_tool_call(block)``) while handling any event up to and including that one; the next event
is read first, so nothing runs once reading the reply has failed. Calls run one at a time, and reading
waits while one runs. Held calls, and calls of tools the runner lacks, run with the tool response (the
end of the loop body, or ``generate_tool_call_response()``), which reuses the results of the calls that ran.
After a ``fallback`` block (a refusal handed the reply to another model) no call runs early: the refusal
may have cut off the call before it. The behaviour is the official SDK's (2.17).
"""

from __future__ import annotations

from typing import Any

from ...types.content import ToolUseBlock

__all__ = ["EagerCalls"]


class EagerCalls:
    """The tool calls of one streamed reply: which finished, which are held, the results of those that ran."""

    def __init__(self) -> None:
        self.results: dict[str, dict[str, Any]] = {}
        """The ``tool_result`` of each call that ran, by ``tool_use`` id."""
        self._finished: list[ToolUseBlock] = []  # in the model's order
        self._held: set[str] = set()
        self._closed: ToolUseBlock | None = None  # the last call to close, until the model moves on from it
        self._fallback = False

    def hold(self, tool_use: ToolUseBlock | str) -> None:
        """Keep a call (its block or id) from running early; nothing for a call that ran."""
        tool_use_id = tool_use if isinstance(tool_use, str) else tool_use.id
        if tool_use_id not in self.results:
            self._held.add(tool_use_id)

    def is_held(self, tool_use: ToolUseBlock) -> bool:
        return tool_use.id in self._held

    def held(self) -> list[ToolUseBlock]:
        """The held calls whose blocks finished, in the model's order."""
        return [tool_use for tool_use in self._finished if tool_use.id in self._held]

    def record(self, tool_use: ToolUseBlock, result: dict[str, Any]) -> None:
        self._held.discard(tool_use.id)
        self.results[tool_use.id] = result

    def moved_on_from(self, event: Any) -> ToolUseBlock | None:
        """Follow the reply: the call ``event`` shows the model has moved on from, if any."""
        kind = event.type
        if kind == "content_block_stop":
            block = getattr(event, "content_block", None)
            if isinstance(block, ToolUseBlock):
                self._finished.append(block)
                self._closed = None if self._fallback else block
            return None
        if kind == "content_block_start" and getattr(event.content_block, "type", None) == "fallback":
            self._fallback, self._closed = True, None
            return None
        if kind == "content_block_start" or (kind == "message_delta" and event.delta.stop_reason == "tool_use"):
            moved_on_from, self._closed = self._closed, None
            return moved_on_from
        return None
