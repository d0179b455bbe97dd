"""The semantic pass (strict mode): rules that need the resolved model or the whole body.

Forced ``tool_choice`` is refused with ``enabled`` thinking only: recorded 200s pair adaptive thinking
with ``tool_choice: any`` (Opus 4.6).

Observed texts: ``messages: at least one message is required`` (quoted with a request id by public
code), the ``max_tokens`` cap, ``prompt is too long``, the input + ``max_tokens`` text,
``` `temperature` is deprecated for this model. ```, the thinking texts (budget vs ``max_tokens``,
temperature, forced tool choice), the effort level text and the cache breakpoint limit.

API-shaped texts written here: ``` `top_k` may not be set when thinking is enabled. ```,
``` `top_p` must be between 0.95 and 1 when thinking is enabled. ```, ``thinking: This model does not
support thinking.``, ``` `thinking.type.adaptive` is not supported for this model. ```, ``output_config.effort:
This model does not support the effort parameter.``, ``` `top_p` / `top_k` is deprecated for this model. ```.
"""

from __future__ import annotations

from typing import Any

from fakeclaude.server.catalog import ModelSpec
from fakeclaude.server.errors import ApiError
from fakeclaude.server.validation._base import Ctx, fail, recover
from fakeclaude.server.validation._blocks import Walk
from fakeclaude.server.validation._context import check_context_rules
from fakeclaude.server.validation._media import check_media
from fakeclaude.server.validation._messages import check_messages, merged_turns
from fakeclaude.server.validation._output_schema import check_output_schemas
from fakeclaude.server.validation._system_messages import check_system_messages, system_efforts
from fakeclaude.server.validation._tools import check_tool_rules

__all__ = ["check_rules"]

_MAX_BREAKPOINTS = 4
_ENABLED_GONE = (
    "`thinking.type.enabled` is not supported for this model. Use `thinking.type.adaptive` and "
    "`output_config.effort` to control thinking behavior."
)


def _cap(spec: ModelSpec, betas: frozenset[str]) -> int:
    if spec.family == "claude-3-7-sonnet" and "output-128k-2025-02-19" in betas:
        return max(spec.max_tokens, 128_000)
    return spec.max_tokens


def _supported(caps: Any, *keys: str) -> bool:
    """``capabilities[k1][k2]...["supported"]``; True when the catalogue does not say."""
    node = caps
    for k in keys:
        if not hasattr(node, "get"):
            return True
        node = node.get(k)
        if node is None:
            return True
    return bool(node.get("supported", True)) if hasattr(node, "get") else True


def check_rules(ctx: Ctx, body: dict[str, Any], spec: ModelSpec, walk: Walk, input_tokens: int) -> None:
    """The semantic rules, in the API's order; ``input_tokens`` is the prompt's count (for the context window).

    Each rule needs only a body that passed the schema, not the other rules: with ``walk.errors`` every
    rule runs and each keeps its first violation (see ``recover``).
    """
    max_tokens = body.get("max_tokens")
    max_tokens = None if max_tokens is None else int(max_tokens)
    cfg = body.get("thinking")
    thinking = cfg["type"] if cfg and cfg["type"] in ("enabled", "adaptive") else None
    for rule, args in (
        (_check_cap, (ctx, spec, max_tokens)),
        (_check_sampling, (ctx, body, spec)),
        (_check_thinking, (ctx, body, spec, max_tokens)),
        (_check_effort, (ctx, body, spec)),
        (check_tool_rules, (ctx, body)),
        (check_output_schemas, (ctx, body)),
        (check_context_rules, (ctx, body)),
        (_check_system, (ctx, body)),
        (_check_turns, (ctx, body, spec, thinking)),
        (check_media, (ctx, walk.media)),
        (_check_breakpoints, (ctx, walk.breakpoints)),
        (_check_context, (ctx, input_tokens, spec, max_tokens)),
    ):
        try:
            rule(*args)
        except ApiError as error:
            recover(walk.errors, error)


def _check_cap(ctx: Ctx, spec: ModelSpec, max_tokens: int | None) -> None:
    cap = _cap(spec, ctx.betas)
    if max_tokens is not None and max_tokens > cap:
        fail(ctx, "max_tokens", (
            f"{max_tokens} > {cap}, which is the maximum allowed number of output tokens for {spec.id}"
        ))  # fmt: skip


def _check_sampling(ctx: Ctx, body: dict[str, Any], spec: ModelSpec) -> None:
    if not spec.supports_sampling_params:
        for name in ("temperature", "top_p", "top_k"):
            if body.get(name) is not None:
                fail(ctx, "", f"`{name}` is deprecated for this model.")


def _check_system(ctx: Ctx, body: dict[str, Any]) -> None:
    system = body.get("system")
    if isinstance(system, list) and any(b["text"] == "" for b in system):
        fail(ctx, "system", "text content blocks must be non-empty")


def _check_turns(ctx: Ctx, body: dict[str, Any], spec: ModelSpec, thinking: str | None) -> None:
    if not body["messages"]:
        fail(ctx, "messages", "at least one message is required")
    check_system_messages(ctx, body["messages"])
    check_messages(ctx, merged_turns(ctx, body["messages"]), spec, thinking)


def _check_breakpoints(ctx: Ctx, breakpoints: int) -> None:
    if breakpoints > _MAX_BREAKPOINTS:
        fail(
            ctx,
            "",
            f"A maximum of {_MAX_BREAKPOINTS} blocks with cache_control may be provided. Found {breakpoints}.",
        )


def _check_thinking(ctx: Ctx, body: dict[str, Any], spec: ModelSpec, max_tokens: int | None) -> None:
    cfg = body.get("thinking")
    kind = cfg["type"] if cfg else None
    if cfg is None or kind not in ("enabled", "adaptive"):
        return
    caps = spec.capabilities
    if not _supported(caps, "thinking"):
        fail(ctx, "thinking", "This model does not support thinking.")
    if not _supported(caps, "thinking", "types", kind):
        if kind == "enabled":
            fail(ctx, "", _ENABLED_GONE)
        fail(ctx, "", "`thinking.type.adaptive` is not supported for this model.")
    if (
        kind == "enabled"
        and max_tokens is not None
        and int(cfg["budget_tokens"]) >= max_tokens
        and "interleaved-thinking-2025-05-14" not in ctx.betas
    ):
        fail(ctx, "", "`max_tokens` must be greater than `thinking.budget_tokens`.")
    temperature = body.get("temperature")
    if temperature is not None and temperature != 1:
        mode = " or in adaptive mode" if kind == "adaptive" else ""
        fail(ctx, "", f"`temperature` may only be set to 1 when thinking is enabled{mode}.")
    if body.get("top_k") is not None:
        fail(ctx, "", "`top_k` may not be set when thinking is enabled.")
    top_p = body.get("top_p")
    if top_p is not None and not 0.95 <= top_p <= 1:
        fail(ctx, "", "`top_p` must be between 0.95 and 1 when thinking is enabled.")
    choice = body.get("tool_choice")
    if kind == "enabled" and choice and choice["type"] in ("any", "tool"):
        fail(ctx, "", "Thinking may not be enabled when tool_choice forces tool use.")


def _check_effort(ctx: Ctx, body: dict[str, Any], spec: ModelSpec) -> None:
    cfg = body.get("output_config")
    effort = cfg.get("effort") if cfg else None
    if effort is not None:
        _check_effort_level(ctx, effort, "output_config.effort", spec)
    for path, level in system_efforts(body["messages"]):
        _check_effort_level(ctx, level, path, spec)


def _check_effort_level(ctx: Ctx, effort: str, path: str, spec: ModelSpec) -> None:
    caps = spec.capabilities.get("effort")
    if caps is None or not hasattr(caps, "items"):
        return
    if not _supported(spec.capabilities, "effort"):
        fail(ctx, path, "This model does not support the effort parameter.")
    if not _supported(spec.capabilities, "effort", effort):
        levels = sorted(
            k for k, v in caps.items() if k != "supported" and hasattr(v, "get") and v.get("supported")
        )
        fail(
            ctx,
            "",
            f"This model does not support effort level '{effort}'. Supported levels: {', '.join(levels)}.",
        )


def _check_context(ctx: Ctx, n: int, spec: ModelSpec, max_tokens: int | None) -> None:
    window = spec.context_window
    if n > window:
        fail(ctx, "", f"prompt is too long: {n} tokens > {window} maximum")
    if (
        max_tokens is not None
        and n + max_tokens > window
        and "model-context-window-exceeded-2025-08-26" not in ctx.betas
    ):
        fail(ctx, "", (
            f"input length and `max_tokens` exceed context limit: {n} + {max_tokens} > {window}, "
            "decrease input length or `max_tokens` and try again"
        ))  # fmt: skip
