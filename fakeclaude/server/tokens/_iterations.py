"""Input tokens of an answer in which server tools ran: every sampling iteration re-reads what came before.

The API samples once, runs the server tool (web search, web fetch, code execution...), then samples
again with the prompt plus the answer so far (the results included), and reports the sum of every
iteration's input in ``usage`` (recorded: a web search answer with three searches cost 19 times its
prompt). The fake's answers put the same blocks in the same order, so the sum follows from them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fakeclaude.server.catalog import ModelSpec
from fakeclaude.server.tokens._families import family_of
from fakeclaude.server.tokens._prompt import block_input_tokens

__all__ = ["iterations_input_tokens", "sampling_iterations"]


def _is_server_result(block: Mapping[str, Any]) -> bool:
    kind = block.get("type")
    return (
        isinstance(kind, str)
        and kind.endswith("_tool_result")
        and kind not in ("tool_result", "mcp_tool_result")
    )


def sampling_iterations(content: Sequence[Mapping[str, Any]]) -> int:
    """How many times the model sampled for ``content``: once, plus once after each server tool result
    that more content follows (an answer that ends on a result paused there)."""
    return 1 + sum(1 for i, b in enumerate(content[:-1]) if isinstance(b, Mapping) and _is_server_result(b))


def iterations_input_tokens(prompt_tokens: int, content: Sequence[Mapping[str, Any]], spec: ModelSpec) -> int:
    """The ``usage`` input (input + cache read + cache write) of an answer with ``content``, whose prompt
    costs ``prompt_tokens``: the prompt once per sampling iteration, plus the answer up to each later
    iteration's start. Equals ``prompt_tokens`` when no server tool ran."""
    fam = family_of(spec)
    total = prompt_tokens
    so_far = 0
    for i, block in enumerate(content):
        if not isinstance(block, Mapping):
            continue
        so_far += block_input_tokens(block, fam)
        if i < len(content) - 1 and _is_server_result(block):
            total += prompt_tokens + so_far
    return total
