"""The one accumulator: typed stream events in, the ``Message`` they describe out.

The client's stream helpers and the fake server's property test (accumulating the fake's stream gives
its non-streamed ``Message``) both use it::

    acc = MessageAccumulator()
    for event in events:
        acc.apply(event)
    message = acc.message

Rules (those of the API and the official SDK): the snapshot starts as a copy of ``message_start``'s
message; ``content_block_start`` appends a copy of its block; text, thinking, signature and citation
deltas update ``content[index]`` (a ``compaction_delta`` sets a compaction block's fields); ``input_json_delta`` fragments are buffered per block and parsed
when the block stops (``{}`` stays when no fragment came; invalid JSON raises ``ValueError``);
``message_delta`` sets the stop fields it carries and overwrites usage with the cumulative counts it
carries (``output_tokens`` always, the others when present and not null); its other top-level keys
(``context_management``) are set on the message. Events before
``message_start``, unknown events and unknown deltas change nothing. The events are never mutated.
"""

from __future__ import annotations

from typing import Any

import jiter

from ..types.content import ServerToolUseBlock, TextBlock, ThinkingBlock, ToolUseBlock, UnknownBlock
from ..types.message import Message
from ..types.stream_events import (
    CitationsDelta,
    InputJSONDelta,
    RawContentBlockDeltaEvent,
    RawContentBlockStartEvent,
    RawContentBlockStopEvent,
    RawMessageDeltaEvent,
    RawMessageStartEvent,
    RawMessageStreamEvent,
    SignatureDelta,
    TextDelta,
    ThinkingDelta,
    UnknownDelta,
)

__all__ = ["MessageAccumulator"]


def _tool_json_error(exc: ValueError, buffer: str) -> ValueError:
    return ValueError(
        "Unable to parse tool parameter JSON from model. Please retry your request or adjust your prompt. "
        f"Error: {exc}. JSON: {buffer}"
    )


def _takes_input(block: object) -> bool:
    """Whether a block's ``input`` is streamed as ``input_json_delta`` (tool calls, known or not)."""
    if isinstance(block, ToolUseBlock | ServerToolUseBlock):
        return True
    return isinstance(block, UnknownBlock) and "input" in (block.model_extra or {})


class MessageAccumulator:
    """Builds a ``Message`` from the raw stream events given to :meth:`apply`, in order."""

    __slots__ = ("_json", "_message")

    def __init__(self) -> None:
        self._message: Message | None = None
        self._json: dict[int, list[str]] = {}  # index -> input_json_delta fragments of an open block

    @property
    def started(self) -> bool:
        """Whether ``message_start`` was seen (before it there is no message)."""
        return self._message is not None

    @property
    def message(self) -> Message:
        """The message so far (the final message once ``message_stop`` was applied)."""
        if self._message is None:
            raise RuntimeError('No message yet: the stream has not sent "message_start"')
        return self._message

    def apply(self, event: RawMessageStreamEvent) -> None:
        """Fold one event into the snapshot."""
        message = self._message
        if message is None:
            if isinstance(event, RawMessageStartEvent):
                self._message = event.message.model_copy(deep=True)
        elif isinstance(event, RawContentBlockDeltaEvent):
            self._apply_delta(message, event)
        elif isinstance(event, RawContentBlockStartEvent):
            message.content.append(event.content_block.model_copy(deep=True))
        elif isinstance(event, RawContentBlockStopEvent):
            self._finish_block(message, event.index)
        elif isinstance(event, RawMessageDeltaEvent):
            _apply_message_delta(message, event)

    def partial_input(self, index: int) -> object:
        """The tool input of the open block ``index``, parsed from the fragments so far (partial JSON).

        Also stored as the block's ``input``, so the snapshot shows the input as it grows. Used by the
        stream helper's ``input_json`` event; the accumulator alone parses once, at the block's end.
        """
        block = _block(self.message, index)
        buffer = "".join(self._json.get(index, ()))
        if not buffer.strip():
            return getattr(block, "input", {})
        try:
            value = jiter.from_json(buffer.encode(), partial_mode="trailing-strings")
        except ValueError as exc:
            raise _tool_json_error(exc, buffer) from exc
        block.input = value
        return value

    def _apply_delta(self, message: Message, event: RawContentBlockDeltaEvent) -> None:
        delta = event.delta
        block = _block(message, event.index)
        if isinstance(delta, TextDelta):
            if isinstance(block, TextBlock):
                block.text += delta.text
        elif isinstance(delta, InputJSONDelta):
            if _takes_input(block):
                self._json.setdefault(event.index, []).append(delta.partial_json)
        elif isinstance(delta, ThinkingDelta):
            if isinstance(block, ThinkingBlock):
                block.thinking += delta.thinking
        elif isinstance(delta, SignatureDelta):
            if isinstance(block, ThinkingBlock):
                block.signature = delta.signature
        elif isinstance(delta, UnknownDelta) and delta.type == "compaction_delta":
            if isinstance(block, UnknownBlock) and block.type == "compaction":  # the summary arrives whole
                for name, value in (delta.model_extra or {}).items():
                    setattr(block, name, value)
        elif isinstance(delta, CitationsDelta) and isinstance(block, TextBlock):
            if block.citations:
                block.citations.append(delta.citation)
            else:
                block.citations = [delta.citation]

    def _finish_block(self, message: Message, index: int) -> None:
        fragments = self._json.pop(index, None)
        if fragments is None:
            return
        buffer = "".join(fragments)
        if not buffer.strip():
            return  # no input streamed: the block keeps the input it started with ({})
        try:
            value = jiter.from_json(buffer.encode())
        except ValueError as exc:
            raise _tool_json_error(exc, buffer) from exc
        _block(message, index).input = value


def _block(message: Message, index: int) -> Any:
    try:
        return message.content[index]
    except IndexError:
        raise ValueError(
            f"Stream event for content block {index}, but only {len(message.content)} block(s) started"
        ) from None


def _apply_message_delta(message: Message, event: RawMessageDeltaEvent) -> None:
    delta = event.delta
    message.stop_reason = delta.stop_reason
    message.stop_sequence = delta.stop_sequence
    if "stop_details" in delta.model_fields_set:
        message.stop_details = delta.stop_details
    if delta.container is not None:
        message.container = delta.container
    for name, value in (event.model_extra or {}).items():  # context_management: a sibling of delta and usage
        if value is not None:
            setattr(message, name, value)
    usage = message.usage
    delta_usage = event.usage
    usage.output_tokens = delta_usage.output_tokens
    # Cumulative totals: each count the delta carries (and is not null) overwrites the snapshot's; those
    # it leaves out keep their message_start value. Usage fields added by a newer API are copied alike.
    for name in delta_usage.model_fields_set | set(delta_usage.model_extra or ()):
        value = getattr(delta_usage, name)
        if value is not None and name != "output_tokens":
            setattr(usage, name, value)
