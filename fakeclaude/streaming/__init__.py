"""Streaming: the SSE codec (encoder and decoder side by side), the accumulator, the stream objects.

Each name is imported on first use, so that the fake server can encode events without loading httpx2.

- :func:`encode_event` / :class:`SSEDecoder` / :class:`ServerSentEvent`: the wire codec.
- :class:`MessageAccumulator`: raw stream events in, ``Message`` out (client and fake server alike).
- :class:`Stream` / :class:`AsyncStream`: typed events of a streamed response; :func:`iter_jsonl` /
  :func:`aiter_jsonl` / :class:`JSONLDecoder`: JSON Lines bodies (batch results).
- :class:`MessageStream` / :class:`AsyncMessageStream` and their managers: ``client.messages.stream()``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

#: Each public name and the private module it is imported from on first use.
_LAZY: dict[str, str] = {
    "AsyncMessageStream": "_message_stream",
    "AsyncMessageStreamManager": "_message_stream",
    "AsyncStream": "_stream",
    "CitationEvent": "_helper_events",
    "ContentBlockStopEvent": "_helper_events",
    "InputJsonEvent": "_helper_events",
    "JSONLDecoder": "_stream",
    "MessageAccumulator": "_accumulator",
    "MessageStopEvent": "_helper_events",
    "MessageStream": "_message_stream",
    "MessageStreamEvent": "_helper_events",
    "MessageStreamManager": "_message_stream",
    "SSEDecoder": "_sse",
    "ServerSentEvent": "_sse",
    "SignatureEvent": "_helper_events",
    "Stream": "_stream",
    "TextEvent": "_helper_events",
    "ThinkingEvent": "_helper_events",
    "aiter_jsonl": "_stream",
    "derive_events": "_message_stream",
    "encode_event": "_sse",
    "iter_jsonl": "_stream",
}


def __getattr__(name: str) -> Any:
    # Imported on first use: the SSE codec and the accumulator do not pull in httpx2 (the stream objects do).
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # Not cached in this module: pytester's in-process runs drop the modules a run imported, and a class
    # kept here from a dropped module would no longer be the one that module raises once imported again.
    return getattr(importlib.import_module(f".{module}", __name__), name)


def __dir__() -> list[str]:
    return sorted(__all__)


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
