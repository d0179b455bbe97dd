"""The accumulator on the real API's recorded streams, against the official SDK's own accumulator.

Each recorded Messages stream is re-encoded with fakeclaude's encoder (padded, as the real API pads),
then read twice through an ``httpx2.MockTransport``: by the official SDK's ``messages.stream()`` and by
fakeclaude's ``Stream`` + ``MessageStream``. Both final messages must agree.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import anthropic
import httpx2
import pytest

from fakeclaude.streaming import MessageAccumulator, MessageStream, Stream, encode_event
from fakeclaude.types.message import Message
from fakeclaude.types.stream_events import parse_stream_event
from tests.real_traffic import INTERACTIONS, interactions

RECORDINGS = INTERACTIONS

pytestmark = pytest.mark.skipif(
    not RECORDINGS.exists(), reason=f"real-traffic recordings absent ({RECORDINGS})"
)


def recorded_streams() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    for record in interactions():
        events = record.get("resp_sse")
        if events and record["url"].split("?")[0].endswith("/v1/messages") and record["status"] == 200:
            yield f"{record['repo']}:{record['path']}#{record['idx']}", events


def wire_bytes(events: list[dict[str, Any]]) -> bytes:
    return b"".join(encode_event(e["event"], e["data"], pad=(i * 7) % 13) for i, e in enumerate(events))


class Server:
    """One mock transport serving whatever body was set last, cut in uneven chunks as a network would."""

    body = b""

    def handler(self, request: httpx2.Request) -> httpx2.Response:
        chunks = [self.body[i : i + 97] for i in range(0, len(self.body), 97)]
        return httpx2.Response(
            200, headers={"content-type": "text/event-stream", "request-id": "req_x"}, content=iter(chunks)
        )


SERVER = Server()
HTTP = httpx2.Client(transport=httpx2.MockTransport(SERVER.handler))
SDK = anthropic.Anthropic(api_key="k", http_client=HTTP, max_retries=0)


def sdk_final_message(body: bytes) -> anthropic.types.Message:
    SERVER.body = body
    with SDK.messages.stream(
        model="claude-x", max_tokens=10, messages=[{"role": "user", "content": "hi"}]
    ) as stream:
        return stream.get_final_message()


def our_final_message(body: bytes) -> Message:
    SERVER.body = body
    response = HTTP.send(HTTP.build_request("POST", "https://api.example/v1/messages"), stream=True)
    with MessageStream(Stream(response, parse=parse_stream_event)) as stream:
        message = stream.get_final_message()
    assert response.is_closed
    return message


def summary(message: Any) -> dict[str, Any]:
    """What must agree: block types, texts, thinking, signatures, tool inputs, citations, stop, usage."""
    blocks = []
    for block in message.content:
        data = block.model_dump(mode="json", exclude_none=True)
        if data["type"] not in ("tool_use", "server_tool_use"):
            data.pop("input", None)  # the SDK does not accumulate the input of blocks it does not know
        blocks.append(
            {k: data[k] for k in ("type", "text", "thinking", "signature", "input", "citations") if k in data}
        )
    usage = message.usage.model_dump(mode="json")
    server_tool_use = usage.get("server_tool_use")
    return {
        "blocks": blocks,
        "stop_reason": message.stop_reason,
        "stop_sequence": message.stop_sequence,
        "usage": {
            k: usage.get(k)
            for k in (
                "input_tokens",
                "output_tokens",
                "cache_creation_input_tokens",
                "cache_read_input_tokens",
            )
        },
        "web_search_requests": server_tool_use and server_tool_use["web_search_requests"],
    }


def test_accumulated_messages_agree_with_the_official_sdk(capsys: pytest.CaptureFixture[str]) -> None:
    agreed = 0
    disagreements: list[str] = []
    for name, events in recorded_streams():
        body = wire_bytes(events)
        try:
            expected = summary(sdk_final_message(body))
        except Exception as exc:  # the SDK could not accumulate it: neither may we silently
            with pytest.raises(Exception):
                our_final_message(body)
            disagreements.append(f"{name}: both failed ({type(exc).__name__})")
            continue
        actual = summary(our_final_message(body))
        if actual == expected:
            agreed += 1
        else:
            disagreements.append(f"{name}: {actual} != {expected}")
    with capsys.disabled():
        print(f"\nreal-traffic streams: {agreed} agree with the official SDK; {len(disagreements)} other")
        for line in disagreements:
            print("  ", line[:300])
    assert agreed >= 300
    assert all("both failed" in line for line in disagreements)


def test_the_pure_accumulator_gives_the_same_message_as_the_stream_helper() -> None:
    checked = 0
    for name, events in recorded_streams():
        if "no_content_block_start" in name:
            continue  # a deliberately broken recording (deltas for a block never started)
        accumulator = MessageAccumulator()
        for event in events:
            if event["event"] not in ("ping", "error"):
                accumulator.apply(parse_stream_event(event["data"]))
        message = accumulator.message
        assert message == our_final_message(wire_bytes(events))
        checked += 1
        # Ground truth for tool inputs: the recorded fragments of each block, concatenated.
        fragments: dict[int, str] = {}
        for event in events:
            data = event["data"]
            if data.get("type") == "content_block_delta" and data["delta"]["type"] == "input_json_delta":
                fragments[data["index"]] = fragments.get(data["index"], "") + data["delta"]["partial_json"]
        for index, text in fragments.items():
            assert getattr(message.content[index], "input") == (json.loads(text) if text else {})  # noqa: B009
    assert checked > 300
