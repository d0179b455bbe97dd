"""Schema of the top-level request body of ``/v1/messages`` and ``/v1/messages/count_tokens``.

Beta surface (``?beta=true`` or any ``anthropic-beta``; which beta unlocks which field is not checked,
as recordings often drop the header): ``mcp_servers``, ``context_management``, ``compaction``,
``fallbacks``, ``fallback_credit_token``, ``billing_policy``; ``thinking`` ``between_tools``,
``block_binding`` and ``display: "updates"``; ``role: "system"`` messages with optional ``content``,
``output_config: {"effort"}`` and ``clear_at``. Two fields need their own beta name, as the SDK always
sends it: ``output_format`` (``structured-outputs-2025-11-13``) and ``thread``
(``message-threads-2026-08-12``); without it they are unknown fields. ``role: "system"`` messages
(content required, text blocks only) are also accepted on API 2026-10-21 (SDK 2.x ``MessageParam``).
``container`` takes the object form with ``skills-2025-10-02`` or on API 2026-10-21 (skills are GA
there); otherwise ``container: Input should be a valid string`` (recorded).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fakeclaude.server.errors import ApiError
from fakeclaude.server.structured import FORMAT_BETA
from fakeclaude.server.threads import THREADS_BETA
from fakeclaude.server.validation._base import (
    MSG_SHAPE,
    Ctx,
    check_bool,
    check_cache_control,
    check_fields,
    check_int,
    check_list,
    check_literal,
    check_number,
    check_str,
    fail,
    recover,
    tag_of,
)
from fakeclaude.server.validation._blocks import Walk, check_blocks, check_system
from fakeclaude.server.validation._context import check_compaction_config, check_context_management
from fakeclaude.server.validation._tools import check_tool_choice, check_tools
from fakeclaude.server.validation._wire_model import (
    field_names,
    field_values,
    literal_values,
    members,
    required_fields,
    shapes,
    tags,
)
from fakeclaude.types.params import (
    AssistantMessageParam,
    BetaJSONOutputFormatParam,
    BetaMessageCountTokensParams,
    BetaMessageCreateParamsBase,
    BetaMessageThreadParam,
    BetaSystemMessageOutputConfigParam,
    BetaSystemMessageParam,
    BetaThinkingBlockBindingParam,
    BetaThinkingConfigEnabledParam,
    BetaThinkingConfigParam,
    BetaThinkingPrefixMismatchBehavior,
    BetaTokenTaskBudgetParam,
    ContainerParams,
    DiagnosticsParam,
    JSONOutputFormatParam,
    MessageCountTokensParams,
    MessageCreateParamsNonStreaming,
    MessageParam,
    MetadataParam,
    OutputConfigParam,
    OutputEffort,
    ServiceTier,
    SkillParams,
    Speed,
    ThinkingConfigParam,
    ThinkingDisplay,
    UserMessageParam,
)

__all__ = ["check_body"]

_SAMPLING = frozenset({"temperature", "top_p", "top_k"})  # a version rule: API 2026-10-21 refuses them
#: The body's fields per endpoint and surface (GA, beta), from the request TypedDicts.
_GA_FIELDS = {
    "create": field_names(MessageCreateParamsNonStreaming),
    "count_tokens": field_names(MessageCountTokensParams),
}
_BETA_FIELDS = {
    "create": field_names(BetaMessageCreateParamsBase) | _GA_FIELDS["create"],
    "count_tokens": field_names(BetaMessageCountTokensParams),
}
_REQUIRED = {
    "create": required_fields(MessageCreateParamsNonStreaming),
    "count_tokens": required_fields(MessageCountTokensParams),
}
_NAMED_BETA_ONLY = {"output_format": FORMAT_BETA, "thread": THREADS_BETA}
_ROLES = tuple(tags(UserMessageParam | AssistantMessageParam, "role"))
_ROLES_SYSTEM = tuple(tags(MessageParam, "role"))
_THINKING_TAGS = tags(ThinkingConfigParam)
_THINKING_TAGS_BETA = tags(BetaThinkingConfigParam)
_F_THINKING = shapes(ThinkingConfigParam)
_F_THINKING_BETA = shapes(BetaThinkingConfigParam)
_DISPLAYS = literal_values(ThinkingDisplay)
_DISPLAYS_BETA = field_values(BetaThinkingConfigEnabledParam, "display")
_MISMATCH_BEHAVIORS = literal_values(BetaThinkingPrefixMismatchBehavior)
_F_BLOCK_BINDING = field_names(BetaThinkingBlockBindingParam)
_EFFORTS = literal_values(OutputEffort)
_F_MESSAGE = frozenset().union(*(field_names(m) for m in members(MessageParam)))
_R_MESSAGE = required_fields(UserMessageParam)
_F_SYSTEM_MESSAGE_BETA = field_names(BetaSystemMessageParam)
_R_SYSTEM_MESSAGE_BETA = required_fields(BetaSystemMessageParam)
_CLEAR_AT = field_values(BetaSystemMessageParam, "clear_at")
_F_MESSAGE_OUTPUT_CONFIG = field_names(BetaSystemMessageOutputConfigParam)
_F_METADATA = field_names(MetadataParam)
_F_CONTAINER = field_names(ContainerParams)
_F_SKILL = field_names(SkillParams)
_R_SKILL = required_fields(SkillParams, tag="")
_SKILL_TYPES = field_values(SkillParams, "type")
_MAX_SKILLS = 8
_F_OUTPUT_CONFIG = field_names(OutputConfigParam)
_F_FORMAT = field_names(JSONOutputFormatParam)
_R_FORMAT = required_fields(JSONOutputFormatParam)
_FORMAT_TYPES = field_values(JSONOutputFormatParam, "type")
_F_LEGACY_FORMAT = field_names(BetaJSONOutputFormatParam)
_R_LEGACY_FORMAT = required_fields(BetaJSONOutputFormatParam)
_LEGACY_FORMAT_TYPES = field_values(BetaJSONOutputFormatParam, "type")
_F_TASK_BUDGET = field_names(BetaTokenTaskBudgetParam)
_R_TASK_BUDGET = required_fields(BetaTokenTaskBudgetParam, tag="")
_TASK_BUDGET_TYPES = field_values(BetaTokenTaskBudgetParam, "type")
_F_DIAGNOSTICS = field_names(DiagnosticsParam)
_SERVICE_TIERS = literal_values(ServiceTier)
_SPEEDS = literal_values(Speed)

_NAMED_BETAS = frozenset({FORMAT_BETA, THREADS_BETA})
_THREAD_TAGS = tags(BetaMessageThreadParam)
_F_THREAD = shapes(BetaMessageThreadParam)

Check = Callable[[Walk, Any, str], None]


def _model(w: Walk, v: Any, path: str) -> None:
    check_str(w.ctx, v, path)


def _max_tokens(w: Walk, v: Any, path: str) -> None:
    check_int(w.ctx, v, path, ge=0)


def _messages(w: Walk, v: Any, path: str) -> None:
    ctx = w.ctx
    for i, m in enumerate(check_list(ctx, v, path)):
        try:
            _message(w, m, f"{path}.{i}")
        except ApiError as error:
            recover(w.errors, error)


def _message(w: Walk, m: object, mp: str) -> None:
    ctx = w.ctx
    if not isinstance(m, dict):
        fail(ctx, mp, MSG_SHAPE)
    if m.get("role") == "system" and ctx.beta:
        _beta_system_message(w, m, mp)
        return
    check_fields(ctx, m, mp, _F_MESSAGE, _R_MESSAGE)
    role = check_literal(ctx, m["role"], f"{mp}.role", _ROLES_SYSTEM if ctx.v2026 else _ROLES)
    check_blocks(w, m["content"], f"{mp}.content", system_role=role == "system")


def _beta_system_message(w: Walk, m: dict[str, Any], mp: str) -> None:
    """The beta system message: ``content`` optional, per-message ``output_config`` (effort) and ``clear_at``."""
    ctx = w.ctx
    check_fields(ctx, m, mp, _F_SYSTEM_MESSAGE_BETA, _R_SYSTEM_MESSAGE_BETA)
    if "content" in m:
        check_blocks(w, m["content"], f"{mp}.content", system_role=True)
    config = m.get("output_config")
    if config is not None:
        check_fields(ctx, config, f"{mp}.output_config", _F_MESSAGE_OUTPUT_CONFIG)
        if config.get("effort") is not None:
            check_literal(ctx, config["effort"], f"{mp}.output_config.effort", _EFFORTS)
    if m.get("clear_at") is not None:
        check_literal(ctx, m["clear_at"], f"{mp}.clear_at", _CLEAR_AT)


def _system(w: Walk, v: Any, path: str) -> None:
    check_system(w, v, path)


def _stream(w: Walk, v: Any, path: str) -> None:
    check_bool(w.ctx, v, path)


def _stop_sequences(w: Walk, v: Any, path: str) -> None:
    for i, s in enumerate(check_list(w.ctx, v, path)):
        check_str(w.ctx, s, f"{path}.{i}")


def _unit(w: Walk, v: Any, path: str) -> None:
    check_number(w.ctx, v, path, ge=0, le=1)


def _top_k(w: Walk, v: Any, path: str) -> None:
    check_int(w.ctx, v, path, ge=0)


def _metadata(w: Walk, v: Any, path: str) -> None:
    check_fields(w.ctx, v, path, _F_METADATA)
    if v.get("user_id") is not None:
        check_str(w.ctx, v["user_id"], f"{path}.user_id")


def _tools(w: Walk, v: Any, path: str) -> None:
    check_tools(w, v, path)


def _tool_choice(w: Walk, v: Any, path: str) -> None:
    check_tool_choice(w.ctx, v, path)


def _thinking(w: Walk, v: Any, path: str) -> None:
    ctx = w.ctx
    tag = tag_of(ctx, v, path, _THINKING_TAGS_BETA if ctx.beta else _THINKING_TAGS)
    tp = f"{path}.{tag}"
    allowed, required = (_F_THINKING_BETA if ctx.beta else _F_THINKING)[tag]
    check_fields(ctx, v, tp, allowed, required)
    if tag == "enabled":
        check_int(ctx, v["budget_tokens"], f"{tp}.budget_tokens", ge=1024)
    if v.get("display") is not None:
        check_literal(ctx, v["display"], f"{tp}.display", _DISPLAYS_BETA if ctx.beta else _DISPLAYS)
    binding = v.get("block_binding")
    if binding is not None:
        check_fields(ctx, binding, f"{tp}.block_binding", _F_BLOCK_BINDING)
        if binding.get("prefix_mismatch_behavior") is not None:
            check_literal(ctx, binding["prefix_mismatch_behavior"], f"{tp}.block_binding.prefix_mismatch_behavior",
                          _MISMATCH_BEHAVIORS)


def _service_tier(w: Walk, v: Any, path: str) -> None:
    check_literal(w.ctx, v, path, _SERVICE_TIERS)


def _container(w: Walk, v: Any, path: str) -> None:
    """A container id, or (skills beta, or API 2026-10-21 where skills are GA) ``{"id"?, "skills"?}``."""
    ctx = w.ctx
    if v is None or isinstance(v, str):
        return
    if not (isinstance(v, dict) and ("skills-2025-10-02" in ctx.betas or ctx.v2026)):
        fail(ctx, path, "Input should be a valid string")
    check_fields(ctx, v, path, _F_CONTAINER)
    if v.get("id") is not None:
        check_str(ctx, v["id"], f"{path}.id")
    if v.get("skills") is None:
        return
    skills = check_list(ctx, v["skills"], f"{path}.skills")
    if ctx.strict and len(skills) > _MAX_SKILLS:
        fail(ctx, f"{path}.skills", f"List should have at most {_MAX_SKILLS} items after validation, not {len(skills)}")
    for k, skill in enumerate(skills):
        sp = f"{path}.skills.{k}"
        check_fields(ctx, skill, sp, _F_SKILL, _R_SKILL)
        check_literal(ctx, skill["type"], f"{sp}.type", _SKILL_TYPES)
        check_str(ctx, skill["skill_id"], f"{sp}.skill_id")
        if skill.get("version") is not None:
            check_str(ctx, skill["version"], f"{sp}.version")


def _cache_control(w: Walk, v: Any, path: str) -> None:
    if check_cache_control(w.ctx, v, path):
        w.breakpoints += 1


def _output_config(w: Walk, v: Any, path: str) -> None:
    ctx = w.ctx
    check_fields(ctx, v, path, _F_OUTPUT_CONFIG)
    if v.get("effort") is not None:
        check_literal(ctx, v["effort"], f"{path}.effort", _EFFORTS)
    fmt = v.get("format")
    if fmt is not None:
        fp = f"{path}.format"
        check_fields(ctx, fmt, fp, _F_FORMAT, _R_FORMAT)
        if "type" in fmt:
            check_literal(ctx, fmt["type"], f"{fp}.type", _FORMAT_TYPES)
        if not isinstance(fmt["schema"], dict):
            fail(ctx, f"{fp}.schema", "Input should be a valid dictionary")
    budget = v.get("task_budget")
    if budget is not None:
        bp = f"{path}.task_budget"
        check_fields(ctx, budget, bp, _F_TASK_BUDGET, _R_TASK_BUDGET)
        check_literal(ctx, budget["type"], f"{bp}.type", _TASK_BUDGET_TYPES)
        check_int(ctx, budget["total"], f"{bp}.total", ge=1)
        if budget.get("remaining") is not None:
            check_int(ctx, budget["remaining"], f"{bp}.remaining", ge=0)


def _output_format(w: Walk, v: Any, path: str) -> None:
    """The legacy top-level format (beta ``structured-outputs-2025-11-13``): ``{"type": "json_schema", "schema"}``."""
    ctx = w.ctx
    check_fields(ctx, v, path, _F_LEGACY_FORMAT, _R_LEGACY_FORMAT)
    if "type" in v:
        check_literal(ctx, v["type"], f"{path}.type", _LEGACY_FORMAT_TYPES)
    if not isinstance(v["schema"], dict):
        fail(ctx, f"{path}.schema", "Input should be a valid dictionary")


def _thread(w: Walk, v: Any, path: str) -> None:
    """``{"type": "create"}`` or ``{"type": "continue", "previous_message_id"}`` (the engine keeps the state)."""
    ctx = w.ctx
    tag = tag_of(ctx, v, path, _THREAD_TAGS)
    allowed, required = _F_THREAD[tag]
    check_fields(ctx, v, f"{path}.{tag}", allowed, required)
    if tag == "continue":
        check_str(ctx, v["previous_message_id"], f"{path}.{tag}.previous_message_id")


def _any_str(w: Walk, v: Any, path: str) -> None:
    check_str(w.ctx, v, path)


def _speed(w: Walk, v: Any, path: str) -> None:
    check_literal(w.ctx, v, path, _SPEEDS)


def _diagnostics(w: Walk, v: Any, path: str) -> None:
    check_fields(w.ctx, v, path, _F_DIAGNOSTICS)
    if v.get("previous_message_id") is not None:
        check_str(w.ctx, v["previous_message_id"], f"{path}.previous_message_id")


def _beta_list(w: Walk, v: Any, path: str) -> None:
    check_list(w.ctx, v, path)


def _beta_any(w: Walk, v: Any, path: str) -> None:
    """A beta field whose shape the fake does not model (``fallbacks``: ``"default"`` or a list, ...)."""


def _context_management(w: Walk, v: Any, path: str) -> None:
    check_context_management(w.ctx, v, path)


def _compaction(w: Walk, v: Any, path: str) -> None:
    check_compaction_config(w.ctx, v, path)


def _beta_object(w: Walk, v: Any, path: str) -> None:
    if not isinstance(v, dict):
        fail(w.ctx, path, "Input should be a valid dictionary or object to extract fields from")


_FIELDS: dict[str, Check] = {
    "model": _model,
    "max_tokens": _max_tokens,
    "messages": _messages,
    "system": _system,
    "stream": _stream,
    "stop_sequences": _stop_sequences,
    "temperature": _unit,
    "top_p": _unit,
    "top_k": _top_k,
    "metadata": _metadata,
    "tools": _tools,
    "tool_choice": _tool_choice,
    "thinking": _thinking,
    "service_tier": _service_tier,
    "container": _container,
    "cache_control": _cache_control,
    "output_config": _output_config,
    "inference_geo": _any_str,
    "speed": _speed,
    "diagnostics": _diagnostics,
    "mcp_servers": _beta_list,
    "context_management": _context_management,
    "compaction": _compaction,
    "fallbacks": _beta_any,
    "fallback_credit_token": _beta_any,
    "billing_policy": _beta_object,
    "output_format": _output_format,
    "thread": _thread,
}
_NULLABLE = frozenset({
    "system", "metadata", "container", "cache_control", "output_config", "inference_geo", "thread",
    "output_format", "compaction", "fallbacks", "fallback_credit_token", "billing_policy",
})  # fmt: skip


def _allowed(endpoint: str, ctx: Ctx) -> frozenset[str]:
    names = (_BETA_FIELDS if ctx.beta else _GA_FIELDS)[endpoint]
    if ctx.v2026:
        names -= _SAMPLING
    names -= {name for name, beta in _NAMED_BETA_ONLY.items() if beta not in ctx.betas}
    return names


_ALLOWED: dict[tuple[str, bool, bool, frozenset[str]], frozenset[str]] = {}


def check_body(ctx: Ctx, body: object, endpoint: str, errors: list[ApiError] | None = None) -> Walk:
    """The schema pass; returns what the semantic pass needs (cache breakpoints, media to inspect).

    With ``errors``, violations are kept there and the pass goes on (see ``recover``).
    """
    if not isinstance(body, dict):
        fail(ctx, "", "Input should be a valid dictionary or object to extract fields from")
    key = (endpoint, ctx.v2026, ctx.beta, ctx.betas & _NAMED_BETAS)
    allowed = _ALLOWED.get(key)
    if allowed is None:
        allowed = _ALLOWED[key] = _allowed(endpoint, ctx)
    required = _REQUIRED[endpoint]
    for name in required:
        if name not in body:
            try:
                fail(ctx, name, "Field required")
            except ApiError as error:
                recover(errors, error)
    w = Walk(ctx, errors=errors)
    for name, value in body.items():
        try:
            if name not in allowed:
                fail(ctx, name, "Extra inputs are not permitted")
            if value is None and name in _NULLABLE:
                continue
            _FIELDS[name](w, value, name)
        except ApiError as error:
            recover(errors, error)
    return w
