"""``python -m benchmarks.instructions [N]``: machine instructions per in-process call, counted by callgrind.

Timings on this shared 2-core machine move by +-30 % with the other sessions' load; instruction counts do
not. This runs the in-process cases of the table (the floor, the fake's generated answer, its scripted
handler, a new prompt on every call, its cassette replay; the floor's stream and the fake's) in one process under ``valgrind --tool=callgrind`` with
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
#: ``(name, case, call)``: the in-process cases of the table; each ``stream`` one is compared with the floor's stream.
MODES = (("floor", "floor", "create"), ("fake", "fake", "create"), ("fake_scripted", "fake_scripted", "create"),
         ("fake_new_prompts", "fake_new_prompts", "create"), ("replay", "replay", "create"),
         ("floor_stream", "floor", "stream"), ("fake_stream", "fake", "stream"),
         ("floor_simple", "floor_simple", "create"), ("floor_engine", "floor_engine", "create"))


def _inside(n: int) -> None:
    """Run under callgrind: warm every case, then count each one's ``n`` calls in its own dump."""
    warnings.simplefilter("ignore")  # the SDK's deprecation warning for the benchmark's model
    sys.path.insert(0, str(ROOT))
    from benchmarks import suite
    from benchmarks.cases import CASES

    canned, _ = suite.prepare_canned(Path(tempfile.mkdtemp(prefix="bench-instructions-")))
    runs: dict[str, Any] = {name: CASES[case]({"canned": str(canned), "call": call}) for name, case, call in MODES}
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


def counted(n: int) -> dict[str, float]:
    """Instructions per call of every mode in :data:`MODES`, ``n`` calls each (raises OSError without valgrind)."""
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        raise OSError("benchmarks.instructions needs valgrind (apt install valgrind)")
    with tempfile.TemporaryDirectory(prefix="callgrind-") as out:
        base = Path(out) / "cg.out"
        subprocess.run(["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={base}",
                        sys.executable, "-m", "benchmarks.instructions", "--inside", str(n)],
                       check=True, cwd=ROOT, capture_output=True)
        counts: dict[str, float] = {}
        for dump in sorted(Path(out).glob("cg.out.*")):
            text = dump.read_text(encoding="utf-8", errors="replace")
            trigger, total = re.search(r"^desc: Trigger: dump (\S+)", text, re.M), re.search(r"^totals: (\d+)", text, re.M)
            if trigger and total:
                counts[trigger.group(1)] = int(total.group(1)) / n
    return counts


def ratios(counts: dict[str, float]) -> list[tuple[str, float, float]]:
    """``(mode, instructions per call, ratio to its floor)`` in :data:`MODES` order."""
    return [(name, counts[name], counts[name] / counts["floor_stream" if call == "stream" else "floor"])
            for name, _, call in MODES]


#: What each mode of the section is, in the table's words.
LABELS = {"floor": "floor: SDK on httpx2.MockTransport (canned bytes)", "fake": "fakeclaude in-process (generated answer)",
          "fake_scripted": "fakeclaude in-process (scripted handler)",
          "fake_new_prompts": "fakeclaude in-process (a new prompt every call)", "replay": "fakeclaude cassette replay",
          "floor_stream": "floor: SDK on httpx2.MockTransport (canned SSE), stream",
          "fake_stream": "fakeclaude in-process, stream",
          "floor_simple": "the floor + a small loop of as many instructions (cold-cache check)",
          "floor_engine": "the floor + the fake's engine answering the same request (cold-cache check)"}
CALLS = {"full": 200, "quick": 50}


def section(mode: str, log: Any) -> Any:
    """The RESULTS.md section: instructions per in-process call and their ratios (not run in smoke mode)."""
    from benchmarks.long_runs import Section

    head = ["## Instructions: the in-process cases counted by callgrind", "",
            "Load-independent: machine instructions per call (`valgrind --tool=callgrind`, instrumentation on only "
            "around each case's calls, all cases in one process), the same cases as the in-process tables. A ratio "
            "of instructions is a lower bound of the ratio of times: see *Why time ratios sit above instruction "
            "ratios* below.", ""]
    if mode not in CALLS:
        return Section("instructions", "\n".join([*head, f"Not run in {mode} mode."]))
    n = CALLS[mode]
    print(f"instructions: {len(MODES)} cases x {n} calls under callgrind ...", file=log, flush=True)
    try:
        rows = ratios(counted(n))
    except (OSError, subprocess.CalledProcessError, KeyError) as exc:
        return Section("instructions", "\n".join([*head, f"Not measured: {exc}."]))
    lines = [*head, f"`python -m benchmarks.instructions {n}`:", "", "| case | instructions per call | ratio to its floor |",
             "| --- | ---: | ---: |"]
    lines += [f"| {LABELS[name]} | {count / 1e6:.3f} M | {ratio:.3f}x |" for name, count, ratio in rows]
    return Section("instructions", "\n".join(lines))


def main(argv: list[str]) -> int:
    if argv[:1] == ["--inside"]:
        _inside(int(argv[1]))
        return 0
    n = int(argv[0]) if argv else 200
    try:
        counts = counted(n)
    except OSError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"instructions per call, {n} calls each (callgrind; a stream is messages.stream() + get_final_message()):")
    for name, per_call, ratio in ratios(counts):
        print(f"  {name:18} {per_call / 1e6:6.3f} M   {ratio:5.3f}x the floor")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
