"""``python -m benchmarks [name ...]``: run every ``benchmarks/*.py`` module that defines ``main()``.

Modules run in name order (``client_*``, ``plugin_*``, ``server_*``, ``token_calibration``, ...), each in
a fresh interpreter (so no benchmark inherits another's imports, heap or warm caches) and printing its own
table; a summary of what ran, how long it took and whether it failed comes last. Give
module names (or prefixes such as ``client_``) to run only those. The exit status is non-zero when a module
raised or its ``main()`` returned a non-zero int.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from . import table

HERE = Path(__file__).resolve().parent


def discover(selected: list[str]) -> list[str]:
    names = sorted(p.stem for p in HERE.glob("*.py")
                   if not p.stem.startswith("_") and "\ndef main(" in p.read_text(encoding="utf-8"))
    if selected:
        names = [n for n in names if any(n == s or n.startswith(s) for s in selected)]
    return names


def main(argv: list[str] | None = None) -> int:
    selected = list(sys.argv[1:] if argv is None else argv)
    rows: list[tuple[str, str, str]] = []
    failed = False
    for name in discover(selected):
        print(f"\n=== {name} " + "=" * max(0, 70 - len(name)), flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, str(HERE / f"{name}.py")], cwd=HERE.parent)
        status = "ok" if code == 0 else f"exit {code}"
        failed = failed or code != 0
        rows.append((name, f"{time.perf_counter() - start:.1f}", status))
    if not rows:
        print(f"no benchmark module with main() matched {selected or 'anything'}")
        return 1
    print("\n=== summary " + "=" * 62)
    print(table(["module", "seconds", "status"], rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
