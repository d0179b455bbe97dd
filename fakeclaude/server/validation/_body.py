"""Schema of the top-level request body of ``/v1/messages`` and ``/v1/messages/count_tokens``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fakeclaude.server.errors import ApiError
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
from fakeclaude.server.validation._tools import check_tool_choice, check_tools
from fakeclaude.server.validation._wire_model import literal_values
from fakeclaude.types.params import OutputEffort, ServiceTier, Speed

__all__ = ["check_body"]

_SAMPLING = frozenset({"temperature", "top_p", "top_k"})
_COUNT_ONLY_MISSING = frozenset({"max_tokens", "stream", "stop_sequences", "metadata", "service_tier"})
_BETA_ONLY = frozenset({"mcp_servers", "context_management", "output_format"})
_ROLES = ("user", "assistant")
_ROLES_SYSTEM = ("user", "assistant", "system")
_THINKING_TAGS: dict[str, object] = dict.fromkeys(("enabled", "disabled", "adaptive"))
_F_THINKING = {
    "enabled": (frozenset({"type", "budget_tokens", "display"}), ("budget_tokens",)),
    "disabled": (frozenset({"type"}), ()),
    "adaptive": (frozenset({"type", "display"}), ()),
}
_EFFORTS = literal_values(OutputEffort)
_F_MESSAGE = frozenset({"role", "content"})
_SERVICE_TIERS = literal_values(ServiceTier)
_SPEEDS = literal_values(Speed)

Check = Callable[[Walk, Any, str], None]


def _model(w: Walk, v: Any, path: str) -> None:
    check_str(w.ctx, v, path)


def _max_tokens(w: Walk, v: Any, path: str) -> None:
    check_int(w.ctx, v, path, ge=0)


def _messages(w: Walk, v: Any, path: str) -> None:
    ctx = w.ctx
    roles = _ROLES_SYSTEM if ctx.beta or ctx.v2026 else _ROLES
    for i, m in enumerate(check_list(ctx, v, path)):
        mp = f"{path}.{i}"
        try:
            if not isinstance(m, dict):
                fail(ctx, mp, MSG_SHAPE)
            check_fields(ctx, m, mp, _F_MESSAGE, ("role", "content"))
            role = check_literal(ctx, m["role"], f"{mp}.role", roles)
            check_blocks(w, m["content"], f"{mp}.content", system_role=role == "system")
        except ApiError as error:
            recover(w.errors, error)


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
    check_fields(w.ctx, v, path, frozenset({"user_id"}))
    if v.get("user_id") is not None:
        check_str(w.ctx, v["user_id"], f"{path}.user_id")


def _tools(w: Walk, v: Any, path: str) -> None:
    check_tools(w, v, path)


def _tool_choice(w: Walk, v: Any, path: str) -> None:
    check_tool_choice(w.ctx, v, path)


def _thinking(w: Walk, v: Any, path: str) -> None:
    ctx = w.ctx
    tag = tag_of(ctx, v, path, _THINKING_TAGS)
    tp = f"{path}.{tag}"
    allowed, required = _F_THINKING[tag]
    check_fields(ctx, v, tp, allowed, required)
    if tag == "enabled":
        check_int(ctx, v["budget_tokens"], f"{tp}.budget_tokens", ge=1024)
    if v.get("display") is not None:
        check_literal(ctx, v["display"], f"{tp}.display", ("summarized", "omitted"))


def _service_tier(w: Walk, v: Any, path: str) -> None:
    check_literal(w.ctx, v, path, _SERVICE_TIERS)


def _container(w: Walk, v: Any, path: str) -> None:
    if v is None or isinstance(v, str):
        return
    if isinstance(v, dict) and "skills-2025-10-02" in w.ctx.betas:
        check_fields(w.ctx, v, path, frozenset({"id", "skills"}))
        if v.get("id") is not None:
            check_str(w.ctx, v["id"], f"{path}.id")
        if v.get("skills") is not None:
            check_list(w.ctx, v["skills"], f"{path}.skills")
        return
    fail(w.ctx, path, "Input should be a valid string")


def _cache_control(w: Walk, v: Any, path: str) -> None:
    if check_cache_control(w.ctx, v, path):
        w.breakpoints += 1


def _output_config(w: Walk, v: Any, path: str) -> None:
    ctx = w.ctx
    check_fields(ctx, v, path, frozenset({"effort", "format", "task_budget"}))
    if v.get("effort") is not None:
        check_literal(ctx, v["effort"], f"{path}.effort", _EFFORTS)
    fmt = v.get("format")
    if fmt is not None:
        fp = f"{path}.format"
        check_fields(ctx, fmt, fp, frozenset({"type", "schema"}), ("schema",))
        if "type" in fmt:
            check_literal(ctx, fmt["type"], f"{fp}.type", ("json_schema",))
        if not isinstance(fmt["schema"], dict):
            fail(ctx, f"{fp}.schema", "Input should be a valid dictionary")
    if v.get("task_budget") is not None and not isinstance(v["task_budget"], dict):
        fail(
            ctx, f"{path}.task_budget", "Input should be a valid dictionary or object to extract fields from"
        )


def _any_str(w: Walk, v: Any, path: str) -> None:
    check_str(w.ctx, v, path)


def _speed(w: Walk, v: Any, path: str) -> None:
    check_literal(w.ctx, v, path, _SPEEDS)


def _diagnostics(w: Walk, v: Any, path: str) -> None:
    check_fields(w.ctx, v, path, frozenset({"previous_message_id"}))
    if v.get("previous_message_id") is not None:
        check_str(w.ctx, v["previous_message_id"], f"{path}.previous_message_id")


def _beta_list(w: Walk, v: Any, path: str) -> None:
    check_list(w.ctx, v, path)


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
    "context_management": _beta_object,
    "output_format": _beta_object,
}
_NULLABLE = frozenset({"system", "metadata", "container", "cache_control", "output_config", "inference_geo"})


def _allowed(endpoint: str, ctx: Ctx) -> frozenset[str]:
    names = frozenset(_FIELDS)
    if endpoint == "count_tokens":
        names -= _COUNT_ONLY_MISSING
    if ctx.v2026:
        names -= _SAMPLING
    if not ctx.beta:
        names -= _BETA_ONLY
    return names


_ALLOWED: dict[tuple[str, bool, bool], frozenset[str]] = {}


def check_body(ctx: Ctx, body: object, endpoint: str, errors: list[ApiError] | None = None) -> Walk:
    """The schema pass; returns what the semantic pass needs (cache breakpoints, media to inspect).

    With ``errors``, violations are kept there and the pass goes on (see ``recover``).
    """
    if not isinstance(body, dict):
        fail(ctx, "", "Input should be a valid dictionary or object to extract fields from")
    key = (endpoint, ctx.v2026, ctx.beta)
    allowed = _ALLOWED.get(key)
    if allowed is None:
        allowed = _ALLOWED[key] = _allowed(endpoint, ctx)
    required = ("model", "messages") if endpoint == "count_tokens" else ("model", "messages", "max_tokens")
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
