"""JSON on the wire, for the client, the SSE codec and the fake server: compact UTF-8, fast.

``jiter`` parses and ``orjson`` writes; the standard library takes over wherever they refuse what ``json``
accepts (a byte-order mark, lone surrogates, integers beyond 64 bits when writing, non-string keys), so
callers get the standard library's values and errors, only sooner. Two differences remain, both for what
JSON itself cannot say exactly: floats are written in their shortest round-trip form (``1e-05`` becomes
``0.00001``, the same number) and ``NaN`` or infinities are written as ``null`` (not as ``NaN``, which is
not JSON).
"""

from __future__ import annotations

import json
from typing import Any

import jiter
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
        return jiter.from_json(data.encode() if isinstance(data, str) else bytes(data))
    except ValueError:  # not JSON, or JSON jiter refuses: the standard library decides and explains
        return json.loads(data)
