"""``python -m benchmarks.compare_revisions REV [--case scripted|generated] [--pairs N] [--rounds N]``.

Whether a change made the fake's in-process answer cheaper, measured the way the table measures it: in
processes of their own. The working tree and ``REV`` (checked out into a temporary git worktree) take turns,
one process each per pair; every process times the floor (the SDK on ``httpx2.MockTransport`` serving the
fake's own bytes and headers) and the fake's case in alternating batches of 50 calls on the CPU clock, and
prints the median of the paired differences (µs over the floor) and of the paired ratios.

Why processes: several fakes in one process (as ``benchmarks.cold_parts`` runs them) share caches and memory,
and two copies of the very same code in one process differed by up to 10 µs per call there, more than most
changes are worth. Each process here holds one fake; alternating the trees spreads the machine's drift over
both. Expect about ±2 µs between processes: run 5 pairs or more for a difference of a few µs.
Not run by ``make bench`` (a developer's tool); 5 pairs of 150 rounds take about 3 minutes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BATCH = 50
TEXT = "A scripted answer of a few words."
PARAMS: dict[str, Any] = {
    "model": "claude-sonnet-4-5",
    "max_tokens": 1024,
    "messages": [{"role": "user", "content": "Write a haiku about benchmarks."}],
}


def _child(case: str, rounds: int) -> str:
    """One process's figures for the ``fakeclaude`` it imports (the tree on ``PYTHONPATH``)."""
    warnings.simplefilter("ignore")  # the SDK's deprecation warning for the benchmark's model
    import anthropic
    import httpx2

    from fakeclaude.server import FakeClaude, Reply

    def fake() -> Any:
        made = FakeClaude(seed=0)
        if case == "scripted":
            made.handler(lambda request: Reply([TEXT]))
        return made

    def sdk(transport: Any) -> Any:
        return anthropic.Anthropic(api_key="bench-made-up-key", base_url="http://fake", max_retries=0,
                                   http_client=httpx2.Client(transport=transport))

    probe, seen = fake().httpx2_transport(), []

    def capture(request: Any) -> Any:
        response = probe.handle_request(request)
        response.read()
        seen.append(response)
        return response

    sdk(httpx2.MockTransport(capture)).messages.create(**PARAMS)
    headers, content = list(seen[0].headers.multi_items()), seen[0].content
    floor = sdk(httpx2.MockTransport(lambda request: httpx2.Response(200, headers=headers, content=content)))
    theirs = sdk(fake().httpx2_transport())
    for client in (floor, theirs):
        for _ in range(300):
            client.messages.create(**PARAMS)

    def batch(client: Any) -> float:
        create, start = client.messages.create, time.process_time()
        for _ in range(BATCH):
            create(**PARAMS)
        return (time.process_time() - start) / BATCH * 1e6

    over, ratios = [], []
    for _ in range(rounds):
        base, mine = batch(floor), batch(theirs)
        over.append(mine - base)
        ratios.append(mine / base)
    return f"{statistics.median(over):.2f} {statistics.median(ratios):.5f}"


def _run(tree: Path, case: str, rounds: int) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONWARNINGS": "ignore"}
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", case, str(rounds)],
                         env=env, cwd=tempfile.gettempdir(), capture_output=True, text=True, check=True)
    over, ratio = out.stdout.split()[-2:]
    return float(over), float(ratio)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        print(_child(argv[1], int(argv[2])))
        return 0
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compare_revisions", description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the revision to compare the working tree with (e.g. HEAD~1)")
    parser.add_argument("--case", choices=["scripted", "generated"], default="scripted")
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=150)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="fakeclaude-rev-") as folder:
        old = Path(folder) / "tree"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(old), args.rev], check=True)
        try:
            figures: dict[str, list[tuple[float, float]]] = {args.rev: [], "working tree": []}
            for _ in range(args.pairs):
                figures[args.rev].append(_run(old, args.case, args.rounds))
                figures["working tree"].append(_run(REPO, args.case, args.rounds))
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(old)], check=False)
    print(f"| {args.case} fake, {args.pairs} processes each of {args.rounds} rounds | µs over the floor "
          "(mean of the processes' medians) | ratio to the floor | each process (µs over) |")
    print("| --- | ---: | ---: | --- |")
    for label, rows in figures.items():
        overs = [over for over, _ in rows]
        print(f"| {label} | {statistics.mean(overs):.1f} | {statistics.mean(r for _, r in rows):.4f} | "
              f"{', '.join(f'{over:.1f}' for over in overs)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
