"""``st.from_type`` for the request TypedDicts of ``fakeclaude.types.params``: registered on import.

``st.from_type(MessageParam)`` (a union) then draws from the strategies of its members, and the create
params, blocks, tools, tool choices and thinking configs resolve to the strategies of this package
rather than to Hypothesis's field-by-field guess (which would break the API's rules).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from fakeclaude.strategies._blocks import document_blocks, image_blocks, text_blocks
from fakeclaude.strategies._conversations import conversations
from fakeclaude.strategies._params import count_tokens_params, create_params, thinking_configs
from fakeclaude.strategies._tools import tool_choices, tool_definitions
from fakeclaude.types import params as p

__all__ = ["REGISTERED", "register_type_strategies"]

_TOOLS = [{"name": "get_weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}]


def _strategies() -> dict[type, st.SearchStrategy[Any]]:
    def choice(kind: str) -> st.SearchStrategy[Any]:
        return tool_choices(_TOOLS).filter(lambda c: c["type"] == kind)

    return {
        p.TextBlockParam: text_blocks(),
        p.ImageBlockParam: image_blocks(),
        p.DocumentBlockParam: document_blocks(),
        p.ToolParam: tool_definitions(),
        p.ToolChoiceAutoParam: choice("auto"),
        p.ToolChoiceAnyParam: choice("any"),
        p.ToolChoiceToolParam: choice("tool"),
        p.ToolChoiceNoneParam: choice("none"),
        p.ThinkingConfigEnabledParam: thinking_configs(kinds=["enabled"]),
        p.ThinkingConfigAdaptiveParam: thinking_configs(kinds=["adaptive"]),
        p.ThinkingConfigDisabledParam: thinking_configs(kinds=["disabled"]),
        p.UserMessageParam: conversations(max_turns=1).map(lambda m: m[0]),
        p.AssistantMessageParam: conversations(min_turns=2, max_turns=2, prefill=True).map(lambda m: m[-1]),
        p.SystemMessageParam: st.builds(lambda b: {"role": "system", "content": [b]}, text_blocks()),
        p.MessageCreateParamsNonStreaming: create_params(stream=False),
        p.MessageCreateParamsStreaming: create_params(stream=True),
        p.MessageCountTokensParams: count_tokens_params(),
        p.CacheControlEphemeralParam: st.sampled_from(
            [{"type": "ephemeral"}, {"type": "ephemeral", "ttl": "5m"}, {"type": "ephemeral", "ttl": "1h"}]
        ),
        p.MetadataParam: st.builds(lambda u: {"user_id": u.hex}, st.uuids()),
    }


REGISTERED: tuple[type, ...] = ()
"""The TypedDicts ``st.from_type`` resolves with this package's strategies."""


def register_type_strategies() -> None:
    """Register each strategy with ``st.register_type_strategy`` (done on ``import fakeclaude.strategies``)."""
    global REGISTERED
    strategies = _strategies()
    for kind, strategy in strategies.items():
        st.register_type_strategy(kind, strategy)
    REGISTERED = tuple(strategies)
