"""Answers: ``Message`` bodies and the stream events that accumulate to them (wire JSON, as dicts)."""

from __future__ import annotations

import itertools
import json
import string
from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st

from fakeclaude.strategies._blocks import texts
from fakeclaude.strategies._conversations import tool_use_ids
from fakeclaude.strategies._options import check_int_range
from fakeclaude.strategies._tools import tool_inputs, tool_names

__all__ = ["message_responses", "stream_events"]

_BASE58 = "".join(c for c in string.ascii_letters + string.digits if c not in "0OIl")
_SIGNATURE = st.text(st.sampled_from(string.ascii_letters + string.digits + "+/"), min_size=20, max_size=60)
_INPUT_SCHEMA = {"type": "object", "properties": {
    "city": {"type": "string"}, "days": {"type": "integer", "minimum": 1, "maximum": 7},
    "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
    "options": {"type": "object", "properties": {"metric": {"type": "boolean"}, "ratio": {"type": "number"}}},
}}  # fmt: skip


def _blocks() -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        texts(max_size=120).map(lambda t: {"type": "text", "text": t, "citations": None}),
        st.builds(lambda i, n, x: {"type": "tool_use", "id": i, "name": n, "input": x},
                  tool_use_ids(), tool_names(), tool_inputs(_INPUT_SCHEMA)),
        st.builds(lambda t, s: {"type": "thinking", "thinking": t, "signature": s}, texts(max_size=120), _SIGNATURE),
        _SIGNATURE.map(lambda d: {"type": "redacted_thinking", "data": d}),
    )  # fmt: skip


@st.composite
def _message(draw: st.DrawFn, max_blocks: int) -> dict[str, Any]:
    content = draw(st.lists(_blocks(), max_size=max_blocks))
    if any(b["type"] == "tool_use" for b in content):
        stop_reason = "tool_use"
    else:
        stop_reason = draw(st.sampled_from(["end_turn", "max_tokens", "stop_sequence", "pause_turn", "refusal"]))
    stop_sequence = draw(texts(max_size=5)) if stop_reason == "stop_sequence" else None
    creation = draw(st.tuples(st.integers(0, 5000), st.integers(0, 5000)))
    usage = {
        "input_tokens": draw(st.integers(1, 200_000)),
        "output_tokens": draw(st.integers(1, 64_000)),
        "cache_creation_input_tokens": sum(creation),
        "cache_read_input_tokens": draw(st.integers(0, 50_000)),
        "cache_creation": {"ephemeral_5m_input_tokens": creation[0], "ephemeral_1h_input_tokens": creation[1]},
        "server_tool_use": None,
        "service_tier": "standard",
    }
    return {
        "id": "msg_01" + draw(st.text(st.sampled_from(_BASE58), min_size=22, max_size=22)),
        "type": "message",
        "role": "assistant",
        "model": draw(st.sampled_from(["claude-sonnet-4-6", "claude-haiku-4-5-20251001", "claude-opus-4-6"])),
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": stop_sequence,
        "usage": usage,
    }


def message_responses(*, max_blocks: int = 4) -> st.SearchStrategy[dict[str, Any]]:
    """``Message`` bodies as the API sends them: text, ``tool_use`` (then ``stop_reason: tool_use``),
    ``thinking`` and ``redacted_thinking`` blocks, every stop reason, and full ``usage``.

        >>> message = message_responses().example()
        >>> message["type"], message["role"]
        ('message', 'assistant')
    """
    check_int_range("max_blocks", max_blocks, 0, 20)
    return _message(max_blocks)


def _pieces(draw: st.DrawFn, text: str) -> list[str]:
    """``text`` cut into 1..4 non-empty pieces at drawn places."""
    if len(text) <= 1:
        return [text] if text else []
    cuts = sorted(draw(st.sets(st.integers(1, len(text) - 1), max_size=3)))
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


def _block_events(draw: st.DrawFn, index: int, block: Mapping[str, Any]) -> list[dict[str, Any]]:
    kind = block["type"]
    deltas: list[dict[str, Any]] = []
    if kind == "text":
        start: dict[str, Any] = {"type": "text", "text": "", "citations": None}
        deltas = [{"type": "text_delta", "text": p} for p in _pieces(draw, block["text"])]
    elif kind == "tool_use":
        start = {"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}
        raw = json.dumps(block["input"], ensure_ascii=draw(st.booleans()))
        deltas = [{"type": "input_json_delta", "partial_json": p} for p in _pieces(draw, raw)] if block["input"] else []
    elif kind == "thinking":
        start = {"type": "thinking", "thinking": "", "signature": ""}
        deltas = [{"type": "thinking_delta", "thinking": p} for p in _pieces(draw, block["thinking"])]
        deltas.append({"type": "signature_delta", "signature": block["signature"]})
    else:  # blocks that arrive whole
        start = dict(block)
    events: list[dict[str, Any]] = [{"type": "content_block_start", "index": index, "content_block": start}]
    for delta in deltas:
        if draw(st.integers(0, 9)) == 0:
            events.append({"type": "ping"})
        events.append({"type": "content_block_delta", "index": index, "delta": delta})
    events.append({"type": "content_block_stop", "index": index})
    return events


@st.composite
def _events(draw: st.DrawFn, message: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    if message is None:
        message = draw(message_responses())
    usage = dict(message["usage"])
    start_usage = {**usage, "output_tokens": draw(st.integers(0, min(usage["output_tokens"], 5)))}
    opening = {**message, "content": [], "stop_reason": None, "stop_sequence": None, "usage": start_usage}
    events: list[dict[str, Any]] = [{"type": "message_start", "message": opening}]
    if draw(st.booleans()):
        events.append({"type": "ping"})
    for index, block in enumerate(message["content"]):
        events += _block_events(draw, index, block)
    final_usage: dict[str, Any] = {"output_tokens": usage["output_tokens"]}
    if draw(st.booleans()):  # the 2025+ API repeats the input counts in message_delta
        for name in ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"):
            final_usage[name] = usage[name]
    events.append({
        "type": "message_delta",
        "delta": {"stop_reason": message["stop_reason"], "stop_sequence": message["stop_sequence"]},
        "usage": final_usage,
    })  # fmt: skip
    events.append({"type": "message_stop"})
    return events


def stream_events(*, message: Mapping[str, Any] | None = None) -> st.SearchStrategy[list[dict[str, Any]]]:
    """The events of one streamed answer (``message_start`` ... ``message_stop``, with pings), whose
    accumulation is ``message`` (given) or a drawn :func:`message_responses` message: text and thinking
    cut into deltas at drawn places, tool inputs as ``input_json_delta`` fragments, a signature delta
    closing each thinking block, usage completed by ``message_delta``.

        >>> events = stream_events().example()
        >>> events[0]["type"], events[-1]["type"]
        ('message_start', 'message_stop')
    """
    return _events(message)
