"""The SSE codec: what the encoder writes, the decoder reads back, however the bytes are cut."""

from __future__ import annotations

import doctest
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fakeclaude.streaming
import fakeclaude.streaming._sse
from fakeclaude.streaming import JSONLDecoder, ServerSentEvent, SSEDecoder, encode_event

# Text the wire can carry: any character but surrogates (which UTF-8 cannot encode).
texts = st.text(st.characters(codec="utf-8"), max_size=20)
names = st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), min_size=1, max_size=12)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)
payloads = st.dictionaries(texts, json_values, max_size=4) | texts


def decode_in_pieces(data: bytes, cuts: list[int]) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    start = 0
    for cut in sorted(cuts):
        events += decoder.feed(data[start:cut])
        start = cut
    events += decoder.feed(data[start:])
    return events + decoder.flush()


def expected_data(payload: dict[str, Any] | str, pad: int) -> str:
    if isinstance(payload, str):
        text = payload.replace("\r\n", "\n").replace("\r", "\n")
    else:
        text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    if pad and text.endswith("}"):
        text = text[:-1] + " " * pad + "}"
    return text


@settings(max_examples=300)
@given(
    events=st.lists(st.tuples(names, payloads, st.integers(0, 12)), max_size=8),
    ending=st.sampled_from([b"\n", b"\r\n", b"\r"]),
    comments=st.booleans(),
    data=st.data(),
)
def test_encoded_events_decode_back_whatever_the_cuts_and_line_endings(
    events: list[tuple[str, dict[str, Any] | str, int]], ending: bytes, comments: bool, data: st.DataObject
) -> None:
    pieces = [
        ((b": keep-alive\n" if comments else b"") + encode_event(name, payload, pad=pad)).replace(
            b"\n", ending
        )
        for name, payload, pad in events
    ]
    wire = b"".join(pieces)
    boundaries = [0]  # cutting exactly between events takes the decoder's fast path
    for piece in pieces:
        boundaries.append(boundaries[-1] + len(piece))
    cuts = data.draw(st.lists(st.integers(0, len(wire)) | st.sampled_from(boundaries), max_size=12))

    decoded = decode_in_pieces(wire, cuts)

    assert decoded == [ServerSentEvent(name, expected_data(payload, pad)) for name, payload, pad in events]
    for event, (_, payload, _) in zip(decoded, events, strict=True):
        if not isinstance(payload, str):
            assert event.json() == payload  # padding is JSON whitespace


wire_soup = st.lists(
    st.sampled_from(
        [
            b"event",
            b"data",
            b"id",
            b"retry",
            b":",
            b" ",
            b"\n",
            b"\r",
            b"\r\n",
            b"7",
            b"x",
            b"\xc3\xa9",
            b"\0",
        ]
    ),
    max_size=40,
).map(b"".join)


@settings(max_examples=500)
@given(wire=wire_soup, data=st.data())
def test_decoding_does_not_depend_on_where_chunks_are_cut(wire: bytes, data: st.DataObject) -> None:
    cuts = data.draw(st.lists(st.integers(0, len(wire)), max_size=10))
    assert decode_in_pieces(wire, cuts) == decode_in_pieces(wire, [])


def test_every_single_byte_cut_of_a_crlf_stream_with_multibyte_text() -> None:
    wire = encode_event("content_block_delta", {"text": "héllo ✓ 🎉"}, pad=4).replace(b"\n", b"\r\n") * 3
    whole = decode_in_pieces(wire, [])
    assert len(whole) == 3
    assert whole[0].json() == {"text": "héllo ✓ 🎉"}
    assert decode_in_pieces(wire, list(range(len(wire)))) == whole


def test_fields_as_the_spec_reads_them() -> None:
    wire = (
        b"\xef\xbb\xbf: a comment\n"
        b"event: first\n"
        b"data: line one\n"
        b"data\n"  # a field without a colon: empty value
        b"data:  two spaces\n"
        b"id: 42\n"
        b"retry: 1500\n"
        b"unknown: ignored\n"
        b"\n"
        b"data: {}\n"  # no event line: kept with event None, the id persists
        b"retry: soon\n"  # not digits: ignored
        b"\n"
        b"\n\n"  # blank lines alone dispatch nothing
        b"event\n"  # an event field without a value is no name
        b"data: x\n"
        b"id: a\0b\n"  # an id with NUL is ignored
        b"\n"
        b"event: message_stop\n"
        b'data: {"type":"message_stop"}'  # the stream ends without line end or blank line
    )
    decoded = decode_in_pieces(wire, [])
    assert decoded == [
        ServerSentEvent("first", "line one\n\n two spaces", id="42", retry=1500),
        ServerSentEvent(None, "{}", id="42"),
        ServerSentEvent(None, "x", id="42"),
        ServerSentEvent("message_stop", '{"type":"message_stop"}', id="42"),
    ]


def test_encoder_writes_what_the_real_api_writes() -> None:
    assert encode_event("ping", {"type": "ping"}) == b'event: ping\ndata: {"type": "ping"}\n\n'
    assert encode_event("ping", {"type": "ping"}, pad=3) == encode_event("ping", {"type": "ping"})
    assert encode_event("content_block_stop", {"type": "content_block_stop", "index": 0}, pad=5) == (
        b'event: content_block_stop\ndata: {"type":"content_block_stop","index":0     }\n\n'
    )
    assert encode_event("x", {"t": "é"}) == 'event: x\ndata: {"t":"é"}\n\n'.encode()
    assert encode_event("x", "a\nb", id="1", retry=3) == b"event: x\nid: 1\nretry: 3\ndata: a\ndata: b\n\n"
    with pytest.raises(ValueError):
        encode_event("a\nb", {})
    with pytest.raises(ValueError):
        encode_event("a", {}, pad=-1)


def test_padded_json_parses() -> None:
    (event,) = SSEDecoder().feed(encode_event("message_delta", {"usage": {"output_tokens": 3}}, pad=17))
    assert event.data.endswith("}" + " " * 17 + "}")
    assert event.json() == {"usage": {"output_tokens": 3}}


@settings(max_examples=200)
@given(
    values=st.lists(json_values, max_size=6),
    ending=st.sampled_from([b"\n", b"\r\n", b"\r"]),
    final_ending=st.booleans(),
    data=st.data(),
)
def test_jsonl_round_trip(values: list[Any], ending: bytes, final_ending: bool, data: st.DataObject) -> None:
    wire = ending.join(json.dumps(v, ensure_ascii=False).encode() for v in values)
    if final_ending and values:
        wire += ending
    cuts = sorted(data.draw(st.lists(st.integers(0, len(wire)), max_size=8)))
    decoder = JSONLDecoder()
    out: list[Any] = []
    start = 0
    for cut in [*cuts, len(wire)]:
        out += decoder.feed(wire[start:cut])
        start = cut
    out += decoder.flush()
    assert out == values


def test_module_docstring_example_runs() -> None:
    assert doctest.testmod(fakeclaude.streaming._sse).failed == 0
