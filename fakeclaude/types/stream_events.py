"""The events of a ``"stream": true`` response and their deltas.

:data:`RawMessageStreamEvent` covers the six Messages events plus ``ping`` (:class:`PingEvent`), a
mid-stream ``error`` (:class:`ErrorEvent`) and any event type this version does not know
(:class:`UnknownEvent`, all fields kept). Deltas of an unknown type parse as :class:`UnknownDelta`.
"""

from typing import Annotated, Any, Literal, TypeAlias

from pydantic import Tag

from ._base import BaseModel
from ._tolerant import UNKNOWN, LazyAdapter, UnknownObject, tag_discriminator
from .content import ContentBlock, TextCitation
from .errors import ErrorResponse
from .message import Container, Message, OutputTokensDetails, ServerToolUsage, StopDetails

__all__ = [
    "CitationsDelta",
    "ContentBlockDeltaEvent",
    "ContentBlockStartEvent",
    "ContentBlockStopEvent",
    "ErrorEvent",
    "InputJSONDelta",
    "InputJsonDelta",
    "MessageDelta",
    "MessageDeltaEvent",
    "MessageDeltaUsage",
    "MessageStartEvent",
    "MessageStopEvent",
    "MessageStreamEvent",
    "PingEvent",
    "RawContentBlockDelta",
    "RawContentBlockDeltaEvent",
    "RawContentBlockStartEvent",
    "RawContentBlockStopEvent",
    "RawMessageDeltaEvent",
    "RawMessageStartEvent",
    "RawMessageStopEvent",
    "RawMessageStreamEvent",
    "SignatureDelta",
    "TextDelta",
    "ThinkingDelta",
    "UnknownDelta",
    "UnknownEvent",
    "parse_content_block_delta",
    "parse_stream_event",
    "parse_stream_event_json",
]


# --- deltas ----------------------------------------------------------------------------------------


class TextDelta(BaseModel):
    type: Literal["text_delta"]
    text: str


class InputJSONDelta(BaseModel):
    """A fragment of a tool call's ``input`` JSON; the fragments of a block concatenate to the object."""

    type: Literal["input_json_delta"]
    partial_json: str


InputJsonDelta = InputJSONDelta


class CitationsDelta(BaseModel):
    """One citation appended to the current text block."""

    type: Literal["citations_delta"]
    citation: TextCitation


class ThinkingDelta(BaseModel):
    type: Literal["thinking_delta"]
    thinking: str


class SignatureDelta(BaseModel):
    """The thinking block's full signature, sent once just before its ``content_block_stop``."""

    type: Literal["signature_delta"]
    signature: str


class UnknownDelta(UnknownObject):
    """A delta of a type this version does not know."""


RawContentBlockDelta: TypeAlias = Annotated[
    Annotated[TextDelta, Tag("text_delta")]
    | Annotated[InputJSONDelta, Tag("input_json_delta")]
    | Annotated[CitationsDelta, Tag("citations_delta")]
    | Annotated[ThinkingDelta, Tag("thinking_delta")]
    | Annotated[SignatureDelta, Tag("signature_delta")]
    | Annotated[UnknownDelta, Tag(UNKNOWN)],
    tag_discriminator(
        ["text_delta", "input_json_delta", "citations_delta", "thinking_delta", "signature_delta"]
    ),
]


# --- events ----------------------------------------------------------------------------------------


class RawMessageStartEvent(BaseModel):
    """Opens the stream: the message with empty ``content`` and ``stop_reason=None``."""

    type: Literal["message_start"]
    message: Message


class MessageDelta(BaseModel):
    """Top-level changes carried by ``message_delta``."""

    stop_reason: str | None = None
    stop_sequence: str | None = None
    stop_details: StopDetails | None = None
    container: Container | None = None


Delta = MessageDelta  # the official SDK's name, in its raw_message_delta_event module


class MessageDeltaUsage(BaseModel):
    """Cumulative usage (totals so far, not increments)."""

    output_tokens: int
    input_tokens: int | None = None
    cache_creation_input_tokens: int | None = None
    cache_read_input_tokens: int | None = None
    output_tokens_details: OutputTokensDetails | None = None
    server_tool_use: ServerToolUsage | None = None


class RawMessageDeltaEvent(BaseModel):
    type: Literal["message_delta"]
    delta: MessageDelta
    usage: MessageDeltaUsage


class RawMessageStopEvent(BaseModel):
    type: Literal["message_stop"]


class RawContentBlockStartEvent(BaseModel):
    """Opens block ``index``: text/tool blocks arrive empty, result blocks arrive whole."""

    type: Literal["content_block_start"]
    index: int
    content_block: ContentBlock


class RawContentBlockDeltaEvent(BaseModel):
    type: Literal["content_block_delta"]
    index: int
    delta: RawContentBlockDelta


class RawContentBlockStopEvent(BaseModel):
    type: Literal["content_block_stop"]
    index: int


class PingEvent(BaseModel):
    """A keep-alive; may appear anywhere, any number of times."""

    type: Literal["ping"]


class ErrorEvent(ErrorResponse):
    """An ``error`` event: a failure after the 200 was sent (e.g. ``overloaded_error``); the stream ends."""


class UnknownEvent(UnknownObject):
    """An event of a type this version does not know; clients should ignore it."""


RawMessageStreamEvent: TypeAlias = Annotated[
    Annotated[RawMessageStartEvent, Tag("message_start")]
    | Annotated[RawMessageDeltaEvent, Tag("message_delta")]
    | Annotated[RawMessageStopEvent, Tag("message_stop")]
    | Annotated[RawContentBlockStartEvent, Tag("content_block_start")]
    | Annotated[RawContentBlockDeltaEvent, Tag("content_block_delta")]
    | Annotated[RawContentBlockStopEvent, Tag("content_block_stop")]
    | Annotated[PingEvent, Tag("ping")]
    | Annotated[ErrorEvent, Tag("error")]
    | Annotated[UnknownEvent, Tag(UNKNOWN)],
    tag_discriminator(
        [
            "message_start",
            "message_delta",
            "message_stop",
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
            "ping",
            "error",
        ]
    ),
]
"""Any ``data:`` payload of a Messages stream, discriminated on ``type``."""

# The official SDK's aliases.
MessageStreamEvent = RawMessageStreamEvent
MessageStartEvent = RawMessageStartEvent
MessageDeltaEvent = RawMessageDeltaEvent
MessageStopEvent = RawMessageStopEvent
ContentBlockStartEvent = RawContentBlockStartEvent
ContentBlockDeltaEvent = RawContentBlockDeltaEvent
ContentBlockStopEvent = RawContentBlockStopEvent

_event: LazyAdapter[RawMessageStreamEvent] = LazyAdapter(RawMessageStreamEvent)
_delta: LazyAdapter[RawContentBlockDelta] = LazyAdapter(RawContentBlockDelta)


def parse_stream_event(data: Any) -> RawMessageStreamEvent:
    """Validate one decoded ``data:`` payload of a stream."""
    return _event.validate(data)


def parse_stream_event_json(raw: str | bytes) -> RawMessageStreamEvent:
    """Validate one ``data:`` payload straight from its JSON text (any whitespace padding accepted)."""
    return _event.validate_json(raw)


def parse_content_block_delta(data: Any) -> RawContentBlockDelta:
    """Validate one ``content_block_delta.delta`` object."""
    return _delta.validate(data)
