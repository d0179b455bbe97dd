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
    """Constants of one family, in tokens (``chunk`` in letters, ``tool_json`` and ``text_scale`` ratios).

    The first four differ by family; the others were fitted as one value shared by every family
    (``benchmarks/token_calibration.py``: fewer constants hold better on requests not fitted on).
    """

    chunk: int  # longest run of letters one token holds
    base: int  # request framing plus the first turn's
    tool_auto: int  # hidden tool-use prompt, tool_choice auto / none
    tool_any: int  # hidden tool-use prompt, tool_choice any / tool
    per_message: int = 4  # framing of each further turn
    system: int = 2  # framing of a system prompt
    per_tool: int = 16  # framing of each tool definition
    tool_json: float = 1.0  # tokens per estimated token of the tool's JSON definition
    thinking: int = 29  # thinking enabled (recorded count_tokens: 14 -> 43)
    round_trip: int = 47  # framing of each tool_use / tool_result pair in the history, beyond their content
    adaptive: int = 0  # adaptive thinking (costs about nothing, unlike enabled thinking)
    no_parallel: int = 0  # ``tool_choice.disable_parallel_tool_use``: its line in the tool-use prompt
    text_scale: float = 1.0  # real tokens per estimated piece of prompt text (claude-5's tokenizer: more)


_CLAUDE_4_5 = Family(chunk=10, base=7, tool_auto=482, tool_any=576)

#  family                    chunk base auto  any      n pairs (of 1,251 open ones): tool prompts from
FAMILIES: dict[str, Family] = {
    "claude-2":          Family(10, 7, 264, 348),   # 0: claude-3-haiku's
    "claude-3-haiku":    Family(10, 7, 264, 348),   # 51
    "claude-3-sonnet":   Family(10, 7, 159, 235),   # 0: spec 8.1
    "claude-3-opus":     Family(10, 8, 519, 263),   # 56
    "claude-3-5-haiku":  Family(10, 7, 245, 345),   # 145
    "claude-3-5-sonnet": Family(10, 7, 346, 313),   # 12: spec 8.1 (too few pairs to fit)
    "claude-3-7-sonnet": Family(10, 7, 346, 313),   # 3: spec 8.1
    "claude-4":          Family(10, 7, 304, 283, thinking=36),  # 315
    "claude-4-5":        _CLAUDE_4_5,               # 647
    "claude-5":          Family(10, 6, 396, 530, system=4, text_scale=1.13),  # 22
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
    # The advisor's prompt as its first sampling iteration costs it (recorded 1,128 for a 2+2 question);
    # the top-level input sums every executor iteration (2,390 there), the advisor's own excluded.
    "advisor_": 714,
}
