"""The token heuristic: text pieces, request counts, media readers, and calibration on real usage."""

from __future__ import annotations

import base64
import json
import statistics
import struct
import zlib
from collections import defaultdict
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fakeclaude.server.catalog import ModelSpec, list_models, resolve_model
from fakeclaude.server.tokens import (
    count_request_tokens,
    count_text_tokens,
    image_dimensions,
    image_tokens,
    pdf_page_count,
    prefix_token_counts,
    split_into_tokens,
)
from tests.real_traffic import TOKEN_PAIRS

PAIRS = TOKEN_PAIRS
FAMILIES = sorted({m.family for m in list_models(include_retired=True)})


def _spec(name: str) -> ModelSpec:
    spec = resolve_model(name)
    assert spec is not None
    return spec


HAIKU = _spec("claude-haiku-4-5")
QUESTION = [{"role": "user", "content": "What is the capital of France?"}]
TOOL = {"name": "get_weather", "description": "Weather for a city.",
        "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}  # fmt: skip


# --- text ------------------------------------------------------------------------------------------


@given(st.text(), st.sampled_from([None, *FAMILIES]))
def test_pieces_rebuild_the_text_and_match_the_count(text: str, family: str | None) -> None:
    spec = next((m for m in list_models(include_retired=True) if m.family == family), None)
    pieces = split_into_tokens(text, spec)
    assert "".join(pieces) == text
    assert len(pieces) == count_text_tokens(text, spec)
    assert all(pieces)


@given(st.text(alphabet=st.characters(codec="ascii"), min_size=1))
def test_count_is_deterministic_and_additive_within_one(text: str) -> None:
    n = count_text_tokens(text)
    assert n == count_text_tokens(text) >= 1
    assert count_text_tokens(text + text) <= 2 * n + 1


def test_english_costs_about_four_characters_a_token() -> None:
    prose = "The quick brown fox jumps over the lazy dog while the farmer watches from afar. " * 50
    assert 3.5 <= len(prose) / count_text_tokens(prose) <= 5.5  # short common words: ~1 token each
    assert count_text_tokens("") == 0
    assert split_into_tokens("Hello, world!") == ["Hello", ",", " world", "!"]


# --- requests --------------------------------------------------------------------------------------


def test_recorded_count_tokens_examples() -> None:
    assert count_request_tokens({"messages": QUESTION}, HAIKU) == 14
    thinking = {"type": "enabled", "budget_tokens": 2048}
    assert count_request_tokens({"messages": QUESTION, "thinking": thinking}, HAIKU) == 43
    with_tool = {"messages": QUESTION, "thinking": thinking, "system": [{"type": "text", "text": "Be terse."}],
                 "tools": [TOOL]}  # fmt: skip
    assert abs(count_request_tokens(with_tool, HAIKU) - 588) / 588 < 0.05
    sonnet5 = _spec("claude-sonnet-5")
    date = [{"role": "user", "content": "What's the current date?"}]
    # claude-5's framing is fitted on its 22 recorded requests: one token over on this 12-token one.
    assert abs(count_request_tokens({"messages": date}, sonnet5) - 12) <= 1
    assert abs(count_request_tokens({"messages": date, "system": "Answer succinctly"}, sonnet5) - 20) <= 1


def test_string_content_and_a_text_block_cost_the_same() -> None:
    blocks = [{"role": "user", "content": [{"type": "text", "text": "What is the capital of France?"}]}]
    assert count_request_tokens({"messages": blocks}, HAIKU) == count_request_tokens(
        {"messages": QUESTION}, HAIKU
    )


def test_tools_add_the_hidden_prompt_which_depends_on_tool_choice() -> None:
    bare = count_request_tokens({"messages": QUESTION}, HAIKU)
    auto = count_request_tokens({"messages": QUESTION, "tools": [TOOL]}, HAIKU)
    forced = count_request_tokens(
        {"messages": QUESTION, "tools": [TOOL], "tool_choice": {"type": "any"}}, HAIKU
    )
    none = count_request_tokens(
        {"messages": QUESTION, "tools": [TOOL], "tool_choice": {"type": "none"}}, HAIKU
    )
    assert auto - bare > 300 and forced != auto and none == auto
    two = count_request_tokens({"messages": QUESTION, "tools": [TOOL, {**TOOL, "name": "other"}]}, HAIKU)
    assert two > auto
    opus3 = _spec("claude-3-opus-20240229")
    assert count_request_tokens({"messages": QUESTION, "tools": [TOOL]}, opus3) > auto  # 530-ish prompt


def test_previous_turn_thinking_is_stripped_but_the_current_turn_counts() -> None:
    thinking = {
        "type": "thinking",
        "thinking": "Let me think about this at length. " * 20,
        "signature": "sig",
    }
    answer = {"type": "text", "text": "Paris."}
    earlier = [
        *QUESTION,
        {"role": "assistant", "content": [thinking, answer]},
        {"role": "user", "content": "Thanks"},
    ]
    plain = [*QUESTION, {"role": "assistant", "content": [answer]}, {"role": "user", "content": "Thanks"}]
    assert count_request_tokens({"messages": earlier}, HAIKU) == count_request_tokens(
        {"messages": plain}, HAIKU
    )
    use = {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}}
    result = {"type": "tool_result", "tool_use_id": "toolu_1", "content": "18C"}
    loop = [
        *QUESTION,
        {"role": "assistant", "content": [thinking, use]},
        {"role": "user", "content": [result]},
    ]
    no_think = [*QUESTION, {"role": "assistant", "content": [use]}, {"role": "user", "content": [result]}]
    difference = count_request_tokens({"messages": loop}, HAIKU) - count_request_tokens(
        {"messages": no_think}, HAIKU
    )
    assert difference >= count_text_tokens(thinking["thinking"])


def test_images_and_pdfs_cost_what_their_size_says() -> None:
    def image(width: int, height: int) -> dict[str, Any]:
        data = base64.b64encode(_png(width, height)).decode()
        return {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": data}}

    def ask(*blocks: dict[str, Any]) -> int:
        return count_request_tokens(
            {"messages": [{"role": "user", "content": [*blocks, {"type": "text", "text": "?"}]}]}, HAIKU
        )

    assert ask(image(1000, 1000)) - ask() == pytest.approx(image_tokens(1000, 1000), abs=5)
    assert ask(image(100, 100)) < ask(image(1000, 1000))
    pdf = {"type": "document", "source": {"type": "base64", "media_type": "application/pdf",
                                          "data": base64.b64encode(_pdf(3)).decode()}}  # fmt: skip
    one = {"type": "document", "source": {"type": "base64", "media_type": "application/pdf",
                                          "data": base64.b64encode(_pdf(1)).decode()}}  # fmt: skip
    assert ask(pdf) - ask() == pytest.approx(3 * (ask(one) - ask()), rel=0.01)
    assert ask(one) - ask() > 1500


def test_prefix_counts_follow_tools_system_messages_order() -> None:
    cc = {"type": "ephemeral"}
    body = {
        "tools": [TOOL, {**TOOL, "name": "b", "cache_control": cc}],
        "system": [{"type": "text", "text": "You are terse. " * 30, "cache_control": cc}],
        "messages": [{"role": "user", "content": [{"type": "text", "text": "Long context " * 200, "cache_control": cc},
                                                  {"type": "text", "text": "Question?"}]}],
    }  # fmt: skip
    prefixes = prefix_token_counts(body, HAIKU)
    assert [p for p, _ in prefixes] == ["tools.1", "system.0", "messages.0.content.0"]
    counts = [n for _, n in prefixes]
    assert counts == sorted(counts) and counts[0] > 500
    total = count_request_tokens(body, HAIKU)
    assert counts[-1] == total - count_text_tokens("Question?")
    auto = prefix_token_counts({**body, "cache_control": cc}, HAIKU)
    assert auto[-1] == ("messages.0.content.1", total)
    assert prefix_token_counts({"messages": QUESTION}, HAIKU) == []


# --- media -----------------------------------------------------------------------------------------


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", zlib.compress(rows))
        + _chunk(b"IEND", b"")
    )


def _jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    dqt = b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + bytes(range(1, 65))
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + dqt + sof + b"\xff\xd9"


def _gif(width: int, height: int) -> bytes:
    screen = struct.pack("<HHBBB", width, height, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    image = b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0) + b"\x02\x02\x44\x01\x00"
    return b"GIF89a" + screen + image + b"\x3b"


def _webp(kind: bytes, width: int, height: int) -> bytes:
    if kind == b"VP8X":
        payload = b"\x00\x00\x00\x00" + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    elif kind == b"VP8L":
        payload = b"\x2f" + ((width - 1) | (height - 1) << 14).to_bytes(4, "little") + b"\x00"
    else:
        payload = b"\x00\x00\x00" + b"\x9d\x01\x2a" + struct.pack("<HH", width, height) + b"\x00" * 4
    chunk = kind + struct.pack("<I", len(payload)) + payload
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


@pytest.mark.parametrize(
    ("data", "size"),
    [
        (_png(37, 21), (37, 21)),
        (_jpeg(640, 480), (640, 480)),
        (_gif(3, 5), (3, 5)),
        (_webp(b"VP8X", 1920, 1080), (1920, 1080)),
        (_webp(b"VP8L", 300, 200), (300, 200)),
        (_webp(b"VP8 ", 123, 45), (123, 45)),
    ],
    ids=["png", "jpeg", "gif", "webp-vp8x", "webp-vp8l", "webp-vp8"],
)
def test_image_dimensions_from_headers(data: bytes, size: tuple[int, int]) -> None:
    assert image_dimensions(data) == size


@pytest.mark.parametrize(
    "data", [b"", b"not an image", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"RIFF\x00\x00\x00\x00WEBPVP8L"]
)
def test_unreadable_images_give_none(data: bytes) -> None:
    assert image_dimensions(data) is None


def test_image_tokens_follow_the_documented_formula_and_resize() -> None:
    assert image_tokens(1000, 1000) == 1334
    assert image_tokens(200, 200) == 54
    assert image_tokens(1092, 1092) <= 1600
    assert 1500 <= image_tokens(8000, 6000) <= 1600  # downscaled to <= 1568 px and ~1600 tokens
    assert image_tokens(4000, 100) == image_tokens(1568, 39)
    assert image_tokens(0, 10) == 0


def _pdf(pages: int) -> bytes:
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>"]
    objs += ["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"] * pages
    out = b"%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{obj}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def test_pdf_page_count() -> None:
    assert pdf_page_count(_pdf(1)) == 1
    assert pdf_page_count(_pdf(3)) == 3
    no_count = _pdf(4).replace(b"/Count 4", b"")
    assert pdf_page_count(no_count) == 4  # fallback: the /Type /Page objects
    assert pdf_page_count(b"garbage") == 1


# --- calibration on real usage -----------------------------------------------------------------------


@pytest.mark.skipif(not PAIRS.exists(), reason="../shared/real-traffic is absent (not a fakeclaude checkout)")
def test_median_error_on_recorded_usage_is_within_ten_percent_per_family() -> None:
    errors: dict[str, list[float]] = defaultdict(list)
    with PAIRS.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            spec = _spec(rec.get("response_model") or rec["request"]["model"])
            usage = rec["usage"]
            recorded = sum(int(usage.get(k) or 0) for k in ("input_tokens", "cache_creation_input_tokens",
                                                             "cache_read_input_tokens"))  # fmt: skip
            errors[spec.family].append(abs(count_request_tokens(rec["request"], spec) - recorded) / recorded)
    assert sum(map(len, errors.values())) == 274
    medians = {family: statistics.median(errs) for family, errs in errors.items()}
    assert all(m <= 0.10 for m in medians.values()), medians
