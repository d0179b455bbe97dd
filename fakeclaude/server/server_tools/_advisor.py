"""advisor (beta ``advisor-tool-2026-03-01``): the executor model asks a stronger model (spec 2026 §6.7).

Recorded: ``server_tool_use name:"advisor" input:{}`` then ``advisor_tool_result`` with an ``advisor_result``
(``text``, ``stop_reason``), between a short text and the final answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..generation import generate_text
from ._context import Context

__all__ = ["CUE", "calls"]

Block = dict[str, Any]
CUE = "advice advise advisor review second opinion check plan careful double-check consult expert"


def calls(ctx: Context, tool: Mapping[str, Any]) -> list[Block]:
    """The advisor's use and result."""
    advice = ctx.script.advice
    if advice is None:
        advice = generate_text(ctx.seed ^ 0xAD71, prompt=ctx.prompt, min_words=10, max_words=40)
    return [ctx.use("advisor", {}),
            {"type": "advisor_tool_result",
             "content": {"type": "advisor_result", "text": advice, "stop_reason": "end_turn"}}]
