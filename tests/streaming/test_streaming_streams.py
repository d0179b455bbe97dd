"""Stream / AsyncStream and the MessageStream helpers over real httpx2 streamed responses."""

from __future__ import annotations

import json
from typing import Any

import pytest

from fakeclaude._exceptions import APIResponseValidationError, APIStatusError
from fakeclaude.streaming import (
    AsyncMessageStream,
    AsyncMessageStreamManager,
    AsyncStream,
    CitationEvent,
    ContentBlockStopEvent,
    InputJsonEvent,
    MessageStopEvent,
    MessageStream,
    MessageStreamManager,
    SignatureEvent,
    Stream,
    TextEvent,
    ThinkingEvent,
    aiter_jsonl,
    iter_jsonl,
)
from fakeclaude.types.content import TextBlock, ThinkingBlock, ToolUseBlock
from fakeclaude.types.stream_events import RawMessageStreamEvent, UnknownEvent, parse_stream_event

from .streaming_helpers import (
    MESSAGE_STOP,
    OVERLOADED,
    PING,
    MockServer,
    block_start,
    block_stop,
    delta,
    message_delta,
    message_start,
    text_delta,
    text_stream_events,
)


def open_stream(server: MockServer) -> Stream[RawMessageStreamEvent]:
    return Stream(server.send(), parse=parse_stream_event)


async def open_async_stream(server: MockServer) -> AsyncStream[RawMessageStreamEvent]:
    return AsyncStream(await server.asend(), parse=parse_stream_event)


# --- Stream ---------------------------------------------------------------------------------------


def test_stream_yields_typed_events_skips_pings_and_closes_when_exhausted() -> None:
    server = MockServer()
    server.serve(text_stream_events("Hel", "lo"))
    stream = open_stream(server)
    assert stream.request_id == "req_011CTest"
    types = [event.type for event in stream]
    assert types == [
        "message_start",
        "content_block_start",
        "content_block_delta",
        "content_block_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
    ]
    assert stream.response.is_closed
    assert server.bodies[0].closed


def test_stream_skips_events_without_a_name_and_passes_unknown_ones() -> None:
    server = MockServer()
    server.serve(
        b": comment\n\n"
        b'data: {"type":"message_stop"}\n\n'
        b'event: brand_new_event\ndata: {"type":"brand_new_event","x":1}\n\n'
        b"event: message_stop\ndata:\n\n"  # no data: skipped
        b'event: message_stop\r\ndata: {"type":"message_stop"}\r\n\r\n'
    )
    events = list(open_stream(server))
    assert [event.type for event in events] == ["brand_new_event", "message_stop"]
    assert isinstance(events[0], UnknownEvent)


def test_stream_error_event_raises_an_api_status_error_with_status_200() -> None:
    server = MockServer()
    server.serve(
        [message_start(), block_start(0, {"type": "text", "text": ""}), text_delta(0, "Hi"), OVERLOADED]
    )
    stream = open_stream(server)
    seen: list[str] = []
    with pytest.raises(APIStatusError) as caught:
        for event in stream:
            seen.append(event.type)
    error = caught.value
    assert seen == ["message_start", "content_block_start", "content_block_delta"]
    assert error.status_code == 200
    assert error.type == "overloaded_error"
    assert error.api_message == "Overloaded"
    assert error.request_id == "req_011CTest"
    assert error.body == OVERLOADED[1]
    assert str(error) == "Overloaded (request_id: req_011CTest, path: /v1/messages, type: overloaded_error)"  # anthropic 2.17's
    assert stream.response.is_closed


def test_stream_error_event_with_text_data() -> None:
    server = MockServer()
    server.serve(b"event: error\ndata: upstream went away\n\n")
    with pytest.raises(APIStatusError, match="upstream went away") as caught:
        list(open_stream(server))
    assert caught.value.body == "upstream went away"


def test_stream_invalid_json_is_a_response_validation_error() -> None:
    server = MockServer()
    server.serve(b"event: message_start\ndata: {not json\n\n")
    with pytest.raises(APIResponseValidationError, match="message_start"):
        list(open_stream(server))


def test_close_mid_stream_closes_the_response() -> None:
    server = MockServer()
    server.serve(text_stream_events(*["word "] * 50))
    stream = open_stream(server)
    next(stream)
    stream.close()
    assert stream.response.is_closed
    assert server.bodies[0].closed
    assert server.bodies[0].sent < len(server.bodies[0].chunks)
    assert list(stream) == []


def test_context_manager_exit_closes_the_response() -> None:
    server = MockServer()
    server.serve(text_stream_events("a", "b"))
    with open_stream(server) as stream:
        next(iter(stream))
    assert stream.response.is_closed


async def test_async_stream_iterates_raises_and_closes() -> None:
    server = MockServer()
    server.serve(text_stream_events("Hel", "lo"))
    stream = await open_async_stream(server)
    assert stream.request_id == "req_011CTest"
    events = [event async for event in stream]
    assert len(events) == 7
    assert stream.response.is_closed

    server.serve([message_start(), OVERLOADED])
    stream = await open_async_stream(server)
    with pytest.raises(APIStatusError) as caught:
        async for _ in stream:
            pass
    assert (caught.value.status_code, caught.value.type) == (200, "overloaded_error")
    assert stream.response.is_closed


async def test_async_stream_close_mid_stream() -> None:
    server = MockServer()
    server.serve(text_stream_events(*["word "] * 50))
    async with await open_async_stream(server) as stream:
        await stream.__anext__()
    assert stream.response.is_closed
    assert server.bodies[0].closed


# --- MessageStream --------------------------------------------------------------------------------


def test_text_stream_and_final_message() -> None:
    server = MockServer()
    server.serve(text_stream_events("Hello", ", ", "world"))
    with MessageStreamManager(lambda: open_stream(server)) as stream:
        assert stream.request_id == "req_011CTest"
        assert stream.workspace_id == "wrk_1"
        assert list(stream.text_stream) == ["Hello", ", ", "world"]
        message = stream.get_final_message()
        assert stream.get_final_text() == "Hello, world"
    assert message.content == [TextBlock(type="text", text="Hello, world")]
    assert message.stop_reason == "end_turn"
    assert (message.usage.input_tokens, message.usage.output_tokens) == (12, 9)
    assert stream.response.is_closed


def test_message_stream_yields_raw_and_derived_events() -> None:
    server = MockServer()
    server.serve(text_stream_events("Hi", "!"))
    stream = MessageStream(open_stream(server))
    events = list(stream)
    assert [event.type for event in events] == [
        "message_start",
        "content_block_start",
        "content_block_delta",
        "text",
        "content_block_delta",
        "text",
        "content_block_stop",
        "message_delta",
        "message_stop",
    ]
    texts = [event for event in events if isinstance(event, TextEvent)]
    assert [(t.text, t.snapshot) for t in texts] == [("Hi", "Hi"), ("!", "Hi!")]
    stop = events[6]
    assert isinstance(stop, ContentBlockStopEvent)
    assert stop.content_block == TextBlock(type="text", text="Hi!")
    final = events[-1]
    assert isinstance(final, MessageStopEvent)
    assert final.message == stream.current_message_snapshot == stream.get_final_message()


def test_tool_input_snapshots_grow_and_the_final_input_is_parsed() -> None:
    fragments = ["", '{"locati', 'on": "P', "ar", 'is", "days": [1, ', "2]}"]
    server = MockServer()
    server.serve(
        [
            message_start(),
            block_start(0, {"type": "text", "text": ""}),
            text_delta(0, "Let me check."),
            block_stop(0),
            block_start(1, {"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {}}),
            PING,
            *(delta(1, {"type": "input_json_delta", "partial_json": f}) for f in fragments),
            block_stop(1),
            message_delta("tool_use", 30),
            MESSAGE_STOP,
        ]
    )
    stream = MessageStream(open_stream(server))
    snapshots: list[Any] = [e.snapshot for e in stream if isinstance(e, InputJsonEvent)]
    assert snapshots == [
        {},
        {},  # an unfinished key is left out
        {"location": "P"},
        {"location": "Par"},
        {"location": "Paris", "days": [1]},
        {"location": "Paris", "days": [1, 2]},
    ]
    message = stream.get_final_message()
    tool = message.content[1]
    assert isinstance(tool, ToolUseBlock)
    assert tool.input == {"location": "Paris", "days": [1, 2]}
    assert message.stop_reason == "tool_use"


def test_invalid_tool_json_raises_value_error() -> None:
    server = MockServer()
    server.serve(
        [
            message_start(),
            block_start(0, {"type": "tool_use", "id": "toolu_01", "name": "f", "input": {}}),
            delta(0, {"type": "input_json_delta", "partial_json": '{"a": 1}}'}),
            block_stop(0),
            message_delta("tool_use"),
            MESSAGE_STOP,
        ]
    )
    with (
        MessageStreamManager(lambda: open_stream(server)) as stream,
        pytest.raises(ValueError, match="Unable to parse tool parameter JSON"),
    ):
        stream.get_final_message()
    assert stream.response.is_closed


def test_thinking_signature_and_citation_events() -> None:
    citation = {
        "type": "char_location",
        "cited_text": "The sky is blue.",
        "document_index": 0,
        "document_title": "Sky",
        "start_char_index": 0,
        "end_char_index": 16,
    }
    server = MockServer()
    server.serve(
        [
            message_start(),
            block_start(0, {"type": "thinking", "thinking": "", "signature": ""}),
            delta(0, {"type": "thinking_delta", "thinking": "Hmm, "}),
            delta(0, {"type": "thinking_delta", "thinking": "the sky."}),
            delta(0, {"type": "thinking_delta", "thinking": ""}),
            delta(0, {"type": "signature_delta", "signature": "EqQBCkYIBx"}),
            block_stop(0),
            block_start(1, {"type": "text", "text": "", "citations": []}),
            delta(1, {"type": "citations_delta", "citation": citation}),
            text_delta(1, "It is blue."),
            block_stop(1),
            message_delta(),
            MESSAGE_STOP,
        ]
    )
    stream = MessageStream(open_stream(server))
    events = list(stream)
    thinking = [(e.thinking, e.snapshot) for e in events if isinstance(e, ThinkingEvent)]
    assert thinking == [("Hmm, ", "Hmm, "), ("the sky.", "Hmm, the sky."), ("", "Hmm, the sky.")]
    assert [e.signature for e in events if isinstance(e, SignatureEvent)] == ["EqQBCkYIBx"]
    (cited,) = [e for e in events if isinstance(e, CitationEvent)]
    assert cited.citation.to_dict() == citation
    assert len(cited.snapshot) == 1
    message = stream.get_final_message()
    assert message.content[0] == ThinkingBlock(
        type="thinking", thinking="Hmm, the sky.", signature="EqQBCkYIBx"
    )
    text = message.content[1]
    assert isinstance(text, TextBlock)
    assert text.text == "It is blue."
    assert text.citations is not None
    assert [c.to_dict() for c in text.citations] == [citation]


def test_get_final_text_without_text_block_is_a_runtime_error() -> None:
    server = MockServer()
    server.serve(
        [
            message_start(),
            block_start(0, {"type": "tool_use", "id": "toolu_01", "name": "f", "input": {}}),
            block_stop(0),
            message_delta("tool_use"),
            MESSAGE_STOP,
        ]
    )
    with (
        MessageStreamManager(lambda: open_stream(server)) as stream,
        pytest.raises(RuntimeError, match="tool_use"),
    ):
        stream.get_final_text()


def test_unknown_events_and_deltas_change_nothing() -> None:
    server = MockServer()
    events = text_stream_events("a", "b")
    events.insert(3, ("future_event", {"type": "future_event", "payload": [1, 2]}))
    events.insert(4, delta(0, {"type": "future_delta", "stuff": "x"}))
    server.serve(events)
    stream = MessageStream(open_stream(server))
    assert stream.get_final_text() == "ab"


def test_error_event_mid_message_stream() -> None:
    server = MockServer()
    server.serve(
        [message_start(), block_start(0, {"type": "text", "text": ""}), text_delta(0, "Hi"), OVERLOADED]
    )
    with MessageStreamManager(lambda: open_stream(server)) as stream:
        got: list[str] = []
        with pytest.raises(APIStatusError) as caught:
            for text in stream.text_stream:
                got.append(text)
        assert got == ["Hi"]
        assert caught.value.status_code == 200
        assert caught.value.type == "overloaded_error"
        first_block = stream.current_message_snapshot.content[0]
        assert isinstance(first_block, TextBlock)
        assert first_block.text == "Hi"
    assert stream.response.is_closed


def test_manager_performs_the_request_on_enter_and_closes_on_exit() -> None:
    server = MockServer()
    server.serve(text_stream_events(*["x"] * 100))
    calls: list[int] = []

    def request() -> Stream[RawMessageStreamEvent]:
        calls.append(1)
        return open_stream(server)

    manager = MessageStreamManager(request)
    assert calls == []
    with manager as stream:
        assert calls == [1]
        next(iter(stream))
    assert stream.response.is_closed
    assert server.bodies[0].closed
    assert server.bodies[0].sent < len(server.bodies[0].chunks)


def test_current_snapshot_before_message_start_is_an_error() -> None:
    server = MockServer()
    server.serve(text_stream_events("a"))
    stream = MessageStream(open_stream(server))
    with pytest.raises(RuntimeError, match="message_start"):
        _ = stream.current_message_snapshot
    stream.close()


async def test_async_message_stream() -> None:
    server = MockServer()
    server.serve(text_stream_events("Hello", " ", "async"))
    async with AsyncMessageStreamManager(lambda: open_async_stream(server)) as stream:
        assert isinstance(stream, AsyncMessageStream)
        assert stream.request_id == "req_011CTest"
        assert [text async for text in stream.text_stream] == ["Hello", " ", "async"]
        assert await stream.get_final_text() == "Hello async"
        message = await stream.get_final_message()
    assert message.usage.output_tokens == 9
    assert stream.response.is_closed

    server.serve(text_stream_events("x", "y"))
    stream = AsyncMessageStream(await open_async_stream(server))
    kinds = [event.type async for event in stream]
    assert kinds.count("text") == 2
    assert kinds[-1] == "message_stop"


async def test_async_message_stream_error_and_close() -> None:
    server = MockServer()
    server.serve([message_start(), OVERLOADED])
    async with AsyncMessageStreamManager(lambda: open_async_stream(server)) as stream:
        with pytest.raises(APIStatusError) as caught:
            await stream.until_done()
        assert caught.value.type == "overloaded_error"

    server.serve(text_stream_events(*["x"] * 100))
    async with AsyncMessageStreamManager(lambda: open_async_stream(server)) as stream:
        await stream.__anext__()
    assert stream.response.is_closed
    assert server.bodies[-1].closed


# --- JSONL ----------------------------------------------------------------------------------------


RESULTS = [
    {"custom_id": "a", "result": {"type": "succeeded", "message": {"id": "msg_1"}}},
    {"custom_id": "b", "result": {"type": "errored", "error": {"type": "error"}}},
    {"custom_id": "ü", "result": {"type": "expired"}},
]


def test_iter_jsonl_reads_every_line_and_closes() -> None:
    server = MockServer()
    server.content_type = "application/binary"
    server.serve("\r\n".join(json.dumps(r, ensure_ascii=False) for r in RESULTS).encode() + b"\n\n")
    response = server.send()
    assert list(iter_jsonl(response)) == RESULTS
    assert response.is_closed


async def test_aiter_jsonl_reads_every_line_and_closes() -> None:
    server = MockServer()
    server.serve("\r".join(json.dumps(r) for r in RESULTS).encode())
    response = await server.asend()
    assert [value async for value in aiter_jsonl(response)] == RESULTS
    assert response.is_closed


def test_iter_jsonl_invalid_line() -> None:
    server = MockServer()
    server.serve(b'{"a": 1}\n{oops\n')
    response = server.send()
    with pytest.raises(APIResponseValidationError, match="Invalid JSON line"):
        list(iter_jsonl(response))
    assert response.is_closed


def test_a_body_cut_midway_is_the_sdks_connection_error_and_a_bare_response_keeps_its_own() -> None:
    """Read through a client, the cut names its host (anthropic 2.17); a response built by hand has no request
    to name, and its failure is raised as it is."""
    from collections.abc import Iterator

    import httpx2

    from fakeclaude import APIConnectionError
    from fakeclaude.streaming import Stream

    class Cut(httpx2.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            yield b"event: ping\ndata: {}\n\n"
            raise httpx2.RemoteProtocolError("cut")

    requested = httpx2.Response(200, stream=Cut(), request=httpx2.Request("POST", "http://api.test/v1/messages"))
    with pytest.raises(APIConnectionError, match=r"^Connection to api\.test failed: cut$") as raised:
        list(Stream(requested, parse=lambda data: data))
    assert isinstance(raised.value.__cause__, httpx2.RemoteProtocolError)
    with pytest.raises(httpx2.RemoteProtocolError, match=r"^cut$"):
        list(Stream(httpx2.Response(200, stream=Cut()), parse=lambda data: data))
