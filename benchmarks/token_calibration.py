"""Token heuristic vs real usage, in and out of sample: fit the constants on some pairs, score the rest.

The pairs are every open (request, real input tokens) pair in ``../shared/real-traffic``
(``benchmarks/token_pairs.py``). The fitted constants are the additive ones of
``fakeclaude.server.tokens._families.Family`` named in :data:`PARAMS` (tool-use prompts, framing, the
tool round trip...): the heuristic is linear in each, so a pair's estimate under other values is its
estimate now plus ``uses x change`` (``uses`` measured once per pair by nudging the constant), and the
value minimising the summed relative error over the training pairs is a weighted median (exact).
Family-wide constants are fitted per family where the training pairs hold at least ``MIN_USES`` pairs
using them (else the shipped value stays: a fact from the docs or a sibling family); shared constants
take one value for every family.

Reported per family group (claude-3, 3.5, 4, 4.5, 5), median and 90th percentile of
``|estimate - recorded| / recorded``:

* ``shipped``: the constants in the module today, on every pair (partly in sample: they were fitted on
  these pairs);
* ``random in`` / ``random out``: ``SPLITS`` random 70/30 splits, the errors on the training / test pairs
  pooled over the splits;
* ``project out``: leave one recording project out, fitted on all the others, pooled.

Run: ``.venv/bin/python benchmarks/token_calibration.py`` (``--fit`` also prints the constants fitted
on every pair, the values to ship).
"""

from __future__ import annotations

import math
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import table
from benchmarks.token_pairs import Pair, open_pairs
from fakeclaude.server.catalog import resolve_model
from fakeclaude.server.tokens import (
    _families,
    count_request_tokens,
    count_text_tokens,
    iterations_input_tokens,
)

__all__ = [
    "PARAMS",
    "Row",
    "design",
    "fit",
    "group_of",
    "leave_one_project_out",
    "predict",
    "quantile",
    "random_splits",
    "relative_error",
    "summarize",
]

#: ``(Family field, per-family?)``: the constants the calibration fits.
PARAMS: tuple[tuple[str, bool], ...] = (
    ("base", True),
    ("per_message", False),
    ("system", False),
    ("tool_auto", True),
    ("tool_any", True),
    ("per_tool", False),
    ("round_trip", False),
    ("thinking", True),
    ("adaptive", False),
    ("no_parallel", False),
)
MIN_USES = 20
SPLITS = 5
_NUDGE = 1000


def group_of(family: str) -> str:
    """The report's family group: claude-3, claude-3.5, claude-4, claude-4.5 or claude-5."""
    if family.startswith(("claude-3-5", "claude-3-7")):
        return "claude-3.5"
    if family.startswith(("claude-3", "claude-2")):
        return "claude-3"
    return {"claude-4": "claude-4", "claude-4-5": "claude-4.5"}.get(family, "claude-5")


@dataclass(frozen=True)
class Row:
    """One pair ready to fit: its estimate with the shipped constants, and how often each constant counts."""

    project: str
    family: str
    recorded: int
    estimate: float
    uses: Mapping[str, float]  # ``param -> uses`` (estimate rises by ``uses`` per unit of the constant)


def relative_error(estimate: float, recorded: int) -> float:
    """``|estimate - recorded| / recorded``."""
    return abs(estimate - recorded) / recorded


def quantile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (nearest rank) of ``values``; NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


@contextmanager
def _nudged(param: str, families: Iterable[str], by: int) -> Iterator[None]:
    saved = dict(_families.FAMILIES)
    try:
        for name in families:
            fam = _families.FAMILIES[name]
            _families.FAMILIES[name] = replace(fam, **{param: getattr(fam, param) + by})
        yield
    finally:
        _families.FAMILIES.clear()
        _families.FAMILIES.update(saved)


def _estimates(pairs: Sequence[Pair]) -> list[int]:
    out = []
    for pair in pairs:
        spec = resolve_model(pair.model)
        assert spec is not None
        out.append(iterations_input_tokens(count_request_tokens(pair.request, spec), pair.answer, spec))
    return out


def design(pairs: Sequence[Pair]) -> list[Row]:
    """Rows for ``pairs``: the shipped estimate and, per param, the estimate's rise per unit of it."""
    base = _estimates(pairs)
    uses: list[dict[str, float]] = [{} for _ in pairs]
    for param, _ in PARAMS:
        with _nudged(param, _families.FAMILIES, _NUDGE):
            nudged = _estimates(pairs)
        for i, (a, b) in enumerate(zip(base, nudged, strict=True)):
            if b != a:
                uses[i][param] = (b - a) / _NUDGE
    return [Row(p.project, p.family, p.recorded, e, u) for p, e, u in zip(pairs, base, uses, strict=True)]


Values = dict[tuple[str, str], float]  # ``(param, family) -> value``


def shipped_values(families: Iterable[str]) -> Values:
    """The module's constants for ``families``, as fit's starting point."""
    fams = _families.FAMILIES
    return {(p, f): float(getattr(fams[f], p)) for p, _ in PARAMS for f in families if f in fams}


def predict(row: Row, values: Values, start: Values) -> float:
    """``row``'s estimate when the constants are ``values`` instead of ``start``."""
    return row.estimate + sum(
        k * (values[(p, row.family)] - start[(p, row.family)]) for p, k in row.uses.items()
    )


def _weighted_median(points: list[tuple[float, float]]) -> float:
    points.sort()
    half = sum(w for _, w in points) / 2
    acc = 0.0
    for x, w in points:
        acc += w
        if acc >= half:
            return x
    return points[-1][0]


def fit(rows: Sequence[Row], *, sweeps: int = 3) -> tuple[Values, Values]:
    """Constants minimising ``sum(relative_error)`` over ``rows`` (coordinate descent, exact per constant).

    Returns ``(fitted, start)``; ``predict(row, fitted, start)`` is a row's estimate under the fit.
    """
    families = sorted({r.family for r in rows} | set(_families.FAMILIES))
    start = shipped_values(families)
    values = dict(start)
    for _ in range(sweeps):
        for param, per_family in PARAMS:
            groups: Mapping[str, Sequence[str]] = (
                {f: [f] for f in families} if per_family else {"*": families}
            )
            for fams in groups.values():
                using = [r for r in rows if r.family in fams and r.uses.get(param)]
                if len(using) < MIN_USES:
                    continue
                points = []
                for r in using:
                    k = r.uses[param]
                    rest = predict(r, values, start) - k * values[(param, r.family)]
                    points.append(((r.recorded - rest) / k, k / r.recorded))
                best = float(round(_weighted_median(points)))
                for f in fams:
                    values[(param, f)] = best
    return values, start


def random_splits(
    rows: Sequence[Row], *, splits: int = SPLITS, test_share: float = 0.3, seed: int = 0
) -> Iterator[tuple[list[Row], list[Row]]]:
    """``(train, test)`` for ``splits`` random splits of ``rows`` (seeded, so the report repeats)."""
    rng = random.Random(seed)
    for _ in range(splits):
        order = list(rows)
        rng.shuffle(order)
        cut = round(len(order) * test_share)
        yield order[cut:], order[:cut]


def leave_one_project_out(rows: Sequence[Row]) -> Iterator[tuple[list[Row], list[Row]]]:
    """``(train, test)`` per recording project: its pairs are the test, every other project's the training."""
    for project in sorted({r.project for r in rows}):
        yield [r for r in rows if r.project != project], [r for r in rows if r.project == project]


Errors = dict[str, list[float]]  # family group -> relative errors


def _errors(scored: Iterable[tuple[Row, float]]) -> Errors:
    out: Errors = defaultdict(list)
    for r, estimate in scored:
        e = relative_error(estimate, r.recorded)
        out[group_of(r.family)].append(e)
        out["all"].append(e)
    return out


def cross_validate(splits: Iterable[tuple[list[Row], list[Row]]]) -> tuple[Errors, Errors]:
    """Pooled in-sample and out-of-sample errors over ``splits``."""
    inside: Errors = defaultdict(list)
    outside: Errors = defaultdict(list)
    for train, test in splits:
        values, start = fit(train)
        for pooled, rows in ((inside, train), (outside, test)):
            scored = [(r, predict(r, values, start)) for r in rows]
            for group, errs in _errors(scored).items():
                pooled[group].extend(errs)
    return inside, outside


def summarize(columns: Mapping[str, Errors]) -> list[list[str]]:
    """Table rows: per group, ``n`` then ``median / p90`` (in %) of every column."""
    groups = [*sorted({g for errs in columns.values() for g in errs if g != "all"}), "all"]
    first = next(iter(columns.values()))
    out = []
    for g in groups:
        cells = [g, str(len(first.get(g, [])))]
        for errs in columns.values():
            e = errs.get(g, [])
            cells.append(f"{quantile(e, 0.5):.1%} / {quantile(e, 0.9):.1%}" if e else "-")
        out.append(cells)
    return out


def _timed(fn: Callable[[str], int], text: str) -> float:
    start = time.perf_counter()
    fn(text)
    return (time.perf_counter() - start) * 1000


def main() -> int:
    pairs = open_pairs()
    if not pairs:
        print("skipped: ../shared/real-traffic not found (the shared recordings are absent)")
        return 0
    rows = design(pairs)
    shipped = _errors((r, r.estimate) for r in rows)
    rand_in, rand_out = cross_validate(random_splits(rows))
    _, project_out = cross_validate(leave_one_project_out(rows))
    columns = {"shipped": shipped, "random in": rand_in, "random out": rand_out, "project out": project_out}
    print(f"{len(rows)} pairs from {len({r.project for r in rows})} projects; median / p90 relative error")
    print(table(["group", "n", *columns], summarize(columns)))
    if "--fit" in sys.argv:
        values, start = fit(rows)
        changed = sorted((k, v) for k, v in values.items() if v != start[k])
        print("\nfitted on every pair (param, family: shipped -> fitted):")
        for (param, family), value in changed:
            print(f"  {param:<12}{family:<20}{start[(param, family)]:>7.0f} -> {value:.0f}")
    text = ("The quick brown fox jumps over the lazy dog, 1234 times!\n" * 1800)[:100_000]
    n = count_text_tokens(text)
    best = min(_timed(count_text_tokens, text) for _ in range(5))
    print(f"\ncount_text_tokens, 100 KB of English: {n} tokens, best of 5 {best:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
