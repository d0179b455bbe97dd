"""JSON on the wire, for the client, the SSE codec and the fake server: compact UTF-8, fast.

``orjson`` does the work; the standard library takes over wherever orjson refuses what ``json`` accepts
(integers beyond 64 bits, ``NaN``, non-string keys, nesting beyond 1024 levels), so every caller gets the
standard library's results and errors, only sooner. Floats are written in their shortest round-trip form
(``1e-05`` becomes ``0.00001``): the same number.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

__all__ = ["dumps", "loads"]

_std_compact = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def dumps(value: Any) -> bytes:
    """``value`` as compact UTF-8 JSON (``json.dumps(value, separators=(",", ":"), ensure_ascii=False)``)."""
    try:
        return orjson.dumps(value)
    except TypeError:  # orjson.JSONEncodeError: let the standard library serialise it or say why not
        return _std_compact(value).encode()


def loads(data: bytes | bytearray | str) -> Any:
    """``json.loads(data)``: the same values, and the same exceptions for what is not JSON."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)
