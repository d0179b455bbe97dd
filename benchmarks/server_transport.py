"""The fake in-process: the official SDK through ``fake.httpx2_transport()`` vs a bare ``MockTransport``.

Both sides run ``anthropic.Anthropic`` (and ``AsyncAnthropic``) with the same request. The baseline is an
``httpx2.MockTransport`` answering the very bytes the fake answered to that request (a Message JSON; for
``stream()``, the fake's SSE stream of about 40 text deltas), so the difference is the fake's own work:
routing, auth, validation, token counting, composing and encoding the answer. Calls are timed in
alternating batches after a warm-up; the ratio is the median of the per-round ratios (``paired_ratio``),
the per-call times are medians. Goal: fake / baseline <= 1.25 (for context, respx adds ~1.5x and vcrpy
~1.54x over the same baseline).

Run: ``.venv/bin/python -m benchmarks server_transport`` (``BENCH_SCALE=0.2`` for a quick look).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import anthropic
import httpx2

from benchmarks import interleaved_samples, paired_ratio, table
from fakeclaude.server import FakeClaude, Reply

GOAL = 1.25
PARAMS: dict[str, Any] = {
    "model": "claude-sonnet-4-6",
    "max_tokens": 1024,
    "messages": [{"role": "user", "content": "Write a haiku about benchmarks."}],
}
STREAM_TEXT = " ".join(f"word{i}" for i in range(40))  # 3 tokens per delta: ~40 text deltas


def scripted_fake() -> FakeClaude:
    """A fake answering every request with the same scripted reply (so the stream has ~40 deltas)."""
    fake = FakeClaude(seed=0, max_recorded_requests=100)
    fake.handler(lambda request: Reply([STREAM_TEXT]))  # a handler keeps no per-call record (a rule's .calls would grow)
    return fake


def canned_from(fake: FakeClaude) -> tuple[bytes, bytes, dict[str, str], dict[str, str]]:
    """What the fake answers to PARAMS, plain and streamed: the baseline serves these bytes."""
    with httpx2.Client(transport=fake.httpx2_transport(), base_url="http://fake") as client:
        headers = {"x-api-key": "k", "anthropic-version": "2023-06-01"}
        plain = client.post("/v1/messages", json=PARAMS, headers=headers)
        streamed = client.post("/v1/messages", json={**PARAMS, "stream": True}, headers=headers)
    return plain.content, streamed.content, dict(plain.headers), dict(streamed.headers)


def mock_transport(fake: FakeClaude) -> httpx2.MockTransport:
    plain, streamed, plain_headers, stream_headers = canned_from(fake)
    for headers in (plain_headers, stream_headers):
        headers.pop("content-length", None)

    def answer(request: httpx2.Request) -> httpx2.Response:
        if b'"stream":true' in request.content:
            return httpx2.Response(200, headers=stream_headers, content=streamed)
        return httpx2.Response(200, headers=plain_headers, content=plain)

    return httpx2.MockTransport(answer)


def sdk(transport: Any) -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key="sk-ant-bench", base_url="http://fake", max_retries=0,
                               http_client=httpx2.Client(transport=transport))


def async_sdk(transport: Any) -> anthropic.AsyncAnthropic:
    return anthropic.AsyncAnthropic(api_key="sk-ant-bench", base_url="http://fake", max_retries=0,
                                    http_client=httpx2.AsyncClient(transport=transport))


def creating(client: anthropic.Anthropic) -> Callable[[int], None]:
    def run(n: int) -> None:
        for _ in range(n):
            message = client.messages.create(**PARAMS)
        assert message.content[0].type == "text" and message.content[0].text == STREAM_TEXT

    return run


def streaming(client: anthropic.Anthropic) -> Callable[[int], None]:
    def run(n: int) -> None:
        for _ in range(n):
            with client.messages.stream(**PARAMS) as stream:
                message = stream.get_final_message()
        assert message.content[0].type == "text" and message.content[0].text == STREAM_TEXT

    return run


def creating_async(client: anthropic.AsyncAnthropic, loop: asyncio.AbstractEventLoop) -> Callable[[int], None]:
    async def calls(n: int) -> None:
        for _ in range(n):
            message = await client.messages.create(**PARAMS)
        assert message.content[0].type == "text"

    return lambda n: loop.run_until_complete(calls(n))


def scale() -> float:
    return float(os.environ.get("BENCH_SCALE", "1"))


def measure() -> list[tuple[str, float, float, float]]:
    """``(scenario, fake seconds per call, baseline seconds per call, paired ratio)``."""
    fake = scripted_fake()
    baseline = mock_transport(fake)
    rounds = max(6, int(60 * scale()))
    loop = asyncio.new_event_loop()
    scenarios: list[tuple[str, list[Callable[[int], None]], int]] = [
        ("create", [creating(sdk(fake.httpx2_transport())), creating(sdk(baseline))], 40),
        ("stream() + get_final_message()", [streaming(sdk(fake.httpx2_transport())), streaming(sdk(baseline))], 10),
        ("async create", [creating_async(async_sdk(fake.httpx2_transport()), loop),
                          creating_async(async_sdk(baseline), loop)], 40),
    ]
    results = []
    try:
        for label, contenders, batch in scenarios:
            b = max(5, int(batch * scale()))
            ours, theirs = interleaved_samples(contenders, batch=b, rounds=rounds, warmup=5 * b)
            results.append((label, statistics.median(ours), statistics.median(theirs), paired_ratio(ours, theirs)))
    finally:
        loop.close()
    return results


def main() -> int:
    warnings.simplefilter("ignore", DeprecationWarning)
    print(f"anthropic {anthropic.__version__} through fake.httpx2_transport() vs httpx2.MockTransport "
          f"serving the fake's own bytes; Python {sys.version.split()[0]}")
    rows = [(label, f"{ours * 1e6:.0f}", f"{theirs * 1e6:.0f}", f"{ratio:.2f}", "yes" if ratio <= GOAL else "NO")
            for label, ours, theirs, ratio in measure()]
    print(table(["per call", "fake µs", "MockTransport µs", "ratio", f"<= {GOAL}"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
