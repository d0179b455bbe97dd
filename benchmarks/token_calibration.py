"""Token heuristic vs real usage: per model family, n, median and p90 relative error.

Compares ``count_request_tokens`` with the input tokens the real API reported (input + cache creation
+ cache read) on ``../shared/real-traffic/token-pairs.jsonl``, plus the count_tokens examples of
``real-traffic-facts.md`` 3.5. Run: ``.venv/bin/python benchmarks/token_calibration.py``.
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fakeclaude.server.catalog import resolve_model
from fakeclaude.server.tokens import count_request_tokens, count_text_tokens

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PAIRS = SHARED / "real-traffic" / "token-pairs.jsonl"

# (model, body, recorded count_tokens answer) from real-traffic-facts.md 3.5.
_Q = [{"role": "user", "content": "What is the capital of France?"}]
_TOOL = {"name": "get_weather", "description": "Get the weather for a city.",
         "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}  # fmt: skip
FACT_EXAMPLES: list[tuple[str, dict[str, Any], int]] = [
    ("claude-haiku-4-5", {"messages": _Q}, 14),
    ("claude-haiku-4-5", {"messages": _Q, "thinking": {"type": "enabled", "budget_tokens": 2048}}, 43),
    (
        "claude-haiku-4-5",
        {
            "messages": _Q,
            "thinking": {"type": "enabled", "budget_tokens": 2048},
            "system": [{"type": "text", "text": "Be terse."}],
            "tools": [_TOOL],
        },
        588,
    ),
    ("claude-sonnet-5", {"messages": [{"role": "user", "content": "What's the current date?"}]}, 12),
    (
        "claude-sonnet-5",
        {
            "messages": [{"role": "user", "content": "What's the current date?"}],
            "system": "Answer succinctly",
        },
        20,
    ),
]


def recorded_input(usage: Mapping[str, Any]) -> int:
    """Input + cache creation + cache read tokens of a recorded ``usage``."""
    keys = ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")
    return sum(int(usage.get(k) or 0) for k in keys)


def pairs(path: Path = PAIRS) -> Iterator[tuple[str, Mapping[str, Any], int]]:
    """``(model, request, recorded input tokens)`` for every pair whose model the catalogue knows."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            model = rec.get("response_model") or rec["request"]["model"]
            yield model, rec["request"], recorded_input(rec["usage"])


def relative_errors(path: Path = PAIRS) -> dict[str, list[float]]:
    """Per family, ``|estimate - recorded| / recorded`` of every pair."""
    out: dict[str, list[float]] = defaultdict(list)
    for model, request, recorded in pairs(path):
        spec = resolve_model(model)
        if spec is None or recorded <= 0:
            continue
        out[spec.family].append(abs(count_request_tokens(request, spec) - recorded) / recorded)
    return dict(out)


def quantile(values: list[float], q: float) -> float:
    """The ``q`` quantile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _timed(fn: Callable[[str], int], text: str) -> float:
    start = time.perf_counter()
    fn(text)
    return (time.perf_counter() - start) * 1000


def main() -> int:
    if not PAIRS.exists():
        print(f"skipped: {PAIRS} not found (the shared real-traffic folder is absent)")
        return 0
    errors = relative_errors()
    print(f"{'family':<20}{'n':>5}{'median':>9}{'p90':>9}")
    for family, errs in sorted(errors.items()):
        print(f"{family:<20}{len(errs):>5}{quantile(errs, 0.5):>9.1%}{quantile(errs, 0.9):>9.1%}")
    every = [e for errs in errors.values() for e in errs]
    print(f"{'all':<20}{len(every):>5}{quantile(every, 0.5):>9.1%}{quantile(every, 0.9):>9.1%}")
    print("\ncount_tokens examples (real-traffic-facts 3.5): model, recorded, estimate")
    for model, body, recorded in FACT_EXAMPLES:
        spec = resolve_model(model)
        assert spec is not None
        print(f"  {model:<18}{recorded:>6}{count_request_tokens(body, spec):>6}")
    text = ("The quick brown fox jumps over the lazy dog, 1234 times!\n" * 1800)[:100_000]
    n = count_text_tokens(text)
    best = min(_timed(count_text_tokens, text) for _ in range(5))
    print(
        f"\ncount_text_tokens, 100 KB of English: {n} tokens, best of 5 {best:.1f} ms ({len(text) / n:.2f} chars/token)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
