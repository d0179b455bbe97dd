"""A served fake gives the memory of huge bodies back: its RSS returns near its baseline once they are answered.

Real ``fakeclaude serve`` in its own process on 127.0.0.1, bodies of about 14 MiB (30,001 messages, each
refused as too long for the context window, as the API does), RSS read from ``/proc/PID/status``. Before
the heap was trimmed after big bodies, glibc kept the freed pages: two such bodies left the server about
55 MB above its baseline for good (53 -> 110 MB); now it settles within a few MB (53 -> 94 -> 62 MB).
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fakeclaude.server.adapters._heap import HeapTrimmer, heap_trimmer
from fakeclaude.server.adapters.app import OFFLOAD_BYTES

glibc_and_proc = pytest.mark.skipif(not (heap_trimmer.enabled and Path("/proc/self/status").exists()),
                                    reason="the heap is trimmed with glibc's malloc_trim; RSS is read from /proc (Linux)")

HEADERS = {"x-api-key": "sk-test", "anthropic-version": "2023-06-01", "content-type": "application/json"}
SMALL = {"model": "claude-sonnet-4-5", "max_tokens": 16, "messages": [{"role": "user", "content": "Hi"}]}
MIB = 1024 * 1024
BOUND_MB = 25  # what may stay above the baseline (allocator fragmentation, memos); the old code kept ~55
SETTLE_SECONDS = 15.0  # the longest wait for the trim (0.2 s after a big body, 2 s after the last trim)


def _rss_mb(pid: int) -> float:
    match = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    assert match is not None
    return int(match.group(1)) / 1024


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served() -> Iterator[tuple[httpx.Client, int]]:
    """A client of ``fakeclaude serve`` in its own process, and that process's pid; stopped after."""
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "fakeclaude", "serve", "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "fakeclaude serve did not start"
                time.sleep(0.05)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=HEADERS, timeout=120) as client:
            yield client, process.pid
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _huge_body() -> bytes:
    messages = [{"role": "assistant" if k % 2 else "user", "content": f"Message {k}: " + "word " * 90}
                for k in range(30_001)]
    return json.dumps({"model": "claude-sonnet-4-5", "max_tokens": 16, "messages": messages}).encode()


@glibc_and_proc
def test_rss_comes_back_near_the_baseline_after_huge_bodies(served: tuple[httpx.Client, int]) -> None:
    client, pid = served
    for _ in range(20):  # warm up: imports, caches, the first answers
        assert client.post("/v1/messages", json=SMALL).status_code == 200
    baseline = _rss_mb(pid)
    body = _huge_body()
    assert len(body) > 12 * MIB and len(body) >= OFFLOAD_BYTES
    peak = baseline
    for _ in range(2):
        response = client.post("/v1/messages", content=body)
        assert response.status_code == 400 and "prompt is too long" in response.json()["error"]["message"]
        peak = max(peak, _rss_mb(pid))
    assert peak > baseline + 20  # the bodies did take memory (about 40 MB): the test measures something
    assert client.post("/v1/messages", json=SMALL).status_code == 200  # the server answers as before
    deadline = time.monotonic() + SETTLE_SECONDS
    while (settled := _rss_mb(pid)) > baseline + BOUND_MB and time.monotonic() < deadline:
        time.sleep(0.1)
    assert settled <= baseline + BOUND_MB, (
        f"RSS {baseline:.0f} MB before two {len(body) / MIB:.0f} MiB bodies, {peak:.0f} MB at the peak, "
        f"still {settled:.0f} MB {SETTLE_SECONDS:.0f} s after")


def _drive(trimmer: HeapTrimmer, steps: list[tuple[float, int]], settle: float) -> None:
    """On an event loop: wait each step's seconds, then report a big body of its size; then wait ``settle``."""
    async def main() -> None:
        for wait, size in steps:
            await asyncio.sleep(wait)
            trimmer.after_big_body(size)
        await asyncio.sleep(settle)

    asyncio.run(main())


def test_trims_are_owed_by_big_bodies_only_once_they_add_up() -> None:
    calls: list[int] = []
    trimmer = HeapTrimmer(lambda pad: calls.append(pad) or 1, delay=0.01, after_bytes=8 * MIB, min_interval=0)
    _drive(trimmer, [(0, 3 * MIB), (0, 3 * MIB)], settle=0.1)
    assert calls == [] and trimmer.trims == 0  # 6 MiB of bodies: not yet
    _drive(trimmer, [(0, 3 * MIB)], settle=0.1)
    assert calls == [0] and trimmer.trims == 1  # 9 MiB: one trim, of everything (pad 0)
    _drive(trimmer, [(0, 30 * MIB)], settle=0.1)
    assert trimmer.trims == 2  # the count starts again after each trim; one huge body is due at once


def test_a_burst_of_huge_bodies_costs_one_trim_per_interval() -> None:
    trimmer = HeapTrimmer(lambda pad: 1, delay=0.01, after_bytes=MIB, min_interval=3600)
    _drive(trimmer, [(0, 30 * MIB)] + [(0.01, 30 * MIB)] * 5, settle=0.2)
    assert trimmer.trims == 1 and trimmer.pending  # the first at once; the next waits for the interval's end


def test_the_last_body_of_a_burst_is_always_covered_by_a_trim() -> None:
    events: list[str] = []
    trimmer = HeapTrimmer(lambda pad: events.append("trim") or 1, delay=0.01, after_bytes=MIB, min_interval=0.2)
    steps = [(0.0, 30 * MIB)] + [(0.02, 30 * MIB)] * 9

    async def main() -> None:
        for wait, size in steps:
            await asyncio.sleep(wait)
            events.append("body")
            trimmer.after_big_body(size)
        # polled, not awaited on an event: the trim runs in an executor thread (a hang is the test's timeout)
        while trimmer.pending or events[-1] != "trim":  # noqa: ASYNC110
            await asyncio.sleep(0.02)

    asyncio.run(main())
    assert events[-1] == "trim" and not trimmer.pending  # the trim after the last body ran
    assert events.count("body") == 10 and events.count("trim") >= 2  # (how many: the machine's pace decides)


def test_without_glibc_nothing_is_scheduled() -> None:
    trimmer = HeapTrimmer(None, delay=0, after_bytes=1)
    assert not trimmer.enabled
    _drive(trimmer, [(0, 30 * MIB)], settle=0.05)
    assert trimmer.trims == 0
