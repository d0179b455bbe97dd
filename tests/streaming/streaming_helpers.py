"""Helpers for the streaming tests: recorded-shape event lists and an httpx2 mock server for them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx2

from fakeclaude.streaming import encode_event

Event = tuple[str, Any]


def message_start(**usage: int) -> Event:
    return (
        "message_start",
        {
            "type": "message_start",
            "message": {
                "id": "msg_01abc",
                "type": "message",
                "role": "assistant",
                "model": "claude-sonnet-4-6",
                "content": [],
                "stop_reason": None,
                "stop_sequence": None,
                "usage": {"input_tokens": 12, "output_tokens": 1, "cache_read_input_tokens": 0, **usage},
            },
        },
    )


def block_start(index: int, block: dict[str, Any]) -> Event:
    return ("content_block_start", {"type": "content_block_start", "index": index, "content_block": block})


def delta(index: int, body: dict[str, Any]) -> Event:
    return ("content_block_delta", {"type": "content_block_delta", "index": index, "delta": body})


def text_delta(index: int, text: str) -> Event:
    return delta(index, {"type": "text_delta", "text": text})


def block_stop(index: int) -> Event:
    return ("content_block_stop", {"type": "content_block_stop", "index": index})


def message_delta(stop_reason: str = "end_turn", output_tokens: int = 9, **extra: Any) -> Event:
    usage = {"output_tokens": output_tokens, **extra.pop("usage", {})}
    body = {"stop_reason": stop_reason, "stop_sequence": None, **extra}
    return ("message_delta", {"type": "message_delta", "delta": body, "usage": usage})


PING: Event = ("ping", {"type": "ping"})
MESSAGE_STOP: Event = ("message_stop", {"type": "message_stop"})
OVERLOADED: Event = (
    "error",
    {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
)


def text_stream_events(*pieces: str) -> list[Event]:
    return [
        message_start(),
        block_start(0, {"type": "text", "text": ""}),
        PING,
        *(text_delta(0, piece) for piece in pieces),
        block_stop(0),
        message_delta(),
        MESSAGE_STOP,
    ]


def wire(events: list[Event]) -> bytes:
    return b"".join(encode_event(name, data, pad=i % 4) for i, (name, data) in enumerate(events))


class Body(httpx2.SyncByteStream, httpx2.AsyncByteStream):
    """A response body in chunks that records how far it was read and whether it was closed."""

    def __init__(self, data: bytes, chunk_size: int = 23) -> None:
        self.chunks = [data[i : i + chunk_size] for i in range(0, len(data), chunk_size)]
        self.sent = 0
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.sent += 1
            yield chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            self.sent += 1
            yield chunk

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


class MockServer:
    """Serves ``events`` (or raw ``data``) as a ``text/event-stream`` through ``httpx2.MockTransport``."""

    def __init__(self) -> None:
        self.data = b""
        self.bodies: list[Body] = []
        self.content_type = "text/event-stream; charset=utf-8"

    def serve(self, events: list[Event] | bytes) -> None:
        self.data = events if isinstance(events, bytes) else wire(events)

    def handler(self, request: httpx2.Request) -> httpx2.Response:
        body = Body(self.data)
        self.bodies.append(body)
        headers = {
            "content-type": self.content_type,
            "request-id": "req_011CTest",
            "anthropic-workspace-id": "wrk_1",
        }
        return httpx2.Response(200, headers=headers, stream=body)

    def send(self) -> httpx2.Response:
        client = httpx2.Client(transport=httpx2.MockTransport(self.handler))
        return client.send(client.build_request("POST", "https://api.anthropic.com/v1/messages"), stream=True)

    async def asend(self) -> httpx2.Response:
        client = httpx2.AsyncClient(transport=httpx2.MockTransport(self.handler))
        return await client.send(
            client.build_request("POST", "https://api.anthropic.com/v1/messages"), stream=True
        )
