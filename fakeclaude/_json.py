"""JSON on the wire: compact UTF-8, fast. ``loads`` serves the client, the SSE codec and the fake server;
``dumps`` writes what the fake builds (answers, stream events). The client writes its callers' request
bodies with the standard library, so what they pass is refused or written exactly as ``json`` does it.

``jiter`` parses and ``orjson`` writes; the standard library takes over wherever they refuse what ``json``
accepts (a byte-order mark, lone surrogates, integers beyond 64 bits when writing, non-string keys), so
callers get the standard library's values and errors, only sooner. ``dumps`` differs in three ways:
floats are written in their shortest round-trip form (``1e-05`` becomes ``0.00001``, the same number),
``NaN`` and infinities are written as ``null`` (``NaN`` is not JSON), and dates, UUIDs, dataclasses and
enums in a scripted answer are written (as orjson writes them) rather than refused.
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
