"""``message_responses()`` are Messages both libraries accept; ``stream_events()`` accumulate to them.

The events are sent as a real ``text/event-stream`` (fakeclaude's SSE encoder) and read twice: by
fakeclaude's ``MessageAccumulator`` after its SSE decoder, and by the official SDK's
``messages.stream(...).get_final_message()`` over an ``httpx2.MockTransport``. Both must give exactly
the drawn Message, and the same one.
"""

from __future__ import annotations

import json
import os
from typing import Any

import anthropic
import httpx2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fakeclaude.strategies import message_responses, stream_events
from fakeclaude.streaming import MessageAccumulator, SSEDecoder, encode_event
from fakeclaude.types import Message
from fakeclaude.types.stream_events import parse_stream_event_json

PROPERTIES = settings(settings.get_profile(os.environ.get("FAKECLAUDE_PROPERTY_PROFILE", "contract")))
CASES = message_responses().flatmap(lambda m: st.tuples(st.just(m), stream_events(message=m)))


def sse(events: list[dict[str, Any]]) -> bytes:
    return b"".join(encode_event(e["type"], e) for e in events)


def ours(raw: bytes) -> dict[str, Any]:
    decoder, accumulator = SSEDecoder(), MessageAccumulator()
    for event in [*decoder.feed(raw), *decoder.flush()]:
        accumulator.apply(parse_stream_event_json(event.data))
    return accumulator.message.to_dict()


def theirs(raw: bytes) -> anthropic.types.Message:
    def answer(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, content=raw, headers={"content-type": "text/event-stream"})

    http = httpx2.Client(transport=httpx2.MockTransport(answer))
    with anthropic.Anthropic(api_key="sk-ant-x", http_client=http, max_retries=0) as client, client.messages.stream(
        model="claude-sonnet-4-6", max_tokens=64, messages=[{"role": "user", "content": "Hi"}]
    ) as stream:
        return stream.get_final_message()


@PROPERTIES
@given(message_responses())
def test_messages_validate_strictly_in_both_libraries(message: dict[str, Any]) -> None:
    raw = json.dumps(message)
    assert Message.model_validate_json(raw).to_dict() == message
    sdk = anthropic.types.Message.model_validate_json(raw, strict=True)
    assert sdk.model_dump(mode="json", exclude_unset=True) == message


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the SDK's notice about the model's end of life
@PROPERTIES
@given(CASES)
def test_streams_accumulate_to_their_message_in_both_libraries(case: tuple[dict[str, Any], list[dict[str, Any]]]) -> None:
    message, events = case
    raw = sse(events)
    assert ours(raw) == Message.model_validate(message).to_dict() == message
    final = theirs(raw)
    assert final.model_dump(mode="json") == anthropic.types.Message.model_validate(message).model_dump(mode="json")


@settings(PROPERTIES, max_examples=10)
@given(stream_events())
def test_drawn_streams_follow_the_event_grammar(events: list[dict[str, Any]]) -> None:
    kinds = [e["type"] for e in events if e["type"] != "ping"]
    assert kinds[0] == "message_start" and kinds[-2:] == ["message_delta", "message_stop"]
    open_blocks: set[int] = set()
    for event in events:
        if event["type"] == "content_block_start":
            open_blocks.add(event["index"])
        elif event["type"] == "content_block_delta":
            assert event["index"] in open_blocks
        elif event["type"] == "content_block_stop":
            open_blocks.remove(event["index"])
    assert not open_blocks
