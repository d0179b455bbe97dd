"""Per-call cost of ``fakeclaude.Anthropic`` against the official ``anthropic.Anthropic``, same transport.

Both clients talk to the same canned ``httpx2.MockTransport`` (a Message JSON; a 40-delta SSE stream),
so what is measured is the client's own work per call: building the request, sending it through
httpx2, parsing (and for streams decoding and accumulating) the answer. Calls are timed in alternating
batches after a warm-up; the table gives the median microseconds per call and fakeclaude / SDK (goal:
<= 1.0). Run: ``.venv/bin/python -m benchmarks client_calls`` (``BENCH_SCALE=0.2`` for a quick look).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import anthropic
import httpx2

import fakeclaude
from benchmarks import interleaved, table

MODEL = "claude-sonnet-4-6"
PARAMS: dict[str, Any] = {
    "model": MODEL,
    "max_tokens": 1024,
    "messages": [{"role": "user", "content": "Write a haiku about benchmarks."}],
}
MESSAGE: dict[str, Any] = {
    "model": "claude-sonnet-4-6",
    "id": "msg_011CbenchMarkCannedMessage01",
    "type": "message",
    "role": "assistant",
    "content": [
        {"type": "text", "text": "Numbers on a page, / the slower twin waits its turn, / medians agree."}
    ],
    "stop_reason": "end_turn",
    "stop_sequence": None,
    "usage": {
        "input_tokens": 15,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0,
        "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0},
        "output_tokens": 21,
        "service_tier": "standard",
    },
}
HEADERS = {"request-id": "req_011CbenchMarkCannedRequest", "anthropic-organization-id": "0" * 36}
DELTAS = 40


def _sse(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


def canned_stream(deltas: int = DELTAS) -> bytes:
    start = {**MESSAGE, "content": [], "stop_reason": None, "usage": {**MESSAGE["usage"], "output_tokens": 1}}
    frames = [
        _sse("message_start", {"type": "message_start", "message": start}),
        _sse(
            "content_block_start",
            {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        ),
        _sse("ping", {"type": "ping"}),
    ]
    frames += [
        _sse(
            "content_block_delta",
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": f"word{i} "}},
        )
        for i in range(deltas)
    ]
    frames += [
        _sse("content_block_stop", {"type": "content_block_stop", "index": 0}),
        _sse(
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": deltas},
            },
        ),
        _sse("message_stop", {"type": "message_stop"}),
    ]
    return "".join(frames).encode()


MESSAGE_BYTES = json.dumps(MESSAGE).encode()
STREAM_BYTES = canned_stream()


def _answer(request: httpx2.Request) -> httpx2.Response:
    if json.loads(request.content).get("stream"):
        return httpx2.Response(
            200, headers={**HEADERS, "content-type": "text/event-stream; charset=utf-8"}, content=STREAM_BYTES
        )
    return httpx2.Response(
        200, headers={**HEADERS, "content-type": "application/json"}, content=MESSAGE_BYTES
    )


TRANSPORT = httpx2.MockTransport(_answer)


def sync_clients() -> tuple[Any, Any]:
    ours = fakeclaude.Anthropic(api_key="sk-ant-bench", http_client=httpx2.Client(transport=TRANSPORT))
    sdk = anthropic.Anthropic(api_key="sk-ant-bench", http_client=httpx2.Client(transport=TRANSPORT))
    return ours, sdk


def async_clients() -> tuple[Any, Any]:
    ours = fakeclaude.AsyncAnthropic(
        api_key="sk-ant-bench", http_client=httpx2.AsyncClient(transport=TRANSPORT)
    )
    sdk = anthropic.AsyncAnthropic(
        api_key="sk-ant-bench", http_client=httpx2.AsyncClient(transport=TRANSPORT)
    )
    return ours, sdk


def creating(client: Any) -> Callable[[int], None]:
    create = client.messages.create

    def run(n: int) -> None:
        for _ in range(n):
            message = create(**PARAMS)
        assert message.id == MESSAGE["id"]

    return run


def streaming(client: Any) -> Callable[[int], None]:
    messages = client.messages

    def run(n: int) -> None:
        for _ in range(n):
            with messages.stream(**PARAMS) as stream:
                message = stream.get_final_message()
        assert message.usage.output_tokens == DELTAS and len(message.content[0].text) > DELTAS

    return run


def creating_async(client: Any, loop: asyncio.AbstractEventLoop) -> Callable[[int], None]:
    create = client.messages.create

    async def calls(n: int) -> None:
        for _ in range(n):
            message = await create(**PARAMS)
        assert message.id == MESSAGE["id"]

    def run(n: int) -> None:
        loop.run_until_complete(calls(n))

    return run


def _scale() -> float:
    return float(os.environ.get("BENCH_SCALE", "1"))


def measure() -> list[tuple[str, float, float]]:
    """``(scenario, fakeclaude seconds per call, SDK seconds per call)`` for each scenario."""
    scale = _scale()
    rounds = max(3, int(15 * scale))
    ours, sdk = sync_clients()
    results: list[tuple[str, float, float]] = []
    for label, make, batch in (
        ("create (non-streaming)", creating, 200),
        ("stream() + get_final_message()", streaming, 100),
    ):
        b = max(10, int(batch * scale))
        mine, theirs = interleaved([make(ours), make(sdk)], batch=b, rounds=rounds, warmup=b)
        results.append((label, mine, theirs))
    loop = asyncio.new_event_loop()
    try:
        a_ours, a_sdk = async_clients()
        b = max(10, int(200 * scale))
        mine, theirs = interleaved(
            [creating_async(a_ours, loop), creating_async(a_sdk, loop)], batch=b, rounds=rounds, warmup=b
        )
        results.append(("async create, sequential awaits", mine, theirs))
    finally:
        loop.close()
    return results


def main() -> int:
    warnings.simplefilter("ignore", DeprecationWarning)
    print(
        f"fakeclaude {fakeclaude.__version__} vs anthropic {anthropic.__version__}; Python {sys.version.split()[0]}"
    )
    print(
        f"canned answers: a Message JSON ({len(MESSAGE_BYTES)} B), an SSE stream of {DELTAS} text deltas ({len(STREAM_BYTES)} B)"
    )
    rows = [
        (
            label,
            f"{mine * 1e6:.1f}",
            f"{theirs * 1e6:.1f}",
            f"{mine / theirs:.2f}",
            "yes" if mine <= theirs else "NO",
        )
        for label, mine, theirs in measure()
    ]
    print(table(["per call", "fakeclaude µs", "anthropic µs", "ratio", "<= 1.0"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
