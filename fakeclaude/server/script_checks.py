"""The API's rules for answers, applied to scripted replies: what the real API could never have answered.

    reply_violations(request, Reply([tool_use("get_weather", {"city": 3})]))
    # ["tool_use 'get_weather' answers a request that offered no tools; the API only calls offered tools"]

The engine refuses to deliver a reply that breaks them (a ``ScriptError``: the test fails), so a test
can never pass against an answer its app will not get from Claude.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .citations import citation_problems
from .schema import matches
from .script import ParsedRequest, Reply

__all__ = ["reply_violations"]

_SERVER_TOOL_PREFIXES = ("web_search", "web_fetch", "code_execution", "tool_search_tool", "mcp_toolset", "advisor")


def _client_tools(request: ParsedRequest) -> dict[str, Mapping[str, Any]]:
    out: dict[str, Mapping[str, Any]] = {}
    for tool in request.tools:
        kind = str(tool.get("type") or "custom")
        if not kind.startswith(_SERVER_TOOL_PREFIXES):
            out[str(tool.get("name"))] = tool
    return out


def _short_json(value: Any, limit: int = 120) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def reply_violations(request: ParsedRequest, reply: Reply) -> list[str]:
    """Why ``reply`` could not be the API's answer to ``request`` (empty when it could)."""
    problems: list[str] = citation_problems(request.body, reply.blocks())
    uses = [b for b in reply.blocks() if b.get("type") == "tool_use"]
    if not uses:
        return problems
    tools = _client_tools(request)
    choice = request.body.get("tool_choice")
    choice_type = choice.get("type") if isinstance(choice, Mapping) else None
    for block in uses:
        name = str(block.get("name"))
        if not tools:
            problems.append(f"tool_use {name!r} answers a request that offered no tools; the API only calls offered tools")
            continue
        if name not in tools:  # a name the model made up: SDKs answer it with an error result, so it may be scripted
            continue
        if choice_type == "none":
            problems.append(f"tool_use {name!r} answers a request with tool_choice none; the API calls no tool then")
            continue
        schema = tools[name].get("input_schema")
        if tools[name].get("strict") is True:  # structured.check_scripted_blocks raises ScriptedReplyError for these
            continue
        if "input" in block and isinstance(schema, Mapping):
            value = block["input"]
            if not isinstance(value, Mapping) or not matches(schema, value, schema):
                problems.append(f"the input {_short_json(value)} of tool_use {name!r} does not match the tool's "
                                f"input_schema {_short_json(schema)}")
    return problems
