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


def _section(text: str, heading: str) -> str:
    """The Markdown of the section starting at ``heading`` up to the next ``##`` heading."""
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    return text[start:end if end >= 0 else len(text)]


def test_smoke_soak_runs_alone_as_its_own_section(tmp_path: Path) -> None:
    """``--smoke --only soak``: the three soak runs (serve on loopback, in-process) in a section after the
    tables, each with its bound and what it stopped on, and no table group run."""
    out = tmp_path / "RESULTS.md"
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--smoke", "--project-only", "--only", "soak",
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "soak: streaming, 2 clients for 2 s ..." in done.stderr  # progress
    text = out.read_text(encoding="utf-8")
    assert "### In-process calls" not in text and "## Scaling" not in text
    soak = _section(text, "## Soak")
    assert text.index("## Tables") < text.index("## Soak") < text.index("## How the figures are computed")
    assert "| streaming | 2 clients for 2 s | its time bound" in soak
    assert "| connections | 10 sockets, answers read for at most 120 s | its count (every socket answered) |" in soak
    assert "| in-process | 1,000 requests, at most 10 s | its count |" in soak
    assert re.search(r"\| 2 streaming clients, 2 s \| streams / errors \| [1-9][\d,]* / 0 \|", soak), soak
    assert "| 10 simultaneous connections | answered / errors | 10 / 0 |" in soak
    assert "| 1,000 in-process requests | errors (an answer other than the expected) | 0 |" in soak
    cpu = next(line for line in soak.splitlines() if "CPU per request per tenth" in line)
    assert len(re.findall(r"\d+\.\d{3}", cpu)) == 10, cpu  # one figure per tenth


def test_soak_section_says_when_a_run_stopped_on_its_time_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """The in-process run cut by its time bound (2,000 requests, 0 s: it stops at its first check, after
    1,000) is reported as such; a run that fails to start is reported, not raised."""
    import io

    from benchmarks import long_runs, soak

    def no_server(*args: object) -> list[tuple[str, str, str]]:
        raise RuntimeError("fakeclaude serve did not start within 30 s")

    monkeypatch.setattr(soak, "streaming_rows", no_server)
    monkeypatch.setattr(soak, "connection_rows", lambda count: [("c", "answered / errors", f"{count - 1} / 1")])
    monkeypatch.setitem(long_runs.SOAK_BOUNDS, "smoke", lambda: long_runs.SoakBounds(2, 2, 10, 2000, 0))
    text = long_runs.soak_section("smoke", io.StringIO()).text
    assert "| streaming | 2 clients for 2 s | did not run: fakeclaude serve did not start within 30 s |" in text
    assert "| connections | 10 sockets, answers read for at most 120 s | its 120 s read bound" in text
    assert "| in-process | 2,000 requests, at most 0 s | its time bound |" in text
    assert "| 1,000 in-process requests (stopped at the time bound) | errors" in text


def test_scaling_stops_starting_runs_at_its_time_bound() -> None:
    """``xdist_replay.measure`` with a 0 s bound records its cassette, then starts no pytest run at all."""
    from benchmarks import xdist_replay

    lines: list[str] = []
    result = xdist_replay.measure(2, workers=(1, 2), remote=True, max_seconds=0, progress=lines.append)
    assert result.rows == [] and result.skipped == ["1", "2", "2 remote hosts"]
    assert all("skipped: the benchmark reached its 0 s bound" in line for line in lines) and len(lines) == 3


def test_scaling_section_reports_rows_bound_and_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scaling section: a row per run with F and the per-test cost, whether it stopped on its count or its
    time bound; a failed pytest run (``SystemExit`` from ``xdist_replay.run``) is written in, not raised."""
    import io

    from benchmarks import long_runs, xdist_replay

    asked: dict[str, object] = {}

    def measure(n: int, **options: object) -> xdist_replay.Scaling:
        asked.update(options, n=n)
        rows = [xdist_replay.ScalingRow("1", n, 20.0, 2.0, 20.0), xdist_replay.ScalingRow("2", n, 12.0, 4.0, 20.0)]
        return xdist_replay.Scaling(n, 90, rows, skipped=["4", "2 remote hosts"], load=3.5, seconds=95)

    monkeypatch.setattr(xdist_replay, "measure", measure)
    text = long_runs.scaling_section("quick", io.StringIO()).text
    assert asked["n"] == 100 and asked["workers"] == (1, 2, 4) and asked["max_seconds"] == 90 and asked["lean"]
    assert "Stopped on its time bound (not run: 4, 2 remote hosts), after 95 s; load average 3.5" in text
    assert "| 1 | 20.0 | 5.0 | 1.00x | 2.0 | 180.00 |" in text  # (20 - 2) s / 100 tests
    assert "| 2 | 12.0 | 8.3 | 1.67x | 4.0 | 80.00 |" in text

    def failing(n: int, **options: object) -> xdist_replay.Scaling:
        raise SystemExit("pytest test_replay.py (workers 2) failed: 1 failed")

    monkeypatch.setattr(xdist_replay, "measure", failing)
    text = long_runs.scaling_section("smoke", io.StringIO()).text
    assert "Did not run: pytest test_replay.py (workers 2) failed: 1 failed" in text


def test_the_full_run_adds_the_long_forms_after_the_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No ``--only``: every table group, then soak, then scaling, at the run's mode, each its own section before
    the method text; ``--only scaling`` runs that alone; the method text says how the long figures are computed."""
    from benchmarks import long_runs, suite

    asked: list[object] = []
    monkeypatch.setattr(suite, "calls_groups", lambda settings, folder, log, **flags: asked.append("calls") or [])
    monkeypatch.setattr(suite, "per_test_group", lambda *args: asked.append("tests") or suite.Group("t", "T", "ms", "cpu"))
    monkeypatch.setattr(suite, "import_group", lambda *args: asked.append("imports") or suite.Group("i", "I", "ms", "wall"))
    for key in ("instructions", "cold", "soak", "scaling"):
        monkeypatch.setitem(suite.LONG_RUNS, key, lambda mode, log, key=key: asked.append((key, mode))
                            or long_runs.Section(key, f"## Long form {key}\n\nfigures"))
    monkeypatch.setattr(sys, "argv", ["benchmarks"])
    out = tmp_path / "R.md"
    assert suite.main(["--quick", "--project-only", "--out", str(out)]) == 0
    assert asked == ["calls", "tests", "imports", ("instructions", "quick"), ("cold", "quick"), ("soak", "quick"),
                     ("scaling", "quick")]
    text = out.read_text(encoding="utf-8")
    assert text.index("### I") < text.index("## Long form soak") < text.index("## Long form scaling") \
        < text.index("## How the figures are computed")
    method = _section(text, "## How the figures are computed")
    assert "**Soak (its own section).**" in method and "CPU per request" in method and "RSS" in method
    assert "**Scaling (its own section).**" in method and "(wall - F) / N" in method
    asked.clear()
    assert suite.main(["--smoke", "--project-only", "--only", "scaling", "--out", str(out)]) == 0
    assert asked == [("scaling", "smoke")]


def test_server_cpu_replays_the_sdk_request_to_both_servers_and_reports_each() -> None:
    """``python -m benchmarks.server_cpu 20``: both servers answer the SDK's replayed bytes (200, a JSON
    body each, or it fails), and each gets its CPU and wall figures and the ratio line."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.server_cpu", "20"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "replayed 20 times per server" in done.stdout and "load average " in done.stdout
    for label in ("minimal aiohttp", "fakeclaude serve"):
        row = next(line for line in done.stdout.splitlines() if line.startswith(label + " "))
        assert len(re.findall(r"\d+\.\d", row)) == 3, row  # CPU (stat), CPU (schedstat), wall
    assert re.search(r"fakeclaude serve / minimal aiohttp: CPU (\d+\.\d\dx|-) \(stat\), \d+\.\d\dx \(schedstat\)",
                     done.stdout), done.stdout


def test_server_cpu_reads_content_length_and_chunked_responses() -> None:
    """The replay socket reads a whole response in either framing, and the next one on the same socket."""
    import socket
    import threading

    from benchmarks.server_cpu import Connection

    replies = [b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
               b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n",
               b"HTTP/1.1 429 Too Many\r\ncontent-length: 2\r\n\r\n{}"]
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            for reply in replies:
                connection.recv(1024)
                for i in range(0, len(reply), 7):  # in pieces, as a socket may deliver them
                    connection.sendall(reply[i:i + 7])

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    with listener:
        client = Connection(listener.getsockname()[1])
        try:
            assert [client.exchange(b"GET / HTTP/1.1\r\n\r\n") for _ in replies] == [
                (200, b"hello"), (200, b"abcde"), (429, b"{}")]
        finally:
            client.close()
    thread.join(5)


def test_the_median_interval_holds_the_median_and_narrows_with_more_rounds() -> None:
    from benchmarks.suite import median_interval

    assert median_interval([1.0] * 5) != median_interval([1.0] * 5)  # NaNs: too few rounds to say
    low, high = median_interval([float(i) for i in range(40)])
    wide = high - low
    assert low < 19.5 < high
    low, high = median_interval([float(i) / 4 for i in range(160)])  # the same spread, four times the rounds
    assert low < 19.875 < high and high - low < wide / 1.5


def test_a_goal_whose_interval_holds_its_limit_is_within_noise() -> None:
    from benchmarks.suite import Group, Row, goals

    def verdict(ratio: float, low: float, high: float) -> str:
        row = Row("fakeclaude in-process (generated answer)", 1.0, 1.0, 1.0, ratio, 0.9, 1.3, ratio_ci=(low, high))
        found = goals([Group("in-process", "t", "µs", "cpu", [row])])
        return next(met for goal, _, met in found if goal.startswith("fake in-process (generated)"))

    assert verdict(1.05, 1.03, 1.07) == "yes"
    assert verdict(1.09, 1.07, 1.12) == "yes (within noise)"
    assert verdict(1.12, 1.08, 1.15) == "NO (within noise)"
    assert verdict(1.15, 1.12, 1.18) == "NO"


def test_generations_cut_the_rounds_evenly() -> None:
    from benchmarks.suite import generations

    assert generations(160, 4) == [40, 40, 40, 40]
    assert generations(15, 2) == [8, 7]
    assert generations(1, 4) == [1]  # never an empty run
    assert generations(5, 1) == [5]


def test_each_generation_runs_on_fresh_workers_and_fresh_servers(tmp_path: Path) -> None:
    """A group over two generations: every case's rounds come from two worker processes, and the loopback
    servers answer the second run from new processes on new ports (a process's luck weighs on half a row)."""
    import dataclasses
    import io

    from benchmarks import suite

    settings = dataclasses.replace(suite.SMOKE, generations=2)
    canned, text = suite.prepare_canned(tmp_path)
    running = suite.RunningServers([suite.servers(text)[0]], tmp_path, canned, settings)
    cases = [suite.Case("floor: minimal aiohttp", suite.PROJECT, "loopback", server="minimal aiohttp"),
             suite.Case("A/A", suite.PROJECT, "loopback", server="minimal aiohttp")]
    workers: list[int] = []
    server_pids: list[int] = []
    urls: list[str] = []
    start = suite.Case.start

    def started(case: suite.Case, options: dict[str, object], folder: Path) -> None:
        start(case, options, folder)
        assert case.process is not None and running.servers[0].process is not None
        workers.append(case.process.pid)
        server_pids.append(running.servers[0].process.pid)
        urls.append(str(options["base_url"]))

    try:
        running.start()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(suite.Case, "start", started)
            rows = suite._run_group(cases, {"canned": str(canned), "text": text}, tmp_path, settings, 4, 1,
                                    "wall", io.StringIO(), running)
    finally:
        running.stop()
    assert [len(case.samples) for case in cases] == [4, 4]
    assert len(set(workers)) == 4  # two cases, each started twice
    assert len(set(server_pids)) == 2 and server_pids[0] == server_pids[1] != server_pids[2] == server_pids[3]
    assert urls[0] != urls[2]
    assert all(row.ratio == row.ratio for row in rows)  # figures for both rows, no NaN


def test_cold_parts_times_the_floor_the_fake_and_each_part_of_its_work() -> None:
    from benchmarks import cold_parts

    found = cold_parts.measure(1)
    labels = [label for label, _, _ in found]
    assert labels[0].startswith("floor") and len(labels) == len(set(labels)) == 9
    assert all(median > 0 for _, median, _ in found) and found[0][2] == 0.0


def test_compare_revisions_times_one_tree_in_a_process_of_its_own() -> None:
    from benchmarks import compare_revisions

    over, ratio = compare_revisions._run(compare_revisions.REPO, "scripted", 1)  # the working tree, a child process
    assert ratio > 0 and abs(ratio - 1) < 2 and over == over  # a figure, not NaN
