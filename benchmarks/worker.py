"""``python -m benchmarks.worker CASE OPTIONS_JSON``: one case, timed on command, in its own process.

The harness starts one worker per case (in that tool's environment) and drives them all in turn over
pipes: after building the case and making one checked call (untimed), the worker prints
``{"ready": true}``; then each line ``N`` on stdin runs ``N`` calls and prints their wall-clock and
process CPU seconds as one JSON line; an empty line or end of input stops it. A worker waits on its pipe
while the others run, so cases never compete with each other for the CPU.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
import warnings


def main(argv: list[str]) -> int:
    warnings.simplefilter("ignore")
    from benchmarks.cases import CASES

    name, options = argv[0], json.loads(argv[1])
    try:
        run = CASES[name](options)
        run(1)
    except Exception as exc:  # reported to the harness, which shows it in the table
        print(json.dumps({"ready": False, "error": f"{type(exc).__name__}: {exc}",
                          "traceback": traceback.format_exc()}), flush=True)
        return 1
    print(json.dumps({"ready": True}), flush=True)
    wall, cpu = time.perf_counter, time.process_time
    for line in sys.stdin:
        if not line.strip():
            break
        n = int(line)
        start_wall, start_cpu = wall(), cpu()
        run(n)
        print(json.dumps({"wall": wall() - start_wall, "cpu": cpu() - start_cpu}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
