"""Benchmarks. ``python -m benchmarks`` (``make bench``) runs the side-by-side table (``suite.py``), then the
soak and xdist scaling runs (``long_runs.py``), and writes ``RESULTS.md``; the single-topic modules here
(``client_calls``, ``server_memory``, ...) each run on their own as ``python benchmarks/NAME.py``.

Shared helpers for them: :func:`interleaved` (alternating batches, median per call), :func:`paired_ratio`
(the median of per-round ratios, which a noisy machine disturbs least) and :func:`table`.
"""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable, Sequence

__all__ = ["interleaved", "interleaved_samples", "paired_ratio", "stop_process", "table"]


def interleaved(
    contenders: Sequence[Callable[[int], None]], *, batch: int, rounds: int, warmup: int
) -> list[float]:
    """Median seconds per call of each contender, timed in alternating batches (see ``interleaved_samples``)."""
    samples = interleaved_samples(contenders, batch=batch, rounds=rounds, warmup=warmup)
    return [statistics.median(s) for s in samples]


def paired_ratio(ours: Sequence[float], theirs: Sequence[float]) -> float:
    """The median over rounds of ``ours / theirs``: each round's two batches ran back to back, so a slow
    spell of the machine (this VM's neighbours move timings by +-30 %) weighs on both sides of a ratio."""
    return statistics.median(a / b for a, b in zip(ours, theirs, strict=True))


def interleaved_samples(
    contenders: Sequence[Callable[[int], None]], *, batch: int, rounds: int, warmup: int
) -> list[list[float]]:
    """Seconds per call of each contender in each round, timed in alternating batches.

    Each contender is ``run(n)``, performing ``n`` calls. After ``warmup`` calls each, every round times one
    batch of each contender, the order reversed on every other round so neither always goes first.
    """
    for run in contenders:
        run(warmup)
    samples: list[list[float]] = [[] for _ in contenders]
    order = list(range(len(contenders)))
    for round_ in range(rounds):
        for i in order if round_ % 2 == 0 else reversed(order):
            start = time.perf_counter()
            contenders[i](batch)
            samples[i].append((time.perf_counter() - start) / batch)
    return samples


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Columns padded to their widest cell; the first column left-aligned, the others right-aligned."""
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])


def stop_process(process: subprocess.Popen[bytes] | subprocess.Popen[str], *, terminate: bool = True) -> None:
    """Stop a child the harness started: ``terminate`` it (unless told it is already asked to end), give it
    10 s, then kill it."""
    if terminate and process.poll() is None:
        process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)
