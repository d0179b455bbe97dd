"""``fakeclaude._json``: the standard library's values and errors, from faster parsers and writers."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fakeclaude._json import dumps, loads

STD_COMPACT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_written_json_reads_back_as_the_standard_library_reads_it(value: Any) -> None:
    written = dumps(value)
    assert loads(written) == json.loads(written) == json.loads(STD_COMPACT(value))


@given(json_values)
def test_reading_agrees_with_the_standard_library_on_its_own_output(value: Any) -> None:
    text = json.dumps(value)
    assert loads(text) == json.loads(text)
    assert loads(text.encode()) == json.loads(text.encode())


@pytest.mark.parametrize("document", [
    b'{"a":1,"a":2}', b'"\\ud800"', '"\ud800"', b'\xef\xbb\xbf{"a":1}', b"-9223372036854775809",
    b"18446744073709551616", b"12345678901234567890123", bytearray(b"[1]"), b" [1, 2.5, -0.0, 1E5] ",
])
def test_what_the_fast_parser_refuses_or_would_change_reads_as_the_standard_library_reads_it(
    document: bytes | bytearray | str,
) -> None:
    assert repr(loads(document)) == repr(json.loads(document))


def test_nan_and_infinities_read_as_the_standard_library_reads_them() -> None:
    value = loads(b"[NaN, Infinity, -Infinity, 1e400]")
    assert math.isnan(value[0]) and value[1:] == [math.inf, -math.inf, math.inf]


@pytest.mark.parametrize("document", [b'{"a":1} x', b'"\xff"', b"", "[1,]", b'{"a":"\x01"}'])
def test_what_is_not_json_raises_the_standard_library_error(document: bytes | str) -> None:
    with pytest.raises(ValueError) as ours:
        loads(document)
    with pytest.raises(ValueError) as theirs:
        json.loads(document)
    assert (type(ours.value), str(ours.value)) == (type(theirs.value), str(theirs.value))


def test_writing_falls_back_for_what_orjson_refuses() -> None:
    assert dumps({"big": 2**70, 1: "é"}) == STD_COMPACT({"big": 2**70, 1: "é"}).encode()
    with pytest.raises(TypeError):
        dumps({"x": object()})


def test_what_json_cannot_say_is_written_as_null() -> None:
    assert dumps([math.nan, math.inf]) == b"[null,null]"
