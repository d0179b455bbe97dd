"""``st.from_type`` for the request TypedDicts of ``fakeclaude.types.params``: registered on import.

``st.from_type(MessageParam)`` (a union) then draws from the strategies of its members, and the create
params, blocks, tools, tool choices and thinking configs resolve to the strategies of this package
rather than to Hypothesis's field-by-field guess (which would break the API's rules).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from fakeclaude.strategies._blocks import document_blocks, image_blocks, text_blocks
from fakeclaude.strategies._conversations import conversations, tool_use_ids
from fakeclaude.strategies._params import batch_params, count_tokens_params, create_params, thinking_configs
from fakeclaude.strategies._tools import tool_choices, tool_definitions, tool_inputs, tool_names
from fakeclaude.types import params as p

__all__ = ["REGISTERED", "register_type_strategies"]

_TOOLS: list[dict[str, Any]] = [{"name": "get_weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}]


def _strategies() -> dict[type, st.SearchStrategy[Any]]:
    def choice(kind: str) -> st.SearchStrategy[Any]:
        return tool_choices(_TOOLS).filter(lambda c: c["type"] == kind)

    def source(blocks: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return blocks.map(lambda block: block["source"])

    schema = _TOOLS[0]["input_schema"]
    tool_use = st.builds(lambda i, n, x: {"type": "tool_use", "id": i, "name": n, "input": x},
                         tool_use_ids(), tool_names(), tool_inputs(schema))  # fmt: skip
    tool_result = st.builds(lambda i, c: {"type": "tool_result", "tool_use_id": i, "content": c},
                            tool_use_ids(), text_blocks().map(lambda b: b["text"]))  # fmt: skip
    batches = batch_params(max_requests=2)

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
        p.CitationsConfigParam: st.builds(lambda on: {"enabled": on}, st.booleans()),
        p.Base64ImageSourceParam: source(image_blocks(sources=["base64"])),
        p.URLImageSourceParam: source(image_blocks(sources=["url"])),
        p.Base64PDFSourceParam: source(document_blocks(sources=["base64"])),
        p.PlainTextSourceParam: source(document_blocks(sources=["text"])),
        p.ContentBlockSourceParam: source(document_blocks(sources=["content"])),
        p.ToolUseBlockParam: tool_use,
        p.ToolResultBlockParam: tool_result,
        p.BatchCreateParams: batches,
        p.Request: batches.map(lambda body: body["requests"][0]),
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
