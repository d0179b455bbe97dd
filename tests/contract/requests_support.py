"""Requests the contract tests send the fake: named examples (``REQUESTS``) and generated ones (``create_bodies``).

Not a test module: ``test_server_sdk_models`` and ``test_server_properties`` both send them.
"""

from __future__ import annotations

import base64
import struct
import zlib
from typing import Any

from hypothesis import strategies as st

from fakeclaude.strategies import create_params


# ----- fixtures for media ----------------------------------------------------------------------------------
def tiny_png() -> str:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    raw += chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")
    return base64.b64encode(raw).decode()


def tiny_pdf() -> str:
    raw = b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
    raw += b"3 0 obj <</Type /Page /Parent 2 0 R>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
    return base64.b64encode(raw).decode()


SONNET = "claude-sonnet-4-6"
ADAPTIVE = "claude-opus-4-6"
USER = {"role": "user", "content": "What is the weather in Paris today?"}
WEATHER = {
    "name": "get_weather",
    "description": "Current weather for a city.",
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["c", "f"]},
                       "days": {"type": "integer", "minimum": 1, "maximum": 7}},
        "required": ["city"],
    },
}
SEARCH = {
    "name": "search_docs",
    "description": "Search the docs.",
    "input_schema": {"type": "object", "properties": {"query": {"type": "string"},
                                                      "filters": {"type": "array", "items": {"type": "string"}}},
                     "required": ["query"]},
}
TOOL_TURN = [
    USER,
    {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "get_weather",
                                       "input": {"city": "Paris"}}]},
    {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01A09q90qw90lq917835lq9",
                                  "content": "18 C, sunny"}]},
]


def base(**extra: Any) -> dict[str, Any]:
    return {"model": SONNET, "max_tokens": 1024, "messages": [USER], **extra}


REQUESTS: dict[str, dict[str, Any]] = {
    "plain": base(),
    "dated model id": base(model="claude-haiku-4-5-20251001"),
    "newest model": base(model="claude-opus-5"),
    "retired model": base(model="claude-3-haiku-20240307"),
    "multi-turn": base(messages=[USER, {"role": "assistant", "content": "Sunny."}, {"role": "user", "content": "And tomorrow?"}]),
    "system string": base(system="You are terse."),
    "system blocks with cache_control": base(system=[{"type": "text", "text": "You are terse. " * 400,
                                                      "cache_control": {"type": "ephemeral"}}]),
    "content blocks": base(messages=[{"role": "user", "content": [{"type": "text", "text": "One."}, {"type": "text", "text": "Two."}]}]),
    "tools auto": base(tools=[WEATHER, SEARCH]),
    "tools auto, one call": base(tools=[WEATHER, SEARCH], tool_choice={"type": "auto", "disable_parallel_tool_use": True}),
    "tools any": base(tools=[WEATHER, SEARCH], tool_choice={"type": "any"}),
    "tools tool": base(tools=[WEATHER, SEARCH], tool_choice={"type": "tool", "name": "search_docs"}),
    "tools none": base(tools=[WEATHER], tool_choice={"type": "none"}),
    "tool result turn": base(tools=[WEATHER], messages=TOOL_TURN),
    "thinking enabled": base(max_tokens=4096, thinking={"type": "enabled", "budget_tokens": 1024}),
    "thinking with tools": base(max_tokens=4096, thinking={"type": "enabled", "budget_tokens": 2048}, tools=[WEATHER]),
    "thinking adaptive": base(model=ADAPTIVE, thinking={"type": "adaptive"}),
    "thinking omitted": base(model=ADAPTIVE, thinking={"type": "adaptive", "display": "omitted"}),
    "effort": base(model=ADAPTIVE, output_config={"effort": "low"}),
    "prefill": base(messages=[USER, {"role": "assistant", "content": "The weather is"}]),
    "stop sequences": base(stop_sequences=["e", "a"]),
    "max_tokens cut": base(max_tokens=3),
    "max_tokens 0 (cache pre-warm)": base(max_tokens=0),
    "max_tokens 1 with thinking": base(max_tokens=1025, thinking={"type": "enabled", "budget_tokens": 1024}),
    "sampling": base(temperature=0.2, top_k=5, metadata={"user_id": "u-1"}),
    "image base64": base(messages=[{"role": "user", "content": [
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": tiny_png()}},
        {"type": "text", "text": "Describe it."}]}]),
    "image url": base(messages=[{"role": "user", "content": [
        {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.png"}},
        {"type": "text", "text": "Describe it."}]}]),
    "pdf": base(messages=[{"role": "user", "content": [
        {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": tiny_pdf()}},
        {"type": "text", "text": "Summarise."}]}]),
    "text document with citations": base(messages=[{"role": "user", "content": [
        {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "The sky is blue."},
         "citations": {"enabled": True}, "title": "Sky"},
        {"type": "text", "text": "What colour is the sky?"}]}]),
    "unicode": base(messages=[{"role": "user", "content": "¿Qué tiempo hace? 天気 🌦️ \u0000 \ud7ff"}]),
}


# ----- Hypothesis: generated valid requests ------------------------------------------------------------------
def create_bodies() -> st.SearchStrategy[dict[str, Any]]:
    """Valid create bodies (``fakeclaude.strategies``) for the models these tests know, on either API version
    (no sampling parameters), without ``stream``."""
    bodies = create_params(models=[SONNET, "claude-haiku-4-5", "claude-opus-4-8", ADAPTIVE], stream=False, sampling=False)
    return bodies.map(lambda body: {k: v for k, v in body.items() if k != "stream"})
