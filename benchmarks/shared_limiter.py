"""What a rate-limit window shared between ``serve --workers`` costs per request, on each state store.

    .venv/bin/python -m benchmarks.shared_limiter [N]      # N admit + finish pairs per run (default 3000)

One ``admit`` and one ``finish`` (what every answered request does) on the in-memory ``RateLimiter``
(``state=None``) and on ``SharedRateLimiter`` over memory, SQLite (a temporary file) and Redis (a
``redis-server`` started here on a free loopback port, with no disk, stopped at the end; skipped when it
is not installed). Limits are set (high enough never to refuse), so every pair goes through the store.
Printed per pair: CPU time of this process and wall time, the median of 3 runs, and the load average.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from fakeclaude.server.clock import SystemClock
from fakeclaude.server.ratelimit import RateLimiter, RateLimits
from fakeclaude.server.ratelimit_shared import SharedRateLimiter
from fakeclaude.server.statestore import MemoryStore, RedisStore, SqliteStore

LIMITS = RateLimits(requests_per_minute=10**9, input_tokens_per_minute=10**12, output_tokens_per_minute=10**12)


def per_pair(limiter: RateLimiter, pairs: int) -> tuple[float, float]:
    """Median CPU and wall microseconds of one admit + finish, over 3 runs of ``pairs``."""
    cpu, wall = [], []
    for _ in range(3):
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        for _ in range(pairs):
            limiter.admit("key", 100, model="claude-haiku-4-5")
            limiter.finish("key", 10, 100)
        cpu.append((time.process_time() - started_cpu) / pairs * 1e6)
        wall.append((time.perf_counter() - started_wall) / pairs * 1e6)
    return statistics.median(cpu), statistics.median(wall)


@contextlib.contextmanager
def redis_server(folder: Path) -> Iterator[str | None]:
    """The URL of a fresh redis-server on loopback (None when none is installed); stopped after."""
    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                "no", "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"redis://127.0.0.1:{port}/0"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(Exception):
                RedisStore(url).get("ping")
                break
            time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(10)


def main(argv: list[str]) -> int:
    pairs = int(argv[0]) if argv else 3000
    with tempfile.TemporaryDirectory() as folder, redis_server(Path(folder)) as redis_url:
        cases: dict[str, RateLimiter] = {
            "RateLimiter (state=None)": RateLimiter(SystemClock(), LIMITS),
            "SharedRateLimiter memory://": SharedRateLimiter(SystemClock(), MemoryStore(), LIMITS),
            "SharedRateLimiter sqlite": SharedRateLimiter(SystemClock(), SqliteStore(Path(folder) / "s.db"), LIMITS),
        }
        if redis_url is not None:
            cases["SharedRateLimiter redis"] = SharedRateLimiter(SystemClock(), RedisStore(redis_url), LIMITS)
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"{pairs} admit + finish pairs, median of 3 runs; {os.cpu_count()} CPUs, load average {load}")
        for name, limiter in cases.items():
            cpu, wall = per_pair(limiter, pairs)
            print(f"{name:30s} cpu {cpu:8.1f} us/pair   wall {wall:8.1f} us/pair")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
