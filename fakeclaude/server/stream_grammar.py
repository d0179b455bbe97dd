"""A finished Message as the real API streams it, and the stream's bytes with latency and faults.

Grammar (spec §4): ``message_start`` (content empty, stop_reason null, provisional output_tokens),
per block ``content_block_start`` / ``content_block_delta``* / ``content_block_stop`` with a ``ping``
after the first start, ``message_delta`` with the stop reason and cumulative usage (``usage.iterations``
there only) and the message's ``context_management`` as a sibling of ``delta``, ``message_stop``.
Per block kind: a text block with citations starts with ``citations: []`` and sends one
``citations_delta`` per citation before its ``text_delta``s; a ``compaction`` block starts with
``content: null`` and sends its summary whole in one ``compaction_delta`` (as recorded).
Accumulating these events gives back exactly the Message they came from.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from ..streaming import encode_event
from .catalog import ModelSpec
from .http import StreamChunk
from .tokens import split_into_tokens

__all__ = ["message_events", "stream_chunks"]

Event = tuple[str, dict[str, Any]]

_PING: dict[str, Any] = {"type": "ping"}
_TOKENS_PER_DELTA = 3
_JSON_CHUNK = 12


def _chunks(pieces: list[str], size: int) -> Iterator[str]:
    for start in range(0, len(pieces), size):
        yield "".join(pieces[start : start + size])


def _block_events(index: int, block: Mapping[str, Any], spec: ModelSpec) -> Iterator[Event]:
    kind = block.get("type")
    if kind == "text":
        start: dict[str, Any] = {"type": "text", "text": ""}
        if "citations" in block:
            start["citations"] = []
        yield "content_block_start", {"type": "content_block_start", "index": index, "content_block": start}
        for citation in block.get("citations") or []:
            yield "content_block_delta", {"type": "content_block_delta", "index": index,
                                          "delta": {"type": "citations_delta", "citation": citation}}
        for piece in _chunks(split_into_tokens(str(block.get("text", "")), spec), _TOKENS_PER_DELTA):
            yield "content_block_delta", {"type": "content_block_delta", "index": index,
                                          "delta": {"type": "text_delta", "text": piece}}
    elif kind in ("tool_use", "server_tool_use"):
        start = {**block, "input": {}}
        yield "content_block_start", {"type": "content_block_start", "index": index, "content_block": start}
        partial = json.dumps(block.get("input", {}), ensure_ascii=False)
        pieces = [""] + [partial[i : i + _JSON_CHUNK] for i in range(0, len(partial), _JSON_CHUNK)]
        for piece in pieces:
            yield "content_block_delta", {"type": "content_block_delta", "index": index,
                                          "delta": {"type": "input_json_delta", "partial_json": piece}}
    elif kind == "thinking":
        yield "content_block_start", {"type": "content_block_start", "index": index,
                                      "content_block": {"type": "thinking", "thinking": "", "signature": ""}}
        for piece in _chunks(split_into_tokens(str(block.get("thinking", "")), spec), _TOKENS_PER_DELTA):
            yield "content_block_delta", {"type": "content_block_delta", "index": index,
                                          "delta": {"type": "thinking_delta", "thinking": piece}}
        yield "content_block_delta", {"type": "content_block_delta", "index": index,
                                      "delta": {"type": "signature_delta", "signature": block.get("signature", "")}}
    elif kind == "compaction":  # recorded: the summary arrives whole in one delta
        yield "content_block_start", {"type": "content_block_start", "index": index,
                                      "content_block": {"type": "compaction", "content": None}}
        delta = {"type": "compaction_delta", "content": block.get("content")}
        if block.get("encrypted_content") is not None:
            delta["encrypted_content"] = block["encrypted_content"]
        yield "content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta}
    else:
        # redacted_thinking and server tool results arrive whole in the start event
        yield "content_block_start", {"type": "content_block_start", "index": index, "content_block": dict(block)}
    yield "content_block_stop", {"type": "content_block_stop", "index": index}


def message_events(message: Mapping[str, Any], spec: ModelSpec) -> Iterator[Event]:
    """The events of ``message`` in the real order."""
    usage = dict(message["usage"])
    start_usage = {k: v for k, v in usage.items() if k != "iterations"}
    start_usage["output_tokens"] = min(usage.get("output_tokens", 0), 1)
    head = {key: value for key, value in message.items() if key not in ("content", "usage", "context_management")}
    head.update(content=[], stop_reason=None, stop_sequence=None, usage=start_usage)
    if "stop_details" in head:
        head["stop_details"] = None
    yield "message_start", {"type": "message_start", "message": head}
    for index, block in enumerate(message["content"]):
        first = True
        for event in _block_events(index, block, spec):
            yield event
            if first and index == 0:
                yield "ping", _PING
            first = False
    delta: dict[str, Any] = {"stop_reason": message["stop_reason"], "stop_sequence": message.get("stop_sequence")}
    if "stop_details" in message:
        delta["stop_details"] = message["stop_details"]
    delta_usage = {k: usage[k] for k in ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens",
                                          "output_tokens", "server_tool_use", "iterations") if k in usage}
    closing: dict[str, Any] = {"type": "message_delta", "delta": delta, "usage": delta_usage}
    if "context_management" in message:  # recorded: a sibling of delta and usage
        closing["context_management"] = message["context_management"]
    yield "message_delta", closing
    yield "message_stop", {"type": "message_stop"}


def stream_chunks(
    events: Iterator[Event],
    *,
    ttft: float = 0.0,
    seconds_per_token: float = 0.0,
    error_after: int | None = None,
    error: Mapping[str, Any] | None = None,
    drop_after: int | None = None,
    pad: int = 0,
) -> Iterator[StreamChunk]:
    """The SSE bytes of ``events``: paced, and faulted as scripted (an ``error`` event or a cut)."""
    for count, (name, data) in enumerate(events):
        if error_after is not None and count >= error_after:
            yield StreamChunk(encode_event("error", {"type": "error", "error": dict(error or {})}))
            return
        if drop_after is not None and count >= drop_after:
            yield StreamChunk(b"", drop=True)
            return
        delay = ttft if count == 0 else 0.0
        if seconds_per_token and name == "content_block_delta":
            delay += seconds_per_token * _TOKENS_PER_DELTA
        yield StreamChunk(encode_event(name, data, pad=pad if name != "ping" else 0), delay=delay)
