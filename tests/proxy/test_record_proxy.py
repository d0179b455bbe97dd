"""``fakeclaude record``: record through the proxy with the official Python and TypeScript SDKs against a
fake standing in for the API, stop it, replay with ``fakeclaude replay``: the same results, no key on disk;
stream events pass through the proxy as they arrive."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anthropic
import httpx2
import pytest

from fakeclaude.cassettes.format import deserialize
from fakeclaude.server import FakeClaude
from fakeclaude.streaming._sse import encode_event

from ..cli_support import fakeclaude_command, free_port

# built at run time so that no key-shaped literal sits in the repository
SECRET = "sk-ant-" + "api03-PROXYsecretKEY-0123456789abcdef"
MODEL = "claude-sonnet-4-6"


def python_calls(url: str) -> dict[str, Any]:
    client = anthropic.Anthropic(base_url=url, api_key=SECRET, max_retries=0)
    created = client.messages.create(model=MODEL, max_tokens=64,
                                     messages=[{"role": "user", "content": "Python says hello"}])
    with client.messages.stream(model=MODEL, max_tokens=64,
                                messages=[{"role": "user", "content": "Python streams a story"}]) as stream:
        texts = list(stream.text_stream)
        final = stream.get_final_message()
    return {"created": created.model_dump(mode="json"), "texts": texts, "final": final.model_dump(mode="json")}


def typescript_calls(folder: Path, url: str) -> dict[str, Any]:
    env = {**os.environ, "ANTHROPIC_BASE_URL": url, "ANTHROPIC_API_KEY": SECRET}
    done = subprocess.run(["node", "sdk_calls.mjs"], cwd=folder, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_record_with_both_official_sdks_then_replay_offline(tmp_path: Path, typescript_sdk: Path) -> None:
    cassettes = tmp_path / "recorded"
    upstream = FakeClaude(seed=3)
    with upstream.serve() as api:
        with fakeclaude_command("record", "--upstream", api, "--cassettes", str(cassettes)) as proxy:
            recorded = {"python": python_calls(proxy), "typescript": typescript_calls(typescript_sdk, proxy)}
        assert len(upstream.requests) == 4  # every call really went upstream, live
    assert all(len(r["texts"]) > 1 and "".join(r["texts"]) == r["final"]["content"][0]["text"]
               for r in recorded.values())

    files = [p for p in cassettes.rglob("*") if p.is_file()]
    assert [p.name for p in files] == ["recorded.yaml"]  # one cassette, no temporary file left
    text = files[0].read_text()
    assert SECRET not in text and "PROXYsecret" not in text
    interactions = deserialize(text)["interactions"]
    assert len(interactions) == 4 and sum(1 for i in interactions if "events" in i["response"]["body"]) == 2
    assert "fakeclaude_format: 2" in text and text.endswith("\n...\n")

    with fakeclaude_command("replay", str(cassettes)) as replay:  # the upstream is gone
        replayed = {"python": python_calls(replay), "typescript": typescript_calls(typescript_sdk, replay)}
    assert replayed == recorded


def test_the_cassette_replays_in_the_pytest_plugin_format_too(tmp_path: Path) -> None:
    """What the proxy writes is what the plugin reads: the same format, keys scrubbed, streams event by event."""
    from fakeclaude.cassettes import ClaudeCassette

    upstream = FakeClaude(seed=4)
    with upstream.serve() as api, fakeclaude_command("record", "--upstream", api, "--cassettes", str(tmp_path)) as proxy:
        expected = python_calls(proxy)
        missing = httpx2.post(proxy + "/v1/nothing-here", json={}, headers={"x-api-key": SECRET})
    cassette = ClaudeCassette(tmp_path / "recorded.yaml", record_mode="none")
    assert len(cassette) == 3
    request, response = cassette.data[0]
    assert request.headers.get("x-api-key") in (None, "REDACTED") and response["status"]["code"] == 200
    assert cassette.data[2][1]["status"]["code"] == missing.status_code == 404
    assert json.loads(response["body"]["string"])["id"] == expected["created"]["id"]


class GatedUpstream:
    """An upstream that sends one stream event, then waits until the client says it has seen it."""

    def __init__(self) -> None:
        self.seen = threading.Event()
        self.waited_in_vain = False
        self.port = free_port()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _handle(self, request: Any) -> Any:
        from aiohttp import web

        response = web.StreamResponse(headers={"content-type": "text/event-stream"})
        await response.prepare(request)
        await response.write(encode_event("message_start", {"type": "message_start", "message": {"id": "msg_gate"}}))
        self.waited_in_vain = not await asyncio.to_thread(self.seen.wait, 60)
        await response.write(encode_event("message_stop", {"type": "message_stop"}))
        await response.write_eof()
        return response

    def _run(self) -> None:
        from aiohttp import web

        async def main() -> None:
            app = web.Application()
            app.router.add_post("/v1/messages", self._handle)
            runner = web.AppRunner(app)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", self.port).start()
            self._stop = asyncio.Event()
            self._ready.set()
            await self._stop.wait()
            await runner.cleanup()

        self._loop = asyncio.new_event_loop()
        self._loop.run_until_complete(main())

    def __enter__(self) -> GatedUpstream:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self.seen.set()
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)


def test_stream_events_reach_the_client_as_they_arrive(tmp_path: Path) -> None:
    """The upstream holds the rest of its stream until the client has the first event: a proxy that
    buffered would have nothing to hand on, and the upstream would wait in vain."""
    with GatedUpstream() as upstream, \
            fakeclaude_command("record", "--upstream", upstream.url, "--cassettes", str(tmp_path)) as proxy:
        with httpx2.stream("POST", proxy + "/v1/messages", json={"stream": True}, timeout=90) as response:
            chunks: Iterator[bytes] = response.iter_raw()
            first = next(chunks)
            upstream.seen.set()
            rest = b"".join(chunks)
        assert first.startswith(b"event: message_start") and b"message_stop" in rest
        assert not upstream.waited_in_vain


def test_a_connection_the_upstream_cuts_is_cut_for_the_client_and_recorded_as_cut(tmp_path: Path) -> None:
    from fakeclaude.server import Reply

    upstream = FakeClaude(seed=5)
    upstream.reply(Reply(["a story that is cut short in the middle of it"], drop_after=4))
    with upstream.serve() as api, fakeclaude_command("record", "--upstream", api, "--cassettes", str(tmp_path)) as proxy:
        client = anthropic.Anthropic(base_url=proxy, api_key=SECRET, max_retries=0)
        with pytest.raises(anthropic.APIConnectionError, match="peer closed connection"), client.messages.stream(
                model=MODEL, max_tokens=64, messages=[{"role": "user", "content": "cut"}]) as stream:
            list(stream)
    body = deserialize((tmp_path / "recorded.yaml").read_text())["interactions"][0]["response"]["body"]
    assert body["dropped"] and len(body["events"]) == 4
    with fakeclaude_command("replay", str(tmp_path)) as replay:
        client = anthropic.Anthropic(base_url=replay, api_key="any", max_retries=0)
        with pytest.raises(anthropic.APIConnectionError, match="peer closed connection"), client.messages.stream(
                model=MODEL, max_tokens=64, messages=[{"role": "user", "content": "cut"}]) as stream:
            list(stream)


@pytest.mark.parametrize(("args", "message"), [
    (["--upstream", "ftp://x", "--cassettes", "d"], "is not an http(s) URL"),
    (["--upstream", "http://127.0.0.1:9", "--cassettes", "d", "--port", "abc"], "argument --port"),
    (["--upstream", "http://127.0.0.1:9"], "the following arguments are required: --cassettes"),
])
def test_cli_errors_are_one_clean_line(tmp_path: Path, args: list[str], message: str) -> None:
    done = subprocess.run([sys.executable, "-m", "fakeclaude", "record", *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


def test_a_busy_port_is_one_clean_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "fakeclaude", "record", "--upstream", "http://127.0.0.1:9",
                               "--cassettes", str(tmp_path), "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0 and f"cannot listen on 127.0.0.1:{port}" in done.stderr
