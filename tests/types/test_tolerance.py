"""What a newer API may send parses and survives re-serialisation: unknown block, event, delta, citation,
caller, error and batch-result types; unknown fields at any depth; new enum values."""

from __future__ import annotations

import json
from typing import Any

import pytest

from fakeclaude.types import (
    Message,
    MessageDeltaUsage,
    RawContentBlockDeltaEvent,
    RawContentBlockStartEvent,
    RawMessageDeltaEvent,
    TextBlock,
    ToolUseBlock,
    UnknownBatchResult,
    UnknownBlock,
    UnknownCaller,
    UnknownCitation,
    UnknownDelta,
    UnknownErrorObject,
    UnknownEvent,
    parse_batch_result,
    parse_content_block,
    parse_content_block_delta,
    parse_error,
    parse_message,
    parse_stream_event,
    parse_stream_event_json,
)


def message(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": "claude-sonnet-5",
        "id": "msg_011CTest",
        "type": "message",
        "role": "assistant",
        "content": [{"type": "text", "text": "Hello"}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 9, "output_tokens": 3},
    }
    body.update(overrides)
    return body


def test_unknown_block_is_kept_with_all_its_fields() -> None:
    block = {"type": "hologram", "id": "hg_1", "payload": {"depth": [1, 2, {"x": None}]}}
    body = message(content=[{"type": "text", "text": "a"}, block])
    parsed = parse_message(body)
    assert isinstance(parsed.content[1], UnknownBlock)
    assert parsed.content[1].type == "hologram"
    assert parsed.content[1].payload == {"depth": [1, 2, {"x": None}]}  # type: ignore[attr-defined]  # extras read as attributes
    assert parsed.to_dict() == body
    assert json.loads(parsed.to_json()) == body


def test_unknown_fields_survive_at_every_depth() -> None:
    body = message(
        brand_new_top={"a": 1},
        content=[{"type": "tool_use", "id": "toolu_1", "name": "f", "input": {}, "flavour": "x"}],
        usage={
            "input_tokens": 1,
            "output_tokens": 2,
            "carbon_grams": 0.5,
            "cache_creation": {"ephemeral_2h": 7},
        },
    )
    parsed = parse_message(body)
    assert parsed.to_dict() == body
    assert parsed.model_dump(mode="json", exclude_unset=True) == body
    assert parsed.usage.cache_creation is not None
    assert parsed.usage.cache_creation.to_dict() == {"ephemeral_2h": 7}


@pytest.mark.parametrize("value", ["end_turn", "model_context_window_exceeded", "a_reason_from_2027"])
def test_new_stop_reason_values_parse(value: str) -> None:
    assert parse_message(message(stop_reason=value)).stop_reason == value
    event = parse_stream_event(
        {"type": "message_delta", "delta": {"stop_reason": value}, "usage": {"output_tokens": 1}}
    )
    assert isinstance(event, RawMessageDeltaEvent)
    assert event.delta.stop_reason == value


def test_new_enum_values_elsewhere_parse() -> None:
    usage = {"input_tokens": 1, "output_tokens": 1, "service_tier": "galactic", "speed": "ludicrous"}
    body = message(
        usage=usage,
        stop_details={"type": "new_detail", "category": "new_category", "explanation": None},
        content=[{"type": "server_tool_use", "id": "srvtoolu_1", "name": "brand_new_tool", "input": {}}],
    )
    assert parse_message(body).to_dict() == body


def test_unknown_event_parses_from_dict_and_json() -> None:
    data = {"type": "message_thought", "index": 3, "extra": {"k": "v"}}
    for event in (parse_stream_event(data), parse_stream_event_json(json.dumps(data))):
        assert isinstance(event, UnknownEvent)
        assert event.type == "message_thought"
        assert event.to_dict() == data


def test_padded_and_spaced_event_json_parses() -> None:
    assert parse_stream_event_json('{"type":"content_block_stop","index":0          }').to_dict() == {
        "type": "content_block_stop",
        "index": 0,
    }
    assert parse_stream_event_json('{"type": "ping"}').type == "ping"


def test_unknown_delta_and_unknown_block_in_stream_events() -> None:
    delta = {"type": "content_block_delta", "index": 0, "delta": {"type": "compaction_delta", "content": "x"}}
    parsed = parse_stream_event(delta)
    assert isinstance(parsed, RawContentBlockDeltaEvent)
    assert isinstance(parsed.delta, UnknownDelta)
    assert parsed.to_dict() == delta
    assert isinstance(parse_content_block_delta({"type": "audio_delta", "pcm": "AA"}), UnknownDelta)

    start = {"type": "content_block_start", "index": 1, "content_block": {"type": "mcp_tool_use", "id": "m"}}
    started = parse_stream_event(start)
    assert isinstance(started, RawContentBlockStartEvent)
    assert isinstance(started.content_block, UnknownBlock)
    assert started.to_dict() == start


def test_unknown_citation_and_caller() -> None:
    block = {
        "type": "text",
        "text": "t",
        "citations": [{"type": "video_location", "cited_text": "c", "start_frame": 1}],
    }
    parsed = parse_content_block(block)
    assert isinstance(parsed, TextBlock)
    assert parsed.citations is not None
    assert isinstance(parsed.citations[0], UnknownCitation)
    assert parsed.to_dict() == block

    tool = {
        "type": "tool_use",
        "id": "t",
        "name": "n",
        "input": {},
        "caller": {"type": "agent_2027", "ref": "r"},
    }
    used = parse_content_block(tool)
    assert isinstance(used, ToolUseBlock)
    assert isinstance(used.caller, UnknownCaller)
    assert used.to_dict() == tool


def test_unknown_error_type_and_body_without_request_id() -> None:
    body = {
        "type": "error",
        "error": {"type": "teapot_error", "message": "short and stout", "details": {"k": 1}},
    }
    error = parse_error(body)
    assert isinstance(error.error, UnknownErrorObject)
    assert error.error.message == "short and stout"
    assert error.request_id is None
    assert error.to_dict() == body


def test_mid_stream_error_event() -> None:
    data = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    event = parse_stream_event(data)
    assert event.type == "error"
    assert event.to_dict() == data


def test_unknown_batch_result() -> None:
    line = {"custom_id": "a", "result": {"type": "deferred", "until": "later"}}
    parsed = parse_batch_result(line)
    assert isinstance(parsed.result, UnknownBatchResult)
    assert parsed.to_dict() == line


def test_known_type_with_a_wrong_shape_is_still_an_error() -> None:
    with pytest.raises(ValueError):
        parse_content_block({"type": "tool_use", "id": "t"})  # name and input missing
    with pytest.raises(ValueError):
        parse_content_block({"no_type": True})


def test_built_models_validate_as_themselves() -> None:
    unknown = UnknownBlock(type="sticker", anything=1)
    built = Message(
        id="msg_1",
        type="message",
        role="assistant",
        model="m",
        content=[TextBlock(type="text", text="hi"), unknown],
        stop_reason="end_turn",
        stop_sequence=None,
        usage={"input_tokens": 1, "output_tokens": 1},
    )
    assert built.content[1] is unknown
    assert built.to_dict()["content"] == [{"type": "text", "text": "hi"}, {"type": "sticker", "anything": 1}]
    assert parse_message(built.to_dict()) == built
    assert MessageDeltaUsage(output_tokens=5).to_dict() == {"output_tokens": 5}

    claiming = UnknownBlock(type="text", note="no text field")  # an Unknown* instance is never re-tagged
    assert parse_content_block(claiming) is claiming


def test_message_to_param_sends_the_turn_back_as_wire_dicts() -> None:
    body = message(
        content=[{"type": "thinking", "thinking": "t", "signature": "sig"}, {"type": "hologram", "x": 1}]
    )
    assert parse_message(body).to_param() == {"role": "assistant", "content": body["content"]}
