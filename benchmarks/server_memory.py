"""Memory of one fake over many requests: flat, or growing with the requests it saw?

100,000 requests (``BENCH_SCALE`` scales the count) through ``fake.httpx2_transport()`` on one
``httpx2.Client``: every tenth streamed, every 25th a new conversation turn, every 50th a count_tokens,
every 100th an invalid body (400). RSS (``/proc/self/statm``) and the Python heap (``sys.getallocatedblocks``)
are sampled after a ``gc.collect()`` every 10,000 requests; the table shows each sample and the growth
from the first. Scenarios: the default answers; a ``fake.handler`` scripted reply; and, to show what a
scripted *rule* costs, ``fake.on(...).respond(...)`` (each matched request is kept in ``route.calls``,
like respx's call list).

Run: ``.venv/bin/python -m benchmarks server_memory`` (``BENCH_SCALE=0.1`` for a quick look).
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx2

from benchmarks import table
from fakeclaude.server import FakeClaude, Reply

HEADERS = {"x-api-key": "sk-ant-bench", "anthropic-version": "2023-06-01", "content-type": "application/json"}
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE / 1e6


def body(i: int) -> bytes:
    turns = [{"role": "user", "content": f"Question number {i % 25}?"}]
    for k in range(i % 25 // 5):
        turns += [{"role": "assistant", "content": f"Answer {k}."}, {"role": "user", "content": f"And {k}?"}]
    return json.dumps({"model": "claude-sonnet-4-6", "max_tokens": 256, "messages": turns,
                       "stream": i % 10 == 0}).encode()


def drive(fake: FakeClaude, total: int, every: int) -> list[tuple[int, float, int]]:
    """``(requests so far, RSS MB, allocated blocks)`` every ``every`` requests."""
    samples: list[tuple[int, float, int]] = []
    with httpx2.Client(transport=fake.httpx2_transport(), base_url="http://fake", headers=HEADERS) as client:
        for i in range(1, total + 1):
            if i % 100 == 0:
                response = client.post("/v1/messages", content=b'{"model": 1}')
                assert response.status_code == 400
            elif i % 50 == 0:
                response = client.post("/v1/messages/count_tokens",
                                       json={"model": "claude-sonnet-4-6", "messages": [{"role": "user", "content": "x"}]})
                assert response.status_code == 200
            else:
                response = client.post("/v1/messages", content=body(i))
                assert response.status_code == 200, response.text
                response.read()
            if i % every == 0 or i == 1:
                gc.collect()
                samples.append((i, rss_mb(), sys.getallocatedblocks()))
    return samples


def scenarios() -> list[tuple[str, Callable[[], FakeClaude], float]]:
    def default() -> FakeClaude:
        return FakeClaude(seed=0)

    def handler() -> FakeClaude:
        fake = FakeClaude(seed=0)
        fake.handler(lambda request: Reply(["Scripted, " + request.last_user_text]))
        return fake

    def rule() -> FakeClaude:
        fake = FakeClaude(seed=0)
        fake.on(model="claude-sonnet-4-6").respond("Scripted by a rule.")
        return fake

    return [("default answers", default, 1.0), ("fake.handler(...)", handler, 0.5), ("fake.on(...).respond()", rule, 0.2)]


def main() -> int:
    warnings.simplefilter("ignore", DeprecationWarning)
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    rows = []
    for label, make, share in scenarios():
        total = max(2000, int(100_000 * scale * share))
        every = max(1000, total // 10)
        gc.collect()
        start = time.perf_counter()
        samples = drive(make(), total, every)
        seconds = time.perf_counter() - start
        first = samples[1] if len(samples) > 1 else samples[0]  # after warm-up (caches, Faker, regexes)
        last = samples[-1]
        trace = " ".join(f"{rss:.0f}" for _, rss, _ in samples[1:])
        rows.append((label, f"{total:,}", f"{seconds:.0f}", f"{first[1]:.1f}", f"{last[1]:.1f}",
                     f"{last[1] - first[1]:+.1f}", f"{(last[2] - first[2]) / (last[0] - first[0]):+.2f}", trace))
    print("RSS after gc.collect(), sampled every tenth of the run; growth measured from the first sample after warm-up")
    print(table(["scenario", "requests", "s", "RSS MB first", "RSS MB last", "growth MB", "blocks/request",
                 "RSS MB samples"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
