"""The long forms of ``make bench`` (issue #14 section 2): the soak runs and the xdist scaling, as RESULTS.md sections.

They run after the ratio table, each bounded in time and count and stopping by itself:

- ``soak``: ``benchmarks/soak.py``'s three runs (streaming clients on ``fakeclaude serve``, simultaneous
  connections, varied in-process requests); the full run uses the soak's own bounds (``SOAK_*``);
- ``scaling``: ``benchmarks/xdist_replay.py``'s replay-only suite over 1, 2, 4 xdist workers and two execnet
  socket "hosts"; the full run stops starting runs at its ``XDIST_MAX_SECONDS``.

``--quick`` and ``--smoke`` shrink both (:data:`SOAK_BOUNDS`, :data:`SCALING_BOUNDS`). Each section says
what ran, under which bound, whether it stopped on its count or on its time bound, and the figures.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

__all__ = ["SCALING_BOUNDS", "SOAK_BOUNDS", "ScalingBounds", "Section", "SoakBounds", "scaling_section",
           "soak_section"]


@dataclass(frozen=True)
class Section:
    """A RESULTS.md section of its own: a key for ``--only``, and its Markdown (its ``##`` heading first)."""

    key: str
    text: str


@dataclass(frozen=True)
class SoakBounds:
    """The soak's counts and time bounds: streaming clients for seconds, connections, in-process requests."""

    clients: int
    seconds: float
    connections: int
    requests: int
    max_seconds: float


@dataclass(frozen=True)
class ScalingBounds:
    """The scaling run: N tests, the xdist worker counts, the remote-host row, the whole and per-run bounds,
    and whether pytest runs lean (no plugin autoloading: only xdist and fakeclaude's plugin)."""

    tests: int
    workers: tuple[int, ...]
    remote: bool
    max_seconds: float
    run_timeout: float
    lean: bool = False


def _full_soak() -> SoakBounds:
    from benchmarks import soak

    return SoakBounds(soak.CLIENTS, soak.SECONDS, soak.CONNECTIONS, soak.REQUESTS, soak.MAX_SECONDS)


def _full_scaling() -> ScalingBounds:
    from benchmarks import xdist_replay

    return ScalingBounds(1000, xdist_replay.WORKERS, True, xdist_replay.MAX_SECONDS, xdist_replay.TIMEOUT)


#: Per mode (``Settings.name``): the full run takes the soak's own bounds (``SOAK_*`` environment variables).
SOAK_BOUNDS: dict[str, Callable[[], SoakBounds]] = {
    "full": _full_soak,
    "quick": lambda: SoakBounds(clients=20, seconds=10, connections=100, requests=20_000, max_seconds=30),
    "smoke": lambda: SoakBounds(clients=2, seconds=2, connections=10, requests=1_000, max_seconds=10),
}
#: Per mode: the full run is ``xdist_replay``'s own (1,000 tests, 1/2/4 workers and two hosts, its MAX_SECONDS,
#: every installed pytest plugin loaded as in a user's environment); the short ones run pytest lean.
SCALING_BOUNDS: dict[str, Callable[[], ScalingBounds]] = {
    "full": _full_scaling,
    "quick": lambda: ScalingBounds(tests=100, workers=(1, 2, 4), remote=True, max_seconds=90, run_timeout=120,
                                   lean=True),
    "smoke": lambda: ScalingBounds(tests=5, workers=(1, 2), remote=False, max_seconds=60, run_timeout=120, lean=True),
}
#: What a long run may fail with (a server that does not start, a pytest run that fails or times out):
#: reported in its section instead of ending the whole benchmark.
_FAILURES = (RuntimeError, OSError, SystemExit, subprocess.TimeoutExpired)


def _md_table(headers: list[str], rows: list[tuple[str, ...]]) -> list[str]:
    return [f"| {' | '.join(headers)} |", "| --- |" + " ---: |" * (len(headers) - 1),
            *(f"| {' | '.join(row)} |" for row in rows)]


# ----- soak ---------------------------------------------------------------------------------------------
def _value(rows: list[tuple[str, str, str]], measure: str) -> str:
    return next((value for _, m, value in rows if m == measure), "")


def soak_section(mode: str, log: IO[str]) -> Section:
    """The three soak runs at ``mode``'s bounds, one after the other, progress on ``log``."""
    from benchmarks import soak

    bounds = SOAK_BOUNDS[mode]()
    soak.raise_file_limit(bounds.connections)

    def say(line: str) -> None:
        print(line, file=log, flush=True)

    runs: list[tuple[str, str, Callable[[], list[tuple[str, str, str]]], Callable[[list[tuple[str, str, str]]], str]]] = [
        ("streaming", f"{bounds.clients:,} clients for {bounds.seconds:.0f} s",
         lambda: soak.streaming_rows(bounds.clients, bounds.seconds),
         lambda rows: f"its time bound ({bounds.seconds:.0f} s; streams under way then finish)"),
        ("connections", f"{bounds.connections:,} sockets, answers read for at most 120 s",
         lambda: soak.connection_rows(bounds.connections),
         lambda rows: "its count (every socket answered)" if _value(rows, "answered / errors").endswith(" / 0")
         else "its 120 s read bound (some sockets unanswered: see errors)"),
        ("in-process", f"{bounds.requests:,} requests, at most {bounds.max_seconds:.0f} s",
         lambda: soak.in_process_rows(bounds.requests, bounds.max_seconds, progress=say),
         lambda rows: "its time bound" if "stopped at the time bound" in rows[0][0] else "its count"),
    ]
    summary: list[tuple[str, ...]] = []
    figures: list[tuple[str, str, str]] = []
    for name, bound, run, stopped in runs:
        say(f"soak: {name}, {bound} ...")
        start = time.perf_counter()
        try:
            rows = run()
        except _FAILURES as exc:
            summary.append((name, bound, f"did not run: {exc}", f"{time.perf_counter() - start:.0f} s"))
            continue
        summary.append((name, bound, stopped(rows), f"{time.perf_counter() - start:.0f} s"))
        figures += rows
    lines = [
        "## Soak: streaming clients, simultaneous connections, varied in-process requests",
        "",
        f"The long form of issue #14 section 2 (`benchmarks/soak.py`, {mode} bounds), after the table: "
        "`fakeclaude serve` in its own process on 127.0.0.1 for the first two runs, one `FakeClaude` in the "
        "harness's process for the third. Each run is bounded in time and count and stops by itself.",
        "",
        *_md_table(["run", "bound", "stopped on", "took"], summary),
        "",
        *_md_table(["case", "measure", "value"], figures),
    ]
    return Section("soak", "\n".join(lines))


# ----- scaling ------------------------------------------------------------------------------------------
def scaling_section(mode: str, log: IO[str]) -> Section:
    """The replay suite over xdist workers at ``mode``'s bounds, a line per run on ``log``."""
    from benchmarks import xdist_replay

    bounds = SCALING_BOUNDS[mode]()
    hosts = f" and {xdist_replay.REMOTE_WORKERS} execnet socket hosts" if bounds.remote else ""
    what = f"{bounds.tests:,} tests over {', '.join(map(str, bounds.workers))} workers{hosts}"
    print(f"scaling: {what} (at most {bounds.max_seconds:.0f} s) ...", file=log, flush=True)
    lines = [
        "## Scaling: a replay-only suite over pytest-xdist workers",
        "",
        f"`benchmarks/xdist_replay.py` ({mode} bounds): {what}; each test replays its own cassette through the "
        "official SDK with `--claude-record-mode=none`. Bound: no run starts after "
        f"{bounds.max_seconds:.0f} s, each pytest run at most {bounds.run_timeout:.0f} s."
        + (" Lean pytest (no plugin autoloading: only xdist and fakeclaude's plugin), so F is smaller than in "
           "an environment that loads every installed plugin." if bounds.lean else ""),
        "",
    ]
    try:
        result = xdist_replay.measure(bounds.tests, workers=bounds.workers, remote=bounds.remote,
                                      max_seconds=bounds.max_seconds, timeout=bounds.run_timeout, lean=bounds.lean,
                                      progress=lambda line: print(line, file=log, flush=True))
    except _FAILURES as exc:
        return Section("scaling", "\n".join([*lines, f"Did not run: {str(exc)[-1500:]}"]))
    stopped = (f"its time bound (not run: {', '.join(result.skipped)})" if result.skipped
               else f"its count (all {len(result.rows)} runs)")
    lines += [f"Stopped on {stopped}, after {result.seconds:.0f} s; load average {result.load:.1f} at its start.", ""]
    lines += _md_table(["workers", "wall s", "tests/s", "speed-up", "fixed cost F s", "per test ms"],
                       [(row.label, f"{row.wall:.1f}", f"{row.n / row.wall:.1f}", f"{row.speed_up:.2f}x",
                         f"{row.fixed:.1f}", f"{row.per_test_ms:.2f}") for row in result.rows])
    return Section("scaling", "\n".join(lines))
