"""Record modes, repeats, scrubbing and foreign cassettes, driven through the plugin's own API."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx2
import pytest

from fakeclaude.cassettes import CassetteMiss, interception, recorder
from fakeclaude.cassettes.store import ClaudeCassette
from tests.real_traffic import CASSETTES

from .conftest import SECRET, Live

REAL = CASSETTES


def body(prompt: str) -> dict[str, object]:
    return {"model": "claude-sonnet-4-6", "max_tokens": 30, "messages": [{"role": "user", "content": prompt}]}


def call(url: str, prompt: str) -> str:
    r = httpx2.post(url + "/v1/messages", json=body(prompt),
                    headers={"x-api-key": SECRET, "anthropic-version": "2023-06-01"})
    return str(r.json()["content"][0]["text"])


class Use:
    """One use of a cassette, as one pytest run would make it (each ``Use`` is a run of its own)."""

    def __init__(self, path: Path, mode: str, **kw: object) -> None:
        self.cassette = ClaudeCassette(path, record_mode=mode, run_started=time.time(), **kw)  # type: ignore[arg-type]

    def __enter__(self) -> ClaudeCassette:
        interception.activate(recorder.Recorder(self.cassette))
        return self.cassette

    def __exit__(self, *exc: object) -> None:
        interception.deactivate()
        self.cassette.save()


@pytest.fixture
def target(live: Live) -> str:
    return live.url


def ids(path: Path) -> list[str]:
    from fakeclaude.cassettes.format import deserialize

    return [json.loads(i["response"]["body"]["string"])["content"][0]["text"] for i in deserialize(path.read_text())["interactions"]]


def test_every_record_mode(tmp_path: Path, live: Live) -> None:
    path, target = tmp_path / "c.yaml", live.url
    for text in ("first", "second", "third", "fourth"):
        live.fake.reply(text)
    with Use(path, "none"), pytest.raises(CassetteMiss, match="does not exist"):
        call(target, "a")
    assert not path.exists()
    with Use(path, "once"):
        first = call(target, "a")
    assert ids(path) == [first]
    with Use(path, "once"):
        assert call(target, "a") == first  # replayed
        with pytest.raises(CassetteMiss):
            call(target, "b")  # once: an existing cassette never grows
    with Use(path, "new_episodes"):
        assert call(target, "a") == first
        second = call(target, "b")
    assert ids(path) == [first, second]  # nothing lost
    with Use(path, "all"):
        third = call(target, "a")  # never replays: re-recorded, replaces the old "a"
    assert third != first and ids(path) == [second, third]
    with Use(path, "rewrite"):
        fourth = call(target, "c")
    assert ids(path) == [fourth]
    with Use(path, "none"):
        assert call(target, "c") == fourth
    assert SECRET not in path.read_text()


def test_identical_requests_replay_in_recorded_order_and_json_key_order_is_ignored(tmp_path: Path, live: Live) -> None:
    path, target = tmp_path / "loop.yaml", live.url
    for text in ("one", "two", "three"):
        live.fake.reply(text)
    with Use(path, "once"):
        recorded = [call(target, "same") for _ in range(3)]
    assert len(set(recorded)) == 3
    live.stop()
    with Use(path, "none"):
        raw = json.dumps(dict(reversed(list(body("same").items()))), indent=4).encode()
        replayed = [httpx2.post(target + "/v1/messages", content=raw).json()["content"][0]["text"] for _ in range(3)]
        assert replayed == recorded
        with pytest.raises(CassetteMiss, match="all already played"):
            call(target, "same")
    with Use(path, "none", allow_playback_repeats=True):
        assert [call(target, "same") for _ in range(5)][-1] == recorded[-1]


def test_secrets_and_custom_scrubbers(tmp_path: Path, target: str) -> None:
    from fakeclaude.cassettes.scrubbing import Scrubber

    path = tmp_path / "s.yaml"
    with Use(path, "once", scrubber=Scrubber([lambda s: s.replace("Alice", "<NAME>")], ["x-internal"])):
        httpx2.post(target + f"/v1/messages?key={SECRET}", json=body(f"I am Alice, my key is {SECRET}"),
                    headers={"authorization": f"Bearer {SECRET}", "x-internal": "hidden",
                             "anthropic-organization-id": "org-1", "cookie": "a=b", "anthropic-version": "2023-06-01"})
    text = path.read_text()
    for secret in (SECRET, "api03", "Alice", "hidden", "org-1", "a=b"):
        assert secret not in text
    assert "<NAME>" in text and "<REDACTED>" in text


def _foreign() -> list[Path]:
    if not REAL.is_dir():
        return []
    return sorted(p for p in REAL.rglob("*.yaml"))


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-traffic is absent (outside the project workspace)")
@pytest.mark.parametrize("path", _foreign(), ids=lambda p: p.name)
def test_cassettes_recorded_by_vcrpy_tools_replay(path: Path) -> None:
    cassette = ClaudeCassette(path, record_mode="none")
    assert len(cassette) > 0
    interception.activate(recorder.Recorder(cassette))
    try:
        with httpx2.Client() as client:
            for request, response in list(cassette.data):
                sent = client.build_request(request.method, request.uri, content=request.body or b"")
                got = client.send(sent, stream=True)
                chunks = list(got.iter_raw())
                got.close()
                assert got.status_code == response["status"]["code"]
                if "text/event-stream" in got.headers.get("content-type", ""):
                    assert len(chunks) > 3 and all(c.startswith(b"event: ") for c in chunks)  # event by event
    finally:
        interception.deactivate()
    assert cassette.all_played


def test_streams_replay_instantly_or_at_the_recorded_pace(
    tmp_path: Path, live: Live, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Recording keeps each event's time; ``pace="recorded"`` replays with those gaps, the default does not."""
    from fakeclaude.server import Reply

    path = tmp_path / "paced.yaml"
    live.fake.reply(Reply(["one two three four five six seven eight"], ttft=0.5))
    request = {**body("pace"), "stream": True}
    headers = {"x-api-key": SECRET, "anthropic-version": "2023-06-01"}

    def stream_once(pace: str) -> tuple[float, list[bytes]]:
        cassette = ClaudeCassette(path, record_mode="once")
        interception.activate(recorder.Recorder(cassette, pace=pace))
        try:
            start = time.perf_counter()
            with httpx2.stream("POST", live.url + "/v1/messages", json=request, headers=headers) as response:
                chunks = list(response.iter_raw())
            return time.perf_counter() - start, chunks
        finally:
            interception.deactivate()
            cassette.save()

    recorded_time, recorded = stream_once("instant")
    assert recorded_time >= 0.5
    live.stop()
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)  # the replay's waits, counted instead of waited
    _, instant = stream_once("instant")
    assert slept == []
    _, paced = stream_once("recorded")
    assert b"".join(instant) == b"".join(paced) == b"".join(recorded)
    assert len(instant) > 5, "replayed event by event, not as one blob"
    assert max(slept) >= 0.5  # the server's latency, the recorded time to the first event, then the gaps
