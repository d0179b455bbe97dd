"""Output tokens: what an answer's content blocks cost, for ``usage.output_tokens`` and the ``max_tokens`` cut."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from fakeclaude.server.catalog import ModelSpec
from fakeclaude.server.tokens._prompt import count_text_tokens

__all__ = ["block_output_tokens", "output_tokens_of"]

_TOOL_USE_OVERHEAD = 40  # the framing of a tool call, in output tokens
_REDACTED_TOKENS = 64


def block_output_tokens(block: Mapping[str, Any], spec: ModelSpec) -> int:
    """The output tokens one answered content block costs."""
    kind = block.get("type")
    if kind == "text":
        return count_text_tokens(str(block.get("text", "")), spec)
    if kind == "thinking":
        return count_text_tokens(str(block.get("thinking", "")), spec) + 8
    if kind == "redacted_thinking":
        return _REDACTED_TOKENS
    if kind in ("tool_use", "server_tool_use", "mcp_tool_use"):
        return count_text_tokens(json.dumps(block.get("input", {})), spec) + _TOOL_USE_OVERHEAD
    if str(kind).endswith("_tool_result"):  # a server tool's result: the API wrote it, the model did not
        return 0
    return count_text_tokens(json.dumps(block), spec)


def output_tokens_of(blocks: Sequence[Mapping[str, Any]], spec: ModelSpec) -> int:
    """The output tokens of an answer's content blocks."""
    return sum(block_output_tokens(b, spec) for b in blocks)
