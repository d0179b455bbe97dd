"""Record against a live server on loopback, then replay with it stopped: every client, sync and async."""

from __future__ import annotations

import json

import pytest

from .conftest import SECRET, Live, cassette_texts, write_inner

CLIENTS = '''
import json, os
import aiohttp, anthropic, httpx, httpx2, pytest
import fakeclaude

MSG = {"model": "claude-sonnet-4-6", "max_tokens": 60, "metadata": {"user_id": os.environ.get("USER_ID", "u1")},
       "messages": [{"role": "user", "content": "Name a colour"}]}
KEY = os.environ["SECRET"]
URL = os.environ["TARGET"]
HEADERS = {"x-api-key": KEY, "anthropic-version": "2023-06-01", "content-type": "application/json"}

def events(chunks):
    text = "".join(chunks)
    out = []
    for block in text.split(chr(10) * 2):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in fields:
            out.append([fields["event"], json.loads(fields["data"])])
    return out

def save(name, value):
    with open(os.path.join(os.environ["OUT"], name + ".json"), "w") as f:
        json.dump(value, f)

pytestmark = pytest.mark.claude_cassette

def test_sdk_sync():
    m = anthropic.Anthropic(base_url=URL, api_key=KEY).messages.create(**MSG)
    save("sdk_sync", m.model_dump(mode="json"))

def test_sdk_stream():
    with anthropic.Anthropic(base_url=URL, api_key=KEY).messages.stream(**MSG) as s:
        save("sdk_stream", [*s.text_stream, s.get_final_message().model_dump(mode="json")])

async def test_sdk_async_stream():
    async with anthropic.AsyncAnthropic(base_url=URL, api_key=KEY).messages.stream(**MSG) as s:
        save("sdk_async_stream", [t async for t in s.text_stream])

async def test_sdk_aiohttp():
    async with anthropic.AsyncAnthropic(base_url=URL, api_key=KEY, http_client=anthropic.DefaultAioHttpClient()) as c:
        stream = await c.messages.create(**MSG, stream=True)
        save("sdk_aiohttp", [e.type async for e in stream])

def test_fakeclaude_client():
    m = fakeclaude.Anthropic(base_url=URL, api_key=KEY).messages.create(**MSG)
    save("fakeclaude", m.model_dump(mode="json"))

async def test_fakeclaude_async_client():
    m = await fakeclaude.AsyncAnthropic(base_url=URL, api_key=KEY).messages.create(**MSG)
    save("fakeclaude_async", m.model_dump(mode="json"))

def test_raw_httpx2_stream():
    with httpx2.stream("POST", URL + "/v1/messages", json={**MSG, "stream": True}, headers=HEADERS) as r:
        chunks = [c.decode() for c in r.iter_raw()]
        save("httpx2", [r.status_code, events(chunks)])
        save("httpx2_chunks", chunks)

async def test_raw_httpx_async():
    async with httpx.AsyncClient() as c:
        r = await c.post(URL + "/v1/messages?beta=true", json=MSG, headers=HEADERS)
        save("httpx", [r.status_code, r.json()])

async def test_raw_aiohttp_stream():
    async with aiohttp.ClientSession() as s:
        async with s.post(URL + "/v1/messages", json={**MSG, "stream": True}, headers=HEADERS) as r:
            chunks = [c.decode() async for c, _ in r.content.iter_chunks()]
            save("aiohttp", [r.status, events(chunks)])
            save("aiohttp_chunks", chunks)
'''


def _run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, url: str, out: str, *args: str) -> pytest.RunResult:
    monkeypatch.setenv("TARGET", url)
    monkeypatch.setenv("OUT", out)
    monkeypatch.setenv("SECRET", SECRET)
    return pytester.runpytest_inprocess("-p", "no:cacheprovider", *args)


def _results(folder: str) -> dict[str, object]:
    import pathlib

    return {p.stem: json.loads(p.read_text()) for p in sorted(pathlib.Path(folder).glob("*.json"))}


def test_record_against_live_server_then_replay_offline(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, live: Live
) -> None:
    write_inner(pytester, CLIENTS)
    for name in ("rec", "rep1", "rep2"):
        (pytester.path / name).mkdir()
    recorded = _run(pytester, monkeypatch, live.url, str(pytester.path / "rec"), "--claude-record-mode=once")
    recorded.assert_outcomes(passed=9)
    assert len(live.fake.requests) == 9  # every client really reached the server while recording
    live.stop()

    # Replay twice, server stopped, another URL, another metadata.user_id (ignored by default).
    monkeypatch.setenv("USER_ID", "someone-else")
    for name in ("rep1", "rep2"):
        _run(pytester, monkeypatch, "http://127.0.0.1:9", str(pytester.path / name)).assert_outcomes(passed=9)

    rec, rep1, rep2 = (_results(str(pytester.path / n)) for n in ("rec", "rep1", "rep2"))
    assert len(rec) == 11
    assert rep1 == rep2
    wire = {"httpx2_chunks", "aiohttp_chunks"}  # how the live server framed its bytes differs, the events do not
    assert {k: v for k, v in rec.items() if k not in wire} == {k: v for k, v in rep1.items() if k not in wire}

    # Streams are replayed event by event (one chunk per event), not as one blob.
    chunks = rep1["httpx2_chunks"]
    assert isinstance(chunks, list) and len(chunks) > 5 and all(c.startswith("event: ") for c in chunks)
    assert len(chunks) == len(rep1["httpx2"][1]) == len(rep1["aiohttp_chunks"])  # type: ignore[index,arg-type]

    texts = cassette_texts(pytester.path / "cassettes")
    assert len(texts) == 9
    for name, text in texts.items():
        assert SECRET not in text and "api03" not in text, name
        assert "fakeclaude_format: 2" in text and text.endswith("\n...\n")
    stream = texts["test_app/test_raw_httpx2_stream.yaml"]
    assert "events:" in stream and stream.count("- event: ") > 5 and "at: " in stream
    assert "json:" in texts["test_app/test_sdk_sync.yaml"]  # structured, diffable bodies
    assert not list((pytester.path / "cassettes").rglob("*.tmp"))


MISS = '''
import os, anthropic, pytest

@pytest.mark.claude_cassette
def test_prompt():
    client = anthropic.Anthropic(base_url=os.environ["TARGET"], api_key="k")
    client.messages.create(model="claude-sonnet-4-6", max_tokens=20,
                           messages=[{"role": "user", "content": os.environ["PROMPT"]}])
'''


def test_a_different_prompt_fails_at_once_with_a_diff(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, live: Live
) -> None:
    write_inner(pytester, MISS)
    monkeypatch.setenv("TARGET", live.url)
    monkeypatch.setenv("PROMPT", "What is the capital of France?")
    pytester.runpytest_inprocess("--claude-record-mode=once").assert_outcomes(passed=1)
    live.stop()
    monkeypatch.setenv("PROMPT", "What is the capital of Spain?")
    # -rN: no short summary (under CI=true pytest repeats the whole message there)
    result = pytester.runpytest_inprocess("-rN")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "no recorded interaction matches this request" in out
    assert "Unmatched request: POST http://" in out and "/v1/messages" in out
    assert "Nearest recorded request (#0, not yet played)" in out
    assert '-      "content": "What is the capital of France?",' in out
    assert '+      "content": "What is the capital of Spain?",' in out
    assert 'pytest "test_app.py::test_prompt" --claude-record-mode=rewrite' in out
    assert "APIConnectionError" not in out and "Retrying" not in out
    # No retry happened: the miss was raised on the first attempt.
    assert out.count("Unmatched request") == 1
    # An identical extra call is reported as such.
    monkeypatch.setenv("PROMPT", "What is the capital of France?")
    pytester.makepyfile(test_app=MISS.replace("    client.messages", "    for _ in range(2): client.messages"))
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(failed=1)
    assert "all already played" in result.stdout.str()
