"""The beta namespace (``betas`` header, the SDK's URLs) and ``with_streaming_response``, against the SDK."""

from __future__ import annotations

import json

import anthropic
import pytest

import fakeclaude
from fakeclaude.server import FakeClaude, FakeClock

from .dropin_support import MODEL, MODULES, async_client, sync_client

HELLO = [{"role": "user", "content": "Hello"}]


@pytest.mark.parametrize("name", MODULES)
def test_beta_calls_send_the_betas_header(name: str) -> None:
    fake = FakeClaude(seed=1, clock=FakeClock())
    with sync_client(MODULES[name], fake) as client:
        message = client.beta.messages.create(model=MODEL, max_tokens=20, messages=HELLO, betas=["a-2026-01-01", "b"])
        with client.beta.messages.stream(model=MODEL, max_tokens=20, messages=HELLO, betas=["c"]) as stream:
            streamed = stream.get_final_message()
        count = client.beta.messages.count_tokens(model=MODEL, messages=HELLO, betas=["d"])
        plain_count = client.beta.messages.count_tokens(model=MODEL, messages=HELLO)
        request = {"custom_id": "r", "params": {"model": MODEL, "max_tokens": 5, "messages": HELLO}}
        batch = client.beta.messages.batches.create(requests=[request], betas=["e"])
        results = list(client.beta.messages.batches.results(batch.id))
    assert message.content and streamed.content and count.input_tokens == plain_count.input_tokens
    assert [r.custom_id for r in results] == ["r"]
    headers = [r.headers.get("anthropic-beta") for r in fake.requests]
    assert headers[:5] == [
        "a-2026-01-01,b", "c", "d,token-counting-2024-11-01", "token-counting-2024-11-01", "e"
    ]
    assert fake.requests[1].headers["x-stainless-stream-helper"] == "beta.messages"


def test_beta_calls_go_where_the_sdks_go() -> None:
    """The beta namespace's URLs are the SDK's: since about 2.5 it keeps ``beta`` as an inner qualifier and sends
    no ``?beta=true`` (recorded SDKs up to 2.0 sent it; ours did until it was found sending what 2.17 does not)."""
    queries = []
    for module in (anthropic, fakeclaude):
        fake = FakeClaude(seed=1, clock=FakeClock())
        with sync_client(module, fake) as client:
            client.beta.messages.create(model=MODEL, max_tokens=20, messages=HELLO)
            client.beta.messages.count_tokens(model=MODEL, messages=HELLO)
            batch = client.beta.messages.batches.create(requests=[{"custom_id": "r", "params": {"model": MODEL, "max_tokens": 5, "messages": HELLO}}])
            assert [b.id for b in client.beta.messages.batches.list()] == [batch.id]
            client.messages.create(model=MODEL, max_tokens=20, messages=HELLO)
        queries.append([(r.method, r.path, dict(r.query)) for r in fake.requests])
        assert "anthropic-beta" not in fake.requests[-1].headers
    assert queries[0] == queries[1]
    client = FakeClaude().client()
    with pytest.raises(TypeError, match="betas"):
        client.messages.create(model=MODEL, max_tokens=20, messages=HELLO, betas=["x"])  # type: ignore[call-overload]


@pytest.mark.parametrize("name", MODULES)
def test_streaming_response_of_a_stream(name: str) -> None:
    fake = FakeClaude(seed=1)
    fake.reply("Hello there, friend.")
    with sync_client(MODULES[name], fake) as client:
        with client.messages.with_streaming_response.create(
            model=MODEL, max_tokens=50, messages=HELLO, stream=True
        ) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            assert response.http_request.headers["x-stainless-raw-response"] == "stream"
            assert response.request_id and response.status_code == 200 and not response.is_closed
            lines = list(response.iter_lines())
        assert response.is_closed
    data = [json.loads(line[6:]) for line in lines if line.startswith("data: ")]
    assert data[0]["type"] == "message_start" and data[-1]["type"] == "message_stop"
    assert "".join(d["delta"]["text"] for d in data if d["type"] == "content_block_delta") == "Hello there, friend."


@pytest.mark.parametrize("name", MODULES)
def test_streaming_response_parse_and_bytes(name: str) -> None:
    fake = FakeClaude(seed=1)
    with sync_client(MODULES[name], fake) as client:
        with client.with_streaming_response.messages.create(model=MODEL, max_tokens=20, messages=HELLO) as response:
            message = response.parse()
        assert message.id.startswith("msg_") and message._request_id == response.request_id
        with client.messages.with_streaming_response.count_tokens(model=MODEL, messages=HELLO) as response:
            body = b"".join(response.iter_bytes())
        assert json.loads(body)["input_tokens"] > 0
        with client.beta.messages.with_streaming_response.create(model=MODEL, max_tokens=20, messages=HELLO) as response:
            assert response.parse().content
        with client.models.with_streaming_response.retrieve("claude-haiku-4-5") as response:
            assert response.parse().id == "claude-haiku-4-5-20251001"
        with pytest.raises(MODULES[name].NotFoundError), client.with_streaming_response.models.retrieve("claude-none"):
            pass


@pytest.mark.parametrize("name", MODULES)
async def test_async_streaming_response(name: str) -> None:
    fake = FakeClaude(seed=1)
    fake.reply("Hi.")
    async with async_client(MODULES[name], fake) as client:
        async with client.messages.with_streaming_response.create(
            model=MODEL, max_tokens=20, messages=HELLO, stream=True
        ) as response:
            lines = [line async for line in response.iter_lines()]
        async with client.with_streaming_response.messages.create(model=MODEL, max_tokens=20, messages=HELLO) as response:
            message = await response.parse()
            text = await response.text()
    assert any(line.startswith("event: message_stop") for line in lines)
    assert message.content and json.loads(text)["id"] == message.id


def test_streaming_response_leaves_the_body_unread_until_asked() -> None:
    fake = FakeClaude(seed=1)
    with sync_client(fakeclaude, fake, loopback=True) as client, client.messages.with_streaming_response.create(
        model=MODEL, max_tokens=20, messages=HELLO
    ) as response:
        assert not response.http_response.is_stream_consumed
        assert response.json()["type"] == "message"
    assert response.is_closed
    assert isinstance(response, fakeclaude.APIResponse) and not isinstance(response, anthropic.APIResponse)
