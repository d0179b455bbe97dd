"""Per-test overhead of the plugin's fixtures against respx and pytest-recording.

    .venv/bin/python -m benchmarks.plugin_overhead

Each variant is a module of N empty tests using one fixture or marker (no request is made); the
overhead is (variant session time - plain session time) / N, best of 5 runs.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

N = 1500
VARIANTS = {
    "plain": "def test_x(n):\n    pass\n",
    "fake_claude": "def test_x(n, fake_claude):\n    pass\n",
    "fake_claude_session": "def test_x(n, fake_claude_session):\n    pass\n",
    "respx_mock": "def test_x(n, respx_mock):\n    pass\n",
    "pytest-recording (vcr)": "@pytest.mark.vcr\ndef test_x(n):\n    pass\n",
    "claude_cassette": "@pytest.mark.claude_cassette\ndef test_x(n):\n    pass\n",
}


def session_time(folder: Path, body: str) -> float:
    (folder / "test_bench.py").write_text(f"import pytest\n\n@pytest.mark.parametrize('n', range({N}))\n{body}")
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
                        "-p", "no:xdist", str(folder)], check=True, capture_output=True, cwd=folder)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    (folder / "pytest.ini").write_text("[pytest]\n")
    times = {name: session_time(folder, body) for name, body in VARIANTS.items()}
    base = times["plain"]
    for name, seconds in times.items():
        if name != "plain":
            print(f"{name:24s}: {(seconds - base) / N * 1e3:6.2f} ms per test")


if __name__ == "__main__":
    main()
