"""The project's own cassettes (``cassettes/``): recorded against a fake standing in for the real API,
replayed offline in CI, and served by ``fakeclaude replay``.

Re-record: ``.venv/bin/pytest tests/plugin/test_project_cassettes.py --claude-record-mode=rewrite -p no:xdist``
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import anthropic
import httpx2
import pytest

import fakeclaude

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes"
MSG = {"model": "claude-sonnet-4-6", "max_tokens": 64, "messages": [{"role": "user", "content": "Say hello"}]}


@pytest.fixture
def api_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A recording target (a fake on loopback) when recording; an unreachable URL when replaying."""
    if (request.config.getoption("claude_record_mode") or "none") == "none":
        yield "http://127.0.0.1:9"  # never contacted: every request is answered from the cassette
        return
    from fakeclaude.server import FakeClaude

    with FakeClaude(seed=0).serve() as url:
        yield url


cassette = pytest.mark.claude_cassette(cassette_dir=str(CASSETTES / "test_project_cassettes"), fail_unused=True)


@cassette
def test_sdk_create(api_url: str) -> None:
    message = anthropic.Anthropic(base_url=api_url, api_key="sk-ant-not-a-real-key").messages.create(**MSG)
    assert message.stop_reason in ("end_turn", "max_tokens") and message.content[0].type == "text"


@cassette
async def test_sdk_async_stream(api_url: str) -> None:
    client = anthropic.AsyncAnthropic(base_url=api_url, api_key="sk-ant-not-a-real-key")
    async with client.messages.stream(**MSG) as stream:
        texts = [text async for text in stream.text_stream]
        final = await stream.get_final_message()
    assert len(texts) > 1 and "".join(texts) == final.content[0].text  # type: ignore[union-attr]


@cassette
def test_fakeclaude_client_stream(api_url: str) -> None:
    client = fakeclaude.Anthropic(base_url=api_url, api_key="sk-ant-not-a-real-key")
    with client.messages.stream(**MSG) as stream:  # type: ignore[arg-type]
        final = stream.get_final_message()
    assert final.content and final.usage.output_tokens > 0


@pytest.mark.skipif(not (CASSETTES / "test_project_cassettes").is_dir(), reason="cassettes not recorded")
async def test_replay_server_serves_the_cassettes_over_http() -> None:
    from aiohttp import web

    from fakeclaude.replay_server import load_folder, make_replay_app

    runner = web.AppRunner(make_replay_app(load_folder(CASSETTES)))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with httpx2.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            async with http.stream("POST", "/v1/messages", json={**MSG, "stream": True}) as response:
                chunks = [chunk async for chunk in response.aiter_raw()]
            assert response.status_code == 200 and len(chunks) > 3 and chunks[0].startswith(b"event: message_start")
            missing = await http.post("/v1/messages", json={**MSG, "max_tokens": 1})
            assert missing.status_code == 404 and "Nearest recorded request" in missing.json()["error"]["message"]
    finally:
        await runner.cleanup()
