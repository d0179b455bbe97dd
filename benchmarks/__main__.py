"""``python -m benchmarks [name ...]``: run every ``benchmarks/*.py`` module that defines ``main()``.

Modules run in name order (``client_*``, ``plugin_*``, ``server_*``, ``token_calibration``, ...), each
printing its own table; a summary of what ran, how long it took and whether it failed comes last. Give
module names (or prefixes such as ``client_``) to run only those. The exit status is non-zero when a module
raised or its ``main()`` returned a non-zero int.
"""

from __future__ import annotations

import importlib
import sys
import time
import traceback
from pathlib import Path

from . import table

HERE = Path(__file__).resolve().parent


def discover(selected: list[str]) -> list[str]:
    names = sorted(p.stem for p in HERE.glob("*.py") if not p.stem.startswith("_"))
    if selected:
        names = [n for n in names if any(n == s or n.startswith(s) for s in selected)]
    return names


def main(argv: list[str] | None = None) -> int:
    selected = list(sys.argv[1:] if argv is None else argv)
    sys.path.insert(0, str(HERE.parent))  # benchmarks import the project from its checkout
    rows: list[tuple[str, str, str]] = []
    failed = False
    for name in discover(selected):
        module = importlib.import_module(f"{__package__ or 'benchmarks'}.{name}")
        entry = getattr(module, "main", None)
        if not callable(entry):
            continue
        print(f"\n=== {name} " + "=" * max(0, 70 - len(name)), flush=True)
        start = time.perf_counter()
        try:
            saved_argv, sys.argv = sys.argv, [f"benchmarks/{name}.py"]
            try:
                code = entry()
            finally:
                sys.argv = saved_argv
            status = "ok" if not code else f"exit {code}"
        except Exception:
            traceback.print_exc()
            status = "error"
        failed = failed or status != "ok"
        rows.append((name, f"{time.perf_counter() - start:.1f}", status))
        sys.stdout.flush()
    if not rows:
        print(f"no benchmark module with main() matched {selected or 'anything'}")
        return 1
    print("\n=== summary " + "=" * 62)
    print(table(["module", "seconds", "status"], rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
