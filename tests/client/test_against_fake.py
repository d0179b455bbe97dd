"""The client end to end against the in-process fake: every resource, sync and async."""

from __future__ import annotations

import pytest

import fakeclaude
from fakeclaude.server import FakeClaude, FakeClock, Reply, text, thinking, tool_use

MODEL = "claude-sonnet-4-6"
HELLO = [{"role": "user", "content": "Hello"}]


@pytest.fixture
def fake() -> FakeClaude:
    return FakeClaude(seed=11, clock=FakeClock())


def test_models_paginate_across_pages(fake: FakeClaude) -> None:
    client = fake.client()
    first = client.models.list(limit=2)
    assert len(first.data) == 2 and first.has_next_page()
    everything = list(client.models.list(limit=2))
    assert len(everything) > 4
    assert [m.id for m in everything] == [m.id for m in client.models.list(limit=1000)]
    assert client.models.retrieve("claude-haiku-4-5").id == "claude-haiku-4-5-20251001"
    with pytest.raises(fakeclaude.NotFoundError):
        client.models.retrieve("claude-none")


def test_batches_full_cycle(fake: FakeClaude) -> None:
    client = fake.client()
    requests = [{"custom_id": f"r{i}", "params": {"model": MODEL, "max_tokens": 20, "messages": HELLO}} for i in range(3)]
    batch = client.messages.batches.create(requests=requests)
    assert batch.id.startswith("msgbatch_") and batch.request_counts.processing == 3
    ended = client.messages.batches.retrieve(batch.id)
    assert ended.processing_status == "ended" and ended.request_counts.succeeded == 3
    results = list(client.messages.batches.results(batch.id))
    assert sorted(r.custom_id for r in results) == ["r0", "r1", "r2"]
    assert all(r.result.type == "succeeded" for r in results)
    assert [b.id for b in client.messages.batches.list()] == [batch.id]
    assert client.messages.batches.delete(batch.id).type == "message_batch_deleted"


def test_batch_results_before_end_is_a_clear_error() -> None:
    fake = FakeClaude(seed=1, clock=FakeClock(), batch_processing_seconds=60)
    client = fake.client()
    batch = client.messages.batches.create(requests=[{"custom_id": "a", "params": {"model": MODEL, "max_tokens": 5, "messages": HELLO}}])
    with pytest.raises(fakeclaude.AnthropicError, match="results_url"):
        client.messages.batches.results(batch.id)
    assert client.messages.batches.cancel(batch.id).processing_status == "canceling"
    fake.advance(1)
    assert client.messages.batches.retrieve(batch.id).request_counts.canceled == 1


def test_stream_helper_events_and_final_message(fake: FakeClaude) -> None:
    fake.reply(thinking("Let me think."), text("It is sunny."), tool_use("weather", {"city": "Paris"}))
    client = fake.client()
    tools = [{"name": "weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}]
    with client.messages.stream(model=MODEL, max_tokens=300, messages=HELLO, tools=tools) as stream:
        kinds = [event.type for event in stream]
        final = stream.get_final_message()
    assert {"thinking", "signature", "text", "input_json", "content_block_stop", "message_stop"} <= set(kinds)
    assert [b.type for b in final.content] == ["thinking", "text", "tool_use"]
    assert final.content[2].input == {"city": "Paris"}  # type: ignore[union-attr]
    assert final.stop_reason == "tool_use"


def test_mid_stream_error_raises_with_status_200(fake: FakeClaude) -> None:
    fake.reply(Reply(["word " * 50], error_after=5))
    client = fake.client()
    with pytest.raises(fakeclaude.APIStatusError) as info, client.messages.stream(model=MODEL, max_tokens=300, messages=HELLO) as stream:
        "".join(stream.text_stream)
    assert info.value.status_code == 200 and info.value.type == "overloaded_error"


def test_scripted_errors_are_retried_by_the_client(fake: FakeClaude, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("fakeclaude.client._sync.time.sleep", lambda _: None)
    fake.error(529)
    fake.error(429, retry_after=0)
    client = fake.client()
    message = client.messages.create(model=MODEL, max_tokens=20, messages=HELLO)
    assert message.content and len(fake.requests) == 3
    assert [r.headers["x-stainless-retry-count"] for r in fake.requests] == ["0", "1", "2"]


def test_validation_errors_surface_as_bad_request(fake: FakeClaude) -> None:
    client = fake.client()
    with pytest.raises(fakeclaude.BadRequestError) as info:
        client.messages.create(model=MODEL, max_tokens=2048, messages=HELLO, thinking={"type": "enabled", "budget_tokens": 4000})
    assert info.value.api_message == "`max_tokens` must be greater than `thinking.budget_tokens`."
    assert info.value.request_id and info.value.request_id.startswith("req_")


async def test_async_surface(fake: FakeClaude) -> None:
    client = fake.async_client()
    count = await client.messages.count_tokens(model=MODEL, messages=HELLO)
    message = await client.messages.create(model=MODEL, max_tokens=50, messages=HELLO)
    assert message.usage.input_tokens == count.input_tokens
    async with client.messages.stream(model=MODEL, max_tokens=50, messages=HELLO) as stream:
        pieces = [piece async for piece in stream.text_stream]
        final = await stream.get_final_message()
    assert "".join(pieces) == final.content[0].text  # type: ignore[union-attr]
    models = [m.id async for m in client.models.list(limit=3)]
    assert len(models) > 3
    first_page = await client.models.list(limit=3)
    assert [m.id for m in first_page.data] == models[:3]
    raw_stream = await client.messages.create(model=MODEL, max_tokens=50, messages=HELLO, stream=True)
    names = [event.type async for event in raw_stream]
    assert names[0] == "message_start" and names[-1] == "message_stop"
    batch = await client.messages.batches.create(requests=[{"custom_id": "x", "params": {"model": MODEL, "max_tokens": 5, "messages": HELLO}}])
    lines = [line async for line in await client.messages.batches.results(batch.id)]
    assert lines[0].custom_id == "x"
    await client.close()
