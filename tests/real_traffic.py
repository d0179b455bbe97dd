"""Where the real recorded API traffic lives (``../shared/real-traffic``) and the one loader of it.

Not a test module: the tests that check the fake, the client and the wire model against real traffic
import from here. The recordings live beside the repository, not in it; ``absent_reason`` says so
for a skip when they are missing.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REAL_TRAFFIC = SHARED / "real-traffic"
INTERACTIONS = REAL_TRAFFIC / "interactions.jsonl.gz"
TOKEN_PAIRS = REAL_TRAFFIC / "token-pairs.jsonl"
CASSETTES = REAL_TRAFFIC / "cassettes"


def absent_reason(path: Path = INTERACTIONS) -> str:
    return f"real-traffic recordings not found at {path} (they live beside the repository, not in it)"


@cache
def _lines() -> tuple[str, ...]:
    with gzip.open(INTERACTIONS, "rt", encoding="utf-8") as handle:
        return tuple(line for line in handle if line.strip())


def interactions() -> Iterator[dict[str, Any]]:
    """Every recorded interaction in file order, each a fresh dict (read from disk once per process)."""
    for line in _lines():
        yield json.loads(line)
