"""Time to the first stream event through ``fakeclaude record`` against the same upstream directly.

    .venv/bin/python -m benchmarks record_proxy

The upstream is a fake on loopback that waits ``TTFT`` seconds before its first event and then streams
at a steady pace; the proxy runs as the CLI does (a subprocess). Each figure is the median of N
streamed calls made with the official SDK (``httpx2`` underneath), from the call to the first event.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import anthropic

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fakeclaude.server import FakeClaude
from tests.cli_support import fakeclaude_command

N = 20
TTFT = 0.2
MSG = {"model": "claude-sonnet-4-6", "max_tokens": 200, "messages": [{"role": "user", "content": "Tell a story"}]}


def first_event_and_total(url: str) -> tuple[float, float]:
    client = anthropic.Anthropic(base_url=url, api_key="sk-ant-bench", max_retries=0)
    start = time.perf_counter()
    with client.messages.stream(**MSG) as stream:  # type: ignore[arg-type]
        iterator = iter(stream)
        next(iterator)
        first = time.perf_counter() - start
        for _ in iterator:
            pass
    return first, time.perf_counter() - start


def measure(url: str) -> tuple[float, float]:
    first_event_and_total(url)  # warm up
    runs = [first_event_and_total(url) for _ in range(N)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main() -> None:
    fake = FakeClaude(seed=0, ttft=TTFT, tokens_per_second=400)
    with fake.serve() as upstream, tempfile.TemporaryDirectory() as folder:
        direct = measure(upstream)
        with fakeclaude_command("record", "--upstream", upstream, "--cassettes", folder) as proxy:
            proxied = measure(proxy)
    print(f"upstream ttft {TTFT * 1e3:.0f} ms, median of {N} streamed calls (official SDK):")
    print(f"direct        : first event {direct[0] * 1e3:7.1f} ms, whole stream {direct[1] * 1e3:7.1f} ms")
    print(f"through proxy : first event {proxied[0] * 1e3:7.1f} ms, whole stream {proxied[1] * 1e3:7.1f} ms")
    print(f"proxy adds    : first event {(proxied[0] - direct[0]) * 1e3:+7.1f} ms, "
          f"whole stream {(proxied[1] - direct[1]) * 1e3:+7.1f} ms")


if __name__ == "__main__":
    main()
