"""Replay cost per call: fakeclaude's cassettes against vcrpy (as pytest-recording drives it) and a bare mock.

    .venv/bin/python -m benchmarks.plugin_replay

The same interaction (a non-streamed Messages call) is recorded once by each tool from a fake on
loopback; the server is stopped and the call is replayed N times through ``httpx2.Client``.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import httpx2
import vcr

from fakeclaude.cassettes import interception, recorder
from fakeclaude.cassettes.store import ClaudeCassette
from fakeclaude.server import FakeClaude

BODY = {"model": "claude-sonnet-4-6", "max_tokens": 64, "messages": [{"role": "user", "content": "Say hello"}]}
HEADERS = {"x-api-key": "sk-ant-x", "anthropic-version": "2023-06-01"}
N = 2000


def per_call(client: httpx2.Client, url: str) -> float:
    for _ in range(50):
        client.post(url, json=BODY, headers=HEADERS).json()
    start = time.perf_counter()
    for _ in range(N):
        client.post(url, json=BODY, headers=HEADERS).json()
    return (time.perf_counter() - start) / N


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    my_vcr = vcr.VCR(match_on=["method", "path", "body"])
    with FakeClaude(seed=0).serve() as base:
        url = base + "/v1/messages"
        with my_vcr.use_cassette(str(folder / "vcr.yaml"), record_mode="all"):
            payload = httpx2.post(url, json=BODY, headers=HEADERS).json()
        ours = ClaudeCassette(folder / "ours.yaml", record_mode="rewrite")
        interception.activate(recorder.Recorder(ours))
        httpx2.post(url, json=BODY, headers=HEADERS)
        interception.deactivate()
        ours.save()

    with httpx2.Client(transport=httpx2.MockTransport(lambda request: httpx2.Response(200, json=payload))) as c:
        bare = per_call(c, url)
    with my_vcr.use_cassette(str(folder / "vcr.yaml"), record_mode="none", allow_playback_repeats=True), httpx2.Client() as c:
        vcrpy = per_call(c, url)
    cassette = ClaudeCassette(folder / "ours.yaml", record_mode="none", allow_playback_repeats=True)
    interception.activate(recorder.Recorder(cassette))
    try:
        with httpx2.Client() as c:
            fake = per_call(c, url)
    finally:
        interception.deactivate()
    print(f"bare MockTransport : {bare * 1e6:8.1f} us/call  (1.00x)")
    print(f"vcrpy 9 replay     : {vcrpy * 1e6:8.1f} us/call  ({vcrpy / bare:.2f}x bare)")
    print(f"fakeclaude replay  : {fake * 1e6:8.1f} us/call  ({fake / bare:.2f}x bare, {fake / vcrpy:.2f}x vcrpy)")


if __name__ == "__main__":
    main()
