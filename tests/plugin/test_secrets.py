"""Keys never reach a cassette or a printed message: streamed answers, streamed tool input, miss
reports (terminal and ``--junitxml``), compressed and JSON-escaped request bodies (pytester)."""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path

import pytest

from fakeclaude.server import Reply

from .conftest import SECRET, Live, write_inner

# Parts of the key that must never be seen anywhere, however it was cut.
KEY_PARTS = ("Zq9SECRET", "recordedKEY", "KEYxx-AAAA", "api03-Zq9")


def _leaks(text: str) -> list[str]:
    return [part for part in (SECRET, *KEY_PARTS) if part in text]


def _joined(cassette_text: str) -> str:
    """Every stream in a cassette as the client sees it: each block's deltas joined."""
    from fakeclaude.cassettes.format import deserialize

    out = []
    for interaction in deserialize(cassette_text)["interactions"]:
        blocks: dict[int, str] = {}
        for event in interaction["response"]["body"].get("events") or []:
            data = json.loads(event["data"])
            delta = data.get("delta") or {}
            piece = delta.get("text") or delta.get("partial_json") or delta.get("thinking") or ""
            blocks[data.get("index", -1)] = blocks.get(data.get("index", -1), "") + piece
        out += blocks.values()
    return "\n".join(out)


def _all_files(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text(errors="replace") for p in root.rglob("*") if p.is_file()
            and p.suffix in (".yaml", ".yml", ".json", ".xml", ".txt")}


STREAMS = '''
import json, os, anthropic, pytest

TOOLS = [{"name": "save", "description": "Save a note", "input_schema": {"type": "object",
          "properties": {"key": {"type": "string"}, "note": {"type": "string"}}, "required": ["key"]}}]

def client():
    return anthropic.Anthropic(base_url=os.environ["TARGET"], api_key="k", max_retries=0)

def save(name, value):
    with open(os.path.join(os.environ["OUT"], name + ".json"), "w") as f:
        json.dump(value, f)

@pytest.mark.claude_cassette
def test_streamed_text():
    with client().messages.stream(model="claude-sonnet-4-6", max_tokens=200,
                                  messages=[{"role": "user", "content": "Tell me the key"}]) as s:
        events = [e.type for e in s]
        save("text", [events, s.get_final_message().content[0].text])

@pytest.mark.claude_cassette
def test_streamed_tool_input():
    with client().messages.stream(model="claude-sonnet-4-6", max_tokens=200, tools=TOOLS,
                                  messages=[{"role": "user", "content": "Save the key"}]) as s:
        events = [e.type for e in s]
        save("tool", [events, s.get_final_message().content[0].input])
'''


def test_keys_cut_across_stream_events_are_scrubbed_as_the_client_sees_them_joined(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, live: Live
) -> None:
    write_inner(pytester, STREAMS)
    live.fake.reply(f"Here it is: {SECRET} keep it safe, and again {SECRET}.")
    live.fake.reply(Reply([{"type": "tool_use", "id": "toolu_01", "name": "save",
                            "input": {"key": SECRET, "note": "a long note so that the input comes in many pieces"}}]))
    for name in ("rec", "rep"):
        (pytester.path / name).mkdir()
    monkeypatch.setenv("TARGET", live.url)
    monkeypatch.setenv("OUT", str(pytester.path / "rec"))
    recorded = pytester.runpytest_inprocess("--claude-record-mode=once", "-p", "no:randomly")
    recorded.assert_outcomes(passed=2)
    live.stop()
    monkeypatch.setenv("OUT", str(pytester.path / "rep"))
    replayed = pytester.runpytest_inprocess("-p", "no:randomly")
    replayed.assert_outcomes(passed=2)

    texts = {name: text for name, text in _all_files(pytester.path / "cassettes").items()}
    assert len(texts) == 2
    for name, text in texts.items():
        assert not _leaks(text) and not _leaks(_joined(text)), name
        assert "<REDACTED>" in _joined(text)
    rec = {p.stem: json.loads(p.read_text()) for p in (pytester.path / "rec").glob("*.json")}
    rep = {p.stem: json.loads(p.read_text()) for p in (pytester.path / "rep").glob("*.json")}
    # the stream stays faithful: the same events in the same order, the key replaced in the joined text
    assert rep["text"][0] == rec["text"][0] and rec["text"][0].count("text") > 3
    assert rep["text"][1] == rec["text"][1].replace(SECRET, "<REDACTED>")
    assert rep["tool"][0] == rec["tool"][0] and rec["tool"][0].count("input_json") > 2
    assert rep["tool"][1] == {**rec["tool"][1], "key": "<REDACTED>"}


MISS = '''
import os, httpx2, pytest

@pytest.mark.claude_cassette
def test_prompt():
    key = os.environ["SECRET"]
    r = httpx2.post(os.environ["TARGET"] + "/v1/messages?token=" + key,
                    headers={"x-api-key": key, "anthropic-version": "2023-06-01"},
                    json={"model": "claude-sonnet-4-6", "max_tokens": 10,
                          "messages": [{"role": "user", "content": os.environ["PROMPT"] + " " + key}]})
    assert r.status_code == 200
'''


def test_miss_messages_never_print_a_key_on_the_terminal_or_in_junitxml(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, live: Live
) -> None:
    write_inner(pytester, MISS)
    monkeypatch.setenv("TARGET", live.url)
    monkeypatch.setenv("SECRET", SECRET)
    monkeypatch.setenv("PROMPT", "first")
    pytester.runpytest_inprocess("--claude-record-mode=once").assert_outcomes(passed=1)
    live.stop()
    monkeypatch.setenv("PROMPT", "second")
    junit = pytester.path / "junit.xml"
    result = pytester.runpytest_inprocess(f"--junitxml={junit}")
    result.assert_outcomes(failed=1)
    out = result.stdout.str() + result.stderr.str()
    assert "no recorded interaction matches" in out and "token=<REDACTED>" in out
    assert not _leaks(out)
    xml = junit.read_text()
    assert "no recorded interaction matches" in xml and not _leaks(xml)


ENCODED = '''
import gzip, json, os, zlib, httpx2, pytest

def send(encoding, escaped):
    key = os.environ["SECRET"]
    raw = json.dumps({"model": "claude-sonnet-4-6", "max_tokens": 10, "metadata": {"user_id": "u"},
                      "messages": [{"role": "user", "content": f"{encoding}: my key is {key}"}]}, ensure_ascii=False)
    if escaped:
        raw = raw.replace("sk-ant-", "sk\\\\u002dant\\\\u002d")
    body = raw.encode()
    headers = {"anthropic-version": "2023-06-01", "content-type": "application/json"}
    if encoding == "gzip":
        body, headers["content-encoding"] = gzip.compress(body), "gzip"
    elif encoding == "deflate":
        body, headers["content-encoding"] = zlib.compress(body), "deflate"
    return httpx2.post(os.environ["TARGET"] + "/v1/messages", content=body, headers=headers)

@pytest.mark.claude_cassette
@pytest.mark.parametrize("encoding", ["gzip", "deflate", "identity"])
@pytest.mark.parametrize("escaped", [False, True])
def test_send(encoding, escaped):
    r = send(encoding, escaped)
    with open(os.path.join(os.environ["OUT"], f"{encoding}-{escaped}.json"), "w") as f:
        json.dump([r.status_code, r.json()], f)
'''


def test_compressed_and_json_escaped_request_bodies_are_stored_scrubbed_as_json_and_match(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, live: Live
) -> None:
    write_inner(pytester, ENCODED)
    for name in ("rec", "rep"):
        (pytester.path / name).mkdir()
    monkeypatch.setenv("TARGET", live.url)
    monkeypatch.setenv("SECRET", SECRET)
    monkeypatch.setenv("OUT", str(pytester.path / "rec"))
    pytester.runpytest_inprocess("--claude-record-mode=once").assert_outcomes(passed=6)
    live.stop()
    monkeypatch.setenv("OUT", str(pytester.path / "rep"))
    replayed = pytester.runpytest_inprocess("-rN")
    assert not _leaks(replayed.stdout.str())
    replayed.assert_outcomes(passed=6)

    from fakeclaude.cassettes.format import deserialize

    files = sorted((pytester.path / "cassettes").rglob("*.yaml"))
    assert len(files) == 6
    for path in files:
        text = path.read_text()
        assert "!!binary" not in text and not _leaks(text), path.name
        request = deserialize(text)["interactions"][0]["request"]
        body = json.loads(request["body"])  # stored as JSON, whatever the encoding on the wire
        assert "<REDACTED>" in body["messages"][0]["content"]
        for raw in (gzip.decompress, zlib.decompress):  # nothing compressed is left to recover a key from
            with pytest.raises(Exception):
                raw(request["body"].encode())
    rec = {p.name: json.loads(p.read_text()) for p in (pytester.path / "rec").glob("*.json")}
    rep = {p.name: json.loads(p.read_text()) for p in (pytester.path / "rep").glob("*.json")}
    assert rec == rep and len(rec) == 6
