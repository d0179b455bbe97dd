"""MessageAccumulator alone: the rules the client and the fake server's property test rely on."""

from __future__ import annotations

from typing import Any

import pytest

from fakeclaude.streaming import MessageAccumulator, derive_events
from fakeclaude.types.content import ToolUseBlock
from fakeclaude.types.message import parse_message
from fakeclaude.types.stream_events import RawMessageStartEvent, parse_stream_event

from .streaming_helpers import (
    MESSAGE_STOP,
    PING,
    block_start,
    block_stop,
    delta,
    message_delta,
    message_start,
    text_delta,
    text_stream_events,
)


def accumulate(events: list[tuple[str, Any]]) -> MessageAccumulator:
    accumulator = MessageAccumulator()
    for _, data in events:
        accumulator.apply(parse_stream_event(data))
    return accumulator


def test_accumulated_text_stream_equals_the_non_streamed_message() -> None:
    accumulator = accumulate(text_stream_events("Hello", " there"))
    expected = parse_message(
        {
            "id": "msg_01abc",
            "type": "message",
            "role": "assistant",
            "model": "claude-sonnet-4-6",
            "content": [{"type": "text", "text": "Hello there"}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": 12, "output_tokens": 9, "cache_read_input_tokens": 0},
        }
    )
    assert accumulator.message == expected
    assert accumulator.message.to_dict() == expected.to_dict()


def test_message_delta_usage_is_cumulative_and_keeps_what_it_leaves_out() -> None:
    accumulator = accumulate(
        [
            message_start(cache_creation_input_tokens=5),
            message_delta(
                "refusal",
                0,
                stop_details={"type": "refusal", "category": "cyber", "explanation": None},
                container={"id": "container_011", "expires_at": "2026-11-25T10:00:00Z"},
                usage={
                    "input_tokens": 40,
                    "cache_read_input_tokens": 7,
                    "cache_creation_input_tokens": None,
                    "server_tool_use": {"web_search_requests": 2},
                    "iterations": [{"type": "message"}],
                },
            ),
            message_delta("max_tokens", 20),
            MESSAGE_STOP,
        ]
    )
    message = accumulator.message
    assert message.stop_reason == "max_tokens"
    assert message.stop_details is not None and message.stop_details.category == "cyber"  # kept: not re-sent
    assert message.container is not None and message.container.id == "container_011"
    usage = message.usage.to_dict()
    assert usage["input_tokens"] == 40
    assert usage["output_tokens"] == 20
    assert usage["cache_read_input_tokens"] == 7
    assert usage["cache_creation_input_tokens"] == 5  # null in the delta: the start value stays
    assert usage["server_tool_use"]["web_search_requests"] == 2
    assert usage["iterations"] == [{"type": "message"}]  # a field this version does not know is kept


def test_events_are_never_mutated() -> None:
    start = parse_stream_event(message_start()[1])
    block = parse_stream_event(block_start(0, {"type": "text", "text": ""})[1])
    accumulator = MessageAccumulator()
    for event in (start, block, parse_stream_event(text_delta(0, "abc")[1])):
        accumulator.apply(event)
    assert isinstance(start, RawMessageStartEvent)
    assert start.message.content == []
    assert block.content_block.text == ""  # type: ignore[union-attr]


def test_events_before_message_start_are_ignored() -> None:
    accumulator = MessageAccumulator()
    accumulator.apply(parse_stream_event(PING[1]))
    accumulator.apply(parse_stream_event(block_stop(0)[1]))
    assert not accumulator.started
    with pytest.raises(RuntimeError):
        _ = accumulator.message
    accumulator.apply(parse_stream_event(message_start()[1]))
    assert accumulator.started


def test_tool_input_is_parsed_at_block_stop_only() -> None:
    events = [
        message_start(),
        block_start(0, {"type": "tool_use", "id": "toolu_01", "name": "f", "input": {}}),
        delta(0, {"type": "input_json_delta", "partial_json": ""}),
        delta(0, {"type": "input_json_delta", "partial_json": '{"q": "a'}),
    ]
    accumulator = accumulate(events)
    block = accumulator.message.content[0]
    assert isinstance(block, ToolUseBlock)
    assert block.input == {}  # not parsed yet (the helper parses partial JSON on demand)
    assert accumulator.partial_input(0) == {"q": "a"}
    accumulator.apply(parse_stream_event(delta(0, {"type": "input_json_delta", "partial_json": 'b"}'})[1]))
    accumulator.apply(parse_stream_event(block_stop(0)[1]))
    assert block.input == {"q": "ab"}


def test_tool_without_fragments_keeps_empty_input() -> None:
    accumulator = accumulate(
        [
            message_start(),
            block_start(0, {"type": "tool_use", "id": "toolu_01", "name": "f", "input": {}}),
            delta(0, {"type": "input_json_delta", "partial_json": ""}),
            block_stop(0),
        ]
    )
    assert accumulator.message.content[0].input == {}  # type: ignore[union-attr]


def test_unknown_tool_like_blocks_get_their_input_too() -> None:
    accumulator = accumulate(
        [
            message_start(),
            block_start(
                0,
                {"type": "mcp_tool_use", "id": "mcptoolu_1", "name": "ask", "server_name": "s", "input": {}},
            ),
            delta(0, {"type": "input_json_delta", "partial_json": '{"x": [1]}'}),
            block_stop(0),
        ]
    )
    assert accumulator.message.content[0].to_dict()["input"] == {"x": [1]}


def test_a_delta_for_a_block_never_started_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="content block 1"):
        accumulate([message_start(), text_delta(1, "x")])


def test_derive_events_passes_events_before_message_start_through() -> None:
    accumulator = MessageAccumulator()
    stop = parse_stream_event(block_stop(0)[1])
    assert derive_events(accumulator, stop) == [stop]
