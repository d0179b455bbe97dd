"""Wall time of a large replay-only suite over 1, 2 and 4 pytest-xdist workers on this machine.

    .venv/bin/python -m benchmarks.xdist_replay [N]        # N tests, one cassette each (default 1000)

A suite of N tests is generated in a temporary folder, each replaying its own cassette (one non-streamed
Messages call through the official ``anthropic`` SDK, matched on method, path and body) with
``--claude-record-mode=none``, as CI runs it. The cassette is recorded once from a ``FakeClaude`` on
loopback, then copied N times. The suite is run with no xdist, ``-n 2`` and ``-n 4``; each run is
bounded (a timeout) and the folder is removed at the end. Printed: wall time, tests per second,
speed-up over one process, and the fixed cost (an empty suite on the same workers), which is what the
arithmetic of ``docs/scaling.md`` needs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2

from fakeclaude.cassettes import interception, recorder
from fakeclaude.cassettes.store import ClaudeCassette
from fakeclaude.server import FakeClaude

BODY = {"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": [{"role": "user", "content": "Say hello"}]}
WORKERS = (1, 2, 4)
TIMEOUT = 600

SUITE = '''
import anthropic
import pytest

URL = {url!r}
CASES = [pytest.param(i, marks=pytest.mark.claude_cassette(f"c{{i}}", cassette_dir="cassettes")) for i in range({n})]


@pytest.mark.parametrize("i", CASES)
def test_replays(i, claude_cassette):
    client = anthropic.Anthropic(api_key="sk-ant-bench", base_url=URL, max_retries=0)
    message = client.messages.create(model="claude-sonnet-4-5", max_tokens=64,
                                     messages=[{{"role": "user", "content": "Say hello"}}])
    assert message.content[0].text
'''


def record(folder: Path) -> str:
    """One recorded cassette at ``folder/c0.yaml``; returns the base URL it was recorded from."""
    cassette = ClaudeCassette(folder / "c0.yaml", record_mode="rewrite")
    with FakeClaude(seed=0).serve() as base:
        interception.activate(recorder.Recorder(cassette))
        try:
            httpx2.post(base + "/v1/messages", json=BODY,
                        headers={"x-api-key": "sk-ant-bench", "anthropic-version": "2023-06-01"})
        finally:
            interception.deactivate()
    cassette.save()
    return base


def run(project: Path, workers: int, *args: str) -> float:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
               "--claude-record-mode=none", *args]
    if workers > 1:
        command += ["-n", str(workers)]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=TIMEOUT, check=False,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 5):  # 5: no tests collected (the empty suite)
        raise SystemExit(f"pytest -n {workers} failed:\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}")
    return elapsed


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    project = Path(tempfile.mkdtemp(prefix="fakeclaude-xdist-"))
    try:
        cassettes = project / "cassettes"
        cassettes.mkdir()
        url = record(cassettes)
        for i in range(1, n):
            shutil.copyfile(cassettes / "c0.yaml", cassettes / f"c{i}.yaml")
        (project / "test_replay.py").write_text(SUITE.format(url=url, n=n))
        (project / "test_empty.py").write_text("")
        (project / "pytest.ini").write_text("[pytest]\n")
        print(f"{n} tests, one cassette each; {os.cpu_count()} CPUs; python {sys.version.split()[0]}")
        print(f"{'workers':>7} {'wall s':>8} {'tests/s':>8} {'speed-up':>8} {'fixed s':>8}")
        base = 0.0
        for workers in WORKERS:
            fixed = run(project, workers, "test_empty.py")
            wall = run(project, workers, "test_replay.py")
            base = base or wall
            print(f"{workers:>7} {wall:>8.1f} {n / wall:>8.0f} {base / wall:>7.2f}x {fixed:>8.1f}", flush=True)
    finally:
        shutil.rmtree(project, ignore_errors=True)


if __name__ == "__main__":
    main()
