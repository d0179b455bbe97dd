"""The events ``MessageStream`` adds to the raw ones, named as the official SDK names them.

``text``, ``citation``, ``thinking``, ``signature`` and ``input_json`` follow the delta they come from;
``content_block_stop`` and ``message_stop`` are replaced by versions carrying the finished block and
the final message.
"""

from __future__ import annotations

import json
from typing import Any, Literal, TypeAlias

import jiter

from ..types._base import BaseModel
from ..types.content import ContentBlock, TextCitation
from ..types.message import Message
from ..types.stream_events import (
    ErrorEvent,
    PingEvent,
    RawContentBlockDeltaEvent,
    RawContentBlockStartEvent,
    RawContentBlockStopEvent,
    RawMessageDeltaEvent,
    RawMessageStartEvent,
    RawMessageStopEvent,
    UnknownEvent,
)

__all__ = [
    "CitationEvent",
    "ContentBlockStopEvent",
    "InputJsonEvent",
    "MessageStopEvent",
    "MessageStreamEvent",
    "SignatureEvent",
    "TextEvent",
    "ThinkingEvent",
]


class TextEvent(BaseModel):
    """A text delta: ``text`` is the new piece, ``snapshot`` the block's text so far."""

    type: Literal["text"] = "text"
    text: str
    snapshot: str

    def parsed_snapshot(self) -> dict[str, Any]:
        """The snapshot read as (possibly unfinished) JSON, for structured outputs."""
        value: Any = jiter.from_json(self.snapshot.encode(), partial_mode="trailing-strings")
        if not isinstance(value, dict):
            raise ValueError(f"The text so far is not a JSON object: {json.dumps(value)[:100]}")
        return value


class CitationEvent(BaseModel):
    """A citation appended to a text block: ``snapshot`` lists the block's citations so far."""

    type: Literal["citation"] = "citation"
    citation: TextCitation
    snapshot: list[TextCitation]


class ThinkingEvent(BaseModel):
    """A thinking delta: ``thinking`` is the new piece, ``snapshot`` the block's thinking so far."""

    type: Literal["thinking"] = "thinking"
    thinking: str
    snapshot: str


class SignatureEvent(BaseModel):
    """The signature of a thinking block."""

    type: Literal["signature"] = "signature"
    signature: str


class InputJsonEvent(BaseModel):
    """A tool-input fragment: ``partial_json`` as sent, ``snapshot`` the input parsed so far."""

    type: Literal["input_json"] = "input_json"
    partial_json: str
    snapshot: object


class MessageStopEvent(RawMessageStopEvent):
    """``message_stop``, carrying the final accumulated message."""

    message: Message


class ContentBlockStopEvent(RawContentBlockStopEvent):
    """``content_block_stop``, carrying the finished block."""

    content_block: ContentBlock


MessageStreamEvent: TypeAlias = (
    TextEvent
    | CitationEvent
    | ThinkingEvent
    | SignatureEvent
    | InputJsonEvent
    | RawMessageStartEvent
    | RawMessageDeltaEvent
    | MessageStopEvent
    | RawContentBlockStartEvent
    | RawContentBlockDeltaEvent
    | ContentBlockStopEvent
    | RawMessageStopEvent
    | RawContentBlockStopEvent
    | PingEvent
    | ErrorEvent
    | UnknownEvent
)
"""What iterating a ``MessageStream`` yields: the raw events (stop events replaced by their carrying
versions once ``message_start`` was seen) and the derived ones."""
