"""``python -m benchmarks`` (``make bench``): the side-by-side table, written to ``benchmarks/RESULTS.md``.

``python -m benchmarks --quick`` for a shorter run, ``--smoke`` for one tiny round of everything;
``--only calls|loopback|tests|imports`` for one group (``calls`` includes ``loopback``). The older single-topic modules (``client_calls``,
``server_memory``, ``token_calibration``, ...) still run one by one: ``python benchmarks/NAME.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.suite import main

if __name__ == "__main__":
    sys.exit(main())
