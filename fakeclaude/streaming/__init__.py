"""Streaming: the SSE codec (encoder and decoder side by side), the accumulator, the stream objects.

- :func:`encode_event` / :class:`SSEDecoder` / :class:`ServerSentEvent`: the wire codec.
- :class:`MessageAccumulator`: raw stream events in, ``Message`` out (client and fake server alike).
- :class:`Stream` / :class:`AsyncStream`: typed events of a streamed response; :func:`iter_jsonl` /
  :func:`aiter_jsonl` / :class:`JSONLDecoder`: JSON Lines bodies (batch results).
- :class:`MessageStream` / :class:`AsyncMessageStream` and their managers: ``client.messages.stream()``.
"""

from ._accumulator import MessageAccumulator
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
from ._message_stream import (
    AsyncMessageStream,
    AsyncMessageStreamManager,
    MessageStream,
    MessageStreamManager,
    derive_events,
)
from ._sse import ServerSentEvent, SSEDecoder, encode_event
from ._stream import AsyncStream, JSONLDecoder, Stream, aiter_jsonl, iter_jsonl

__all__ = [
    "AsyncMessageStream",
    "AsyncMessageStreamManager",
    "AsyncStream",
    "CitationEvent",
    "ContentBlockStopEvent",
    "InputJsonEvent",
    "JSONLDecoder",
    "MessageAccumulator",
    "MessageStopEvent",
    "MessageStream",
    "MessageStreamEvent",
    "MessageStreamManager",
    "SSEDecoder",
    "ServerSentEvent",
    "SignatureEvent",
    "Stream",
    "TextEvent",
    "ThinkingEvent",
    "aiter_jsonl",
    "derive_events",
    "encode_event",
    "iter_jsonl",
]
