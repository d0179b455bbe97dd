"""Import time of ``fakeclaude`` against ``anthropic``: fresh interpreters, a bare one subtracted.

Each sample is one ``python -c "import X"`` in a new subprocess, minus the median of ``python -c pass``;
the runs alternate between the two packages and the table gives the median of 7 (goal: fakeclaude /
anthropic <= 0.33). Two conditions, both packages always under the same one:

- ``as installed``: the environment as it is. With ``PYTHONDONTWRITEBYTECODE=1`` (set here) an editable
  checkout such as fakeclaude has no ``.pyc`` files and is compiled on every import, while a wheel
  install (anthropic) ships them from pip: this condition favours the SDK.
- ``warm bytecode cache``: ``-X pycache_prefix=<temp dir>`` with bytecode writing on, primed once, so both
  read compiled code from the same fresh cache (nothing is written into the checkout or site-packages).

Run: ``.venv/bin/python -m benchmarks client_import``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import table

PACKAGES = ("fakeclaude", "anthropic")
RUNS = 7


def _run(code: str, env: dict[str, str], extra: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, *extra, "-c", code], env=env, check=True)
    return time.perf_counter() - start


def measure(env: dict[str, str], extra: list[str], runs: int = RUNS) -> tuple[float, dict[str, float]]:
    """``(bare interpreter seconds, {package: import seconds above it})``, medians of ``runs``."""
    for name in PACKAGES:  # prime caches (the OS page cache, and the bytecode cache when it is on)
        _run(f"import {name}", env, extra)
    base: list[float] = []
    samples: dict[str, list[float]] = {name: [] for name in PACKAGES}
    for i in range(runs):
        base.append(_run("pass", env, extra))
        for name in PACKAGES if i % 2 == 0 else reversed(PACKAGES):
            samples[name].append(_run(f"import {name}", env, extra))
    bare = statistics.median(base)
    return bare, {name: max(statistics.median(s) - bare, 0.0) for name, s in samples.items()}


def main() -> int:
    flag = os.environ.get("PYTHONDONTWRITEBYTECODE")
    print(
        f"{sys.executable} (Python {sys.version.split()[0]}); PYTHONDONTWRITEBYTECODE={flag!r} in this environment"
    )
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-pycache-") as cache:
        warm_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        conditions = [
            (f"as installed (PYTHONDONTWRITEBYTECODE={flag or 'unset'})", dict(os.environ), []),
            ("warm bytecode cache (both compiled once)", warm_env, ["-X", f"pycache_prefix={cache}"]),
        ]
        for label, env, extra in conditions:
            bare, times = measure(env, extra)
            ours, sdk = times["fakeclaude"], times["anthropic"]
            ratio = ours / sdk if sdk else float("nan")
            rows.append(
                (
                    label,
                    f"{bare * 1e3:.0f}",
                    f"{ours * 1e3:.0f}",
                    f"{sdk * 1e3:.0f}",
                    f"{ratio:.2f}",
                    "yes" if ratio <= 0.33 else "NO",
                )
            )
    print(table(["condition", "bare python ms", "fakeclaude ms", "anthropic ms", "ratio", "<= 0.33"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
