"""Cassettes keep what happened: a dropped connection, a mid-stream error and the timing replay as
recorded; cassettes are named with any path and shared across modules (pytester)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from fakeclaude.cassettes.format import deserialize
from fakeclaude.server import Reply

from .conftest import Live, write_inner

FAULTS = '''
import json, os, aiohttp, anthropic, pytest

MSG = dict(model="claude-sonnet-4-6", max_tokens=200, messages=[{"role": "user", "content": "Tell a story"}])

def save(name, value):
    with open(os.path.join(os.environ["OUT"], name + ".json"), "w") as f:
        json.dump(value, f)

def client():
    return anthropic.Anthropic(base_url=os.environ["TARGET"], api_key="k", max_retries=0)

@pytest.mark.claude_cassette
def test_sdk_dropped():
    seen = []
    try:
        with client().messages.stream(**MSG) as s:
            for event in s:
                seen.append(event.type)
    except Exception as exc:
        save("sdk_dropped", [seen, type(exc).__module__ + "." + type(exc).__name__, str(exc)])

@pytest.mark.claude_cassette
async def test_aiohttp_dropped():
    seen = []
    try:
        async with aiohttp.ClientSession() as session:
            async with session.post(os.environ["TARGET"] + "/v1/messages", json={**MSG, "stream": True},
                                    headers={"x-api-key": "k", "anthropic-version": "2023-06-01"}) as r:
                async for line in r.content:
                    if line.startswith(b"event: "):
                        seen.append(line.decode().strip())
    except Exception as exc:
        save("aiohttp_dropped", [seen, type(exc).__module__ + "." + type(exc).__name__])

@pytest.mark.claude_cassette
def test_sdk_error_mid_stream():
    seen = []
    try:
        with client().messages.stream(**MSG) as s:
            for event in s:
                seen.append(event.type)
    except anthropic.APIStatusError as exc:
        save("sdk_error", [seen, type(exc).__name__, exc.message])

@pytest.mark.claude_cassette
def test_sdk_slow():
    with client().messages.stream(**MSG) as s:
        save("sdk_slow", "".join(s.text_stream))
'''


def test_a_dropped_stream_and_a_mid_stream_error_replay_as_recorded(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, live: Live
) -> None:
    write_inner(pytester, FAULTS)
    story = "Once upon a time there was a test that recorded what really happened to it."
    live.fake.reply(Reply([story], drop_after=5))
    live.fake.reply(Reply([story], drop_after=5))
    live.fake.reply(Reply([story], error_after=4, error_type="overloaded_error", error_message="Overloaded"))
    live.fake.reply(Reply([story], ttft=0.4))
    for name in ("rec", "rep"):
        (pytester.path / name).mkdir()
    monkeypatch.setenv("TARGET", live.url)
    monkeypatch.setenv("OUT", str(pytester.path / "rec"))
    pytester.runpytest_inprocess("--claude-record-mode=once", "-p", "no:randomly").assert_outcomes(passed=4)
    live.stop()
    monkeypatch.setenv("OUT", str(pytester.path / "rep"))
    pytester.runpytest_inprocess("-p", "no:randomly").assert_outcomes(passed=4)

    rec = {p.stem: json.loads(p.read_text()) for p in (pytester.path / "rec").glob("*.json")}
    rep = {p.stem: json.loads(p.read_text()) for p in (pytester.path / "rep").glob("*.json")}
    assert set(rec) == {"sdk_dropped", "aiohttp_dropped", "sdk_error", "sdk_slow"}
    assert rep == rec  # the same events, then the same exception (type and message)
    assert rec["sdk_dropped"][1] == "anthropic.APIConnectionError" and len(rec["sdk_dropped"][0]) >= 3
    assert rec["sdk_dropped"][2].endswith("failed: peer closed connection without sending complete message body "
                                          "(incomplete chunked read)")
    assert rec["aiohttp_dropped"][1] == "aiohttp.client_exceptions.ClientPayloadError"
    assert rec["sdk_error"][1] == "APIStatusError" and "overloaded_error" in rec["sdk_error"][2]
    assert 2 <= len(rec["sdk_error"][0]) < 6  # the events before the error event

    folder = pytester.path / "cassettes" / "test_app"
    dropped = deserialize((folder / "test_sdk_dropped.yaml").read_text())["interactions"][0]["response"]
    assert dropped["body"]["dropped"] and dropped["body"]["events"][-1]["event"] != "message_stop"
    slow = deserialize((folder / "test_sdk_slow.yaml").read_text())["interactions"][0]
    assert slow["response"]["body"]["events"][0]["at"] >= 0.3  # the 0.4 s to the first event is kept (timers may fire early)
    assert isinstance(slow["response"]["latency"], float) and slow["recorded_at"].endswith("Z")


MODULE = '''
import os, httpx2, pytest

def ask(prompt):
    r = httpx2.post(os.environ["TARGET"] + "/v1/messages", headers={{"anthropic-version": "2023-06-01", "x-api-key": "k"}},
                    json={{"model": "claude-sonnet-4-6", "max_tokens": 10, "messages": [{{"role": "user", "content": prompt}}]}})
    assert r.status_code == 200

@pytest.mark.claude_cassette("../shared/conversation")
def test_relative():
    ask("relative from {name}")

@pytest.mark.claude_cassette("deeper/sub/named")
def test_subfolder():
    ask("subfolder from {name}")

@pytest.mark.claude_cassette(os.environ["ABSOLUTE"])
def test_absolute():
    ask("absolute from {name}")

@pytest.mark.claude_cassette("common", cassette_dir="recordings/common")
def test_cassette_dir_as_given():
    ask("cassette_dir from {name}")
'''


def test_cassettes_named_with_any_path_are_shared_across_modules(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, live: Live, tmp_path: Path
) -> None:
    write_inner(pytester, MODULE.format(name="one"), name="test_one")
    pytester.makepyfile(test_two=MODULE.format(name="two"))
    absolute = tmp_path / "elsewhere" / "absolute.yaml"
    monkeypatch.setenv("ABSOLUTE", str(absolute))
    monkeypatch.setenv("TARGET", live.url)
    pytester.runpytest_inprocess("--claude-record-mode=new_episodes").assert_outcomes(passed=8)
    root = pytester.path
    files = {str(p.relative_to(root)) for p in root.rglob("*.yaml")}
    assert files == {
        "cassettes/shared/conversation.yaml",  # "../shared/x": beside the modules' folders, not ".._shared_x"
        "cassettes/test_one/deeper/sub/named.yaml", "cassettes/test_two/deeper/sub/named.yaml",
        "recordings/common/common.yaml",  # cassette_dir= as given: no module folder added
    }
    assert absolute.is_file()
    for shared in (root / "cassettes/shared/conversation.yaml", root / "recordings/common/common.yaml", absolute):
        interactions = deserialize(shared.read_text())["interactions"]
        assert len(interactions) == 2, shared  # one from each module
        assert oct(shared.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    live.stop()
    pytester.runpytest_inprocess().assert_outcomes(passed=8)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
