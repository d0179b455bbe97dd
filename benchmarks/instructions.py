"""``python -m benchmarks.instructions [N]``: machine instructions per in-process call, counted by callgrind.

Timings on this shared 2-core machine move by +-30 % with the other sessions' load; instruction counts do
not. This runs the in-process cases of the table (the floor, the fake's generated answer, its scripted
handler, a new prompt on every call) in one process under ``valgrind --tool=callgrind`` with
instrumentation switched on only around each case's ``N`` calls (``callgrind_control -i on`` / ``-i off``,
one dump per case), and prints instructions per call and the ratio to the floor. A ratio of instruction
counts is a lower bound of the ratio of times: the fake's extra code also costs cache misses that the
floor's does not. Needs valgrind (``apt install valgrind``); a run of N=200 takes about a minute.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MODES = ("floor", "fake", "fake_scripted", "fake_new_prompts")


def _inside(n: int) -> None:
    """Run under callgrind: warm every case, then count each one's ``n`` calls in its own dump."""
    warnings.simplefilter("ignore")  # the SDK's deprecation warning for the benchmark's model
    sys.path.insert(0, str(ROOT))
    from benchmarks import suite
    from benchmarks.cases import CASES

    canned, _ = suite.prepare_canned(Path(tempfile.mkdtemp(prefix="bench-instructions-")))
    runs: dict[str, Any] = {mode: CASES[mode]({"canned": str(canned), "call": "create"}) for mode in MODES}
    for run in runs.values():
        run(50)

    def control(*args: str) -> None:
        subprocess.run(["callgrind_control", *args, str(os.getpid())], check=True, capture_output=True)

    for mode, run in runs.items():
        control("-z")
        control("-i", "on")
        run(n)
        control("-i", "off")
        control("-d", mode)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--inside"]:
        _inside(int(argv[1]))
        return 0
    n = int(argv[0]) if argv else 200
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        print("benchmarks.instructions needs valgrind (apt install valgrind)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="callgrind-") as out:
        base = Path(out) / "cg.out"
        subprocess.run(["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={base}",
                        sys.executable, "-m", "benchmarks.instructions", "--inside", str(n)],
                       check=True, cwd=ROOT, capture_output=True)
        counts: dict[str, int] = {}
        for dump in sorted(Path(out).glob("cg.out.*")):
            text = dump.read_text(encoding="utf-8", errors="replace")
            trigger, total = re.search(r"^desc: Trigger: dump (\S+)", text, re.M), re.search(r"^totals: (\d+)", text, re.M)
            if trigger and total:
                counts[trigger.group(1)] = int(total.group(1))
    floor = counts["floor"] / n
    print(f"instructions per messages.create, {n} calls each (callgrind):")
    for mode in MODES:
        per_call = counts[mode] / n
        print(f"  {mode:18} {per_call / 1e6:6.3f} M   {per_call / floor:5.3f}x the floor")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
