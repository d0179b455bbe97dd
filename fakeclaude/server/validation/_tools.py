"""``tools`` and ``tool_choice``: schema and the tool rules.

Custom tools are checked field by field (``tools.<i>.custom.<field>``). Anthropic-defined tools are
recognised by their versioned ``type`` (``web_search_20250305``, any ``<kind>_<yyyymmdd>`` of a known
kind); their extra fields vary by version and are not checked. An unknown ``type`` gets pydantic's
tagged-union text.

Texts with no observed original (API-shaped, written here): the named ``tool_choice`` tool missing
(``tool_choice.tool.name: Tool 'x' not found in tools.``), ``tool_choice`` any/tool without tools
(``tool_choice: tool_choice may only be specified while providing tools.``).
"""

from __future__ import annotations

import re
from typing import Any

from fakeclaude.server.schema import is_wellformed
from fakeclaude.server.validation._base import (
    Ctx,
    check_bool,
    check_fields,
    check_list,
    check_str,
    fail,
    tag_of,
)
from fakeclaude.server.validation._blocks import Walk
from fakeclaude.server.validation._wire_model import (
    field_names,
    field_values,
    members,
    required_fields,
    shapes,
    tags,
)
from fakeclaude.types.params import (
    ToolChoiceParam,
    ToolParam,
    ToolSearchToolBm25_20251119Param,
    ToolSearchToolRegex20251119Param,
    ToolUnionParam,
)

__all__ = ["check_tool_choice", "check_tool_rules", "check_tools"]

NAME_PATTERN = "^[a-zA-Z0-9_-]{1,128}$"
_NAME_RE = re.compile(r"[a-zA-Z0-9_-]{1,128}\Z")
_DATED = re.compile(r"_\d{8}\Z")
#: The kinds of Anthropic-defined tools: the wire model's (its dated ``type`` values), then the beta ones.
_BETA_KINDS = ("computer", "advisor")
_SERVER_KINDS = tuple(
    dict.fromkeys(
        (*(_DATED.sub("", t) for m in members(ToolUnionParam) if m is not ToolParam
           for t in field_values(m, "type") if _DATED.search(t)), *_BETA_KINDS)
    )
)  # fmt: skip
_SERVER_RE = re.compile(rf"(?:{'|'.join(_SERVER_KINDS)})_\d{{8}}\Z")
#: Undated ``type`` aliases the API takes too (``tool_search_tool_bm25``; messages-api-2026 §6.1).
_SERVER_ALIASES = frozenset(
    kind for tool in (ToolSearchToolBm25_20251119Param, ToolSearchToolRegex20251119Param)
    for kind in field_values(tool, "type") if not _SERVER_RE.match(kind)
)  # fmt: skip
_TOOL_TAGS = (*field_values(ToolParam, "type"), *(f"{k}_YYYYMMDD" for k in _SERVER_KINDS), "mcp_toolset")
_F_CUSTOM = field_names(ToolParam)
_CHOICE_TAGS = tags(ToolChoiceParam)
_F_CHOICE = shapes(ToolChoiceParam)


def check_tools(w: Walk, v: object, path: str) -> None:
    ctx = w.ctx
    for i, t in enumerate(check_list(ctx, v, path)):
        tp = f"{path}.{i}"
        if not isinstance(t, dict):
            fail(ctx, tp, "Input should be a valid dictionary or object to extract fields from")
        kind = t.get("type")
        if kind is None or kind == "custom":
            cp = f"{tp}.custom"
            check_fields(ctx, t, cp, _F_CUSTOM, required_fields(ToolParam))
            name = check_str(ctx, t["name"], f"{cp}.name")
            if ctx.strict and not _NAME_RE.match(name):
                fail(ctx, f"{cp}.name", f"String should match pattern '{NAME_PATTERN}'")
            if t.get("description") is not None:
                check_str(ctx, t["description"], f"{cp}.description")
            schema = t["input_schema"]
            if not isinstance(schema, dict):
                fail(ctx, f"{cp}.input_schema", "Input should be a valid dictionary")
            if "type" not in schema:
                fail(ctx, f"{cp}.input_schema.type", "Field required")
            if schema["type"] != "object":
                fail(ctx, f"{cp}.input_schema.type", "Input should be 'object'")
            for flag in ("strict", "defer_loading", "eager_input_streaming"):
                if t.get(flag) is not None:
                    check_bool(ctx, t[flag], f"{cp}.{flag}")
            w.cache(t, cp)
        elif isinstance(kind, str) and (_SERVER_RE.match(kind) or kind in _SERVER_ALIASES or kind == "mcp_toolset"):
            if kind != "mcp_toolset":
                check_fields(ctx, t, f"{tp}.{kind}", None, ("name",))
                check_str(ctx, t["name"], f"{tp}.{kind}.name")
            w.cache(t, f"{tp}.{kind}")
        else:
            if not isinstance(kind, str):
                fail(ctx, f"{tp}.type", "Input should be a valid string")
            expected = ", ".join(repr(x) for x in _TOOL_TAGS)
            fail(
                ctx,
                tp,
                f"Input tag {kind!r} found using 'type' does not match any of the expected tags: {expected}",
            )


def check_tool_choice(ctx: Ctx, v: object, path: str) -> None:
    tag = tag_of(ctx, v, path, _CHOICE_TAGS)
    assert isinstance(v, dict)
    tp = f"{path}.{tag}"
    allowed, required = _F_CHOICE[tag]
    check_fields(ctx, v, tp, allowed, required)
    if tag == "tool":
        check_str(ctx, v["name"], f"{tp}.name")
    if v.get("disable_parallel_tool_use") is not None:
        check_bool(ctx, v["disable_parallel_tool_use"], f"{tp}.disable_parallel_tool_use")


def check_tool_rules(ctx: Ctx, body: dict[str, Any]) -> None:
    """Semantic tool rules: unique names, valid input schemas, ``tool_choice`` naming an offered tool."""
    tools = body.get("tools") or []
    names: set[str] = set()
    for i, t in enumerate(tools):
        name = t.get("name")
        if isinstance(name, str):
            if name in names:
                fail(ctx, "tools", "Tool names must be unique.")
            names.add(name)
        if t.get("type") in (None, "custom") and not is_wellformed(t["input_schema"]):
            fail(
                ctx,
                f"tools.{i}.custom.input_schema",
                "JSON schema is invalid. It must match JSON Schema draft 2020-12.",
            )
    choice = body.get("tool_choice")
    if isinstance(choice, dict) and choice.get("type") in ("any", "tool"):
        if not tools:
            fail(ctx, "tool_choice", "tool_choice may only be specified while providing tools.")
        if choice["type"] == "tool" and choice["name"] not in names:
            fail(ctx, "tool_choice.tool.name", f"Tool {choice['name']!r} not found in tools.")
