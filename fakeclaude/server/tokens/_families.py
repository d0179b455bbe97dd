"""Per-family constants of the token heuristic, fitted on real recorded usage.

Fitted with ``benchmarks/token_calibration.py`` on ``real-traffic/token-pairs.jsonl``; families without
enough pairs borrow the documented tool-prompt sizes (spec 8.1) and a sibling's framing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fakeclaude.server.catalog import ModelSpec

__all__ = ["DEFAULT_FAMILY", "FAMILIES", "SERVER_TOOL_TOKENS", "Family", "family_of"]


@dataclass(frozen=True)
class Family:
    """Constants of one family (all in tokens, except ``chunk`` in letters and ``tool_json`` a ratio)."""

    chunk: int  # longest run of letters one token holds
    base: int  # request framing plus the first turn's
    per_message: int  # framing of each further turn
    system: int  # framing of a system prompt
    tool_auto: int  # hidden tool-use prompt, tool_choice auto / none
    tool_any: int  # hidden tool-use prompt, tool_choice any / tool
    per_tool: int  # framing of each tool definition
    tool_json: float  # tokens per estimated token of the tool's JSON definition
    thinking: int  # thinking enabled
    round_trip: int = 0  # framing of each tool_use / tool_result pair in the history, beyond their content
    adaptive: int = 0  # adaptive thinking (costs about nothing, unlike enabled thinking)
    text_scale: float = 1.0  # real tokens per estimated piece of prompt text (claude-5's tokenizer: more)


_CLAUDE_4_5 = Family(chunk=10, base=7, per_message=2, system=2, tool_auto=498, tool_any=598, per_tool=0,
                     tool_json=1.0, thinking=29)  # fmt: skip

#  family               chunk base msg sys auto  any tool json think   n pairs: fitted from
FAMILIES: dict[str, Family] = {
    "claude-2":          Family(10, 7, 3, 1, 264, 351, 13, 1.0, 0),   # 0: claude-3-haiku's
    "claude-3-haiku":    Family(10, 7, 3, 1, 264, 351, 13, 1.0, 0),   # 26
    "claude-3-sonnet":   Family(10, 7, 3, 1, 159, 235, 13, 1.0, 0),   # 0: spec 8.1 tool prompts
    "claude-3-opus":     Family(10, 7, 3, 1, 517, 263, 20, 1.0, 0),   # 21
    "claude-3-5-haiku":  Family(10, 7, 3, 3, 245, 345, 20, 1.0, 0),   # 18
    "claude-3-5-sonnet": Family(10, 7, 3, 1, 346, 313, 20, 1.0, 0),   # 4: spec 8.1 tool prompts
    "claude-3-7-sonnet": Family(10, 7, 3, 1, 346, 313, 20, 1.0, 29),  # 0: spec 8.1 tool prompts
    "claude-4":          Family(10, 7, 3, 2, 297, 272, 23, 1.0, 29),  # 55
    "claude-4-5":        _CLAUDE_4_5,                                  # 146
    "claude-5":          Family(10, 6, 3, 5, 413, 530, 20, 1.0, 29, text_scale=1.13),  # 3 + count_tokens examples
}  # fmt: skip
DEFAULT_FAMILY = _CLAUDE_4_5


def family_of(spec: ModelSpec | None) -> Family:
    """The constants for ``spec``'s family (Claude 4.5's when ``spec`` is ``None`` or its family unknown)."""
    if spec is None:
        return DEFAULT_FAMILY
    return FAMILIES.get(spec.family, DEFAULT_FAMILY)


# Fixed cost of an Anthropic-defined tool, by ``type`` prefix (longest match wins). Client tools from the
# docs (spec 8.1); server tools as medians of the recorded requests that offer them (real-traffic).
SERVER_TOOL_TOKENS: dict[str, int] = {
    "text_editor_": 700,
    "bash_": 245,
    "computer_": 735,
    "web_search_": 1700,
    "web_fetch_": 500,
    "code_execution_2025": 1370,
    "code_execution_": 1730,
    "tool_search_tool_": 200,
    "memory_": 1080,
    "advisor_": 1940,
}
