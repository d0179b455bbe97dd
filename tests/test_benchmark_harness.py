"""The benchmark harness (``python -m benchmarks``) runs end to end: one tiny round of the project's cases.

The long run (``make bench``) is not part of the suite; this checks that every case of the project's own
environment builds, answers the checked text and is timed against its floor, and that RESULTS.md gets a
row with figures for each (the alternatives are left out: their environments install from the registries).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_smoke_round_of_the_project_cases_writes_a_table(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--smoke", "--project-only", "--only", "calls",
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    for label in ("floor: SDK on httpx2.MockTransport (canned bytes)", "fakeclaude in-process (generated answer)",
                  "fakeclaude in-process (scripted handler)", "fakeclaude cassette replay",
                  "floor: minimal aiohttp", "fakeclaude serve", "fakeclaude in-process, stream"):
        row = next((line for line in text.splitlines() if line.startswith(f"| {label} |")), None)
        assert row is not None, f"no row for {label!r}"
        assert re.search(r"\| [\d,]+ \| [\d,]+-[\d,]+ \| \d+\.\d\dx", row), row  # median, spread, ratio
    assert "| vcrpy replay (pytest-recording) | - |" in text  # left out, and said so
    assert "did not run: environment vcrpy not installed" in text
    assert "## How the figures are computed" in text and "Machine: " in text



def test_only_loopback_runs_the_loopback_groups_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--only loopback``: the loopback groups without the in-process ones, no per-test or import group."""
    from benchmarks import suite

    asked: list[object] = []
    monkeypatch.setattr(suite, "calls_groups", lambda settings, folder, log, **flags: asked.append(flags) or [])
    monkeypatch.setattr(suite, "per_test_group", lambda *args: asked.append("tests"))
    monkeypatch.setattr(suite, "import_group", lambda *args: asked.append("imports"))
    monkeypatch.setattr(sys, "argv", ["benchmarks"])
    assert suite.main(["--smoke", "--project-only", "--only", "loopback", "--out", str(tmp_path / "R.md")]) == 0
    assert asked == [{"in_process": False}]
    asked.clear()
    assert suite.main(["--smoke", "--project-only", "--only", "calls", "--out", str(tmp_path / "R.md")]) == 0
    assert asked == [{"in_process": True}]  # calls: in-process and loopback
