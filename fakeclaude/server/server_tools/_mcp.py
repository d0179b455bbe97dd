"""MCP connector (beta ``mcp_servers`` + ``mcp_toolset``): ``mcp_tool_use`` / ``mcp_tool_result`` (spec 2026 §9).

The fake does not reach MCP servers, so it knows a server's tools only from the request
(``tool_configuration.allowed_tools`` of ``mcp-client-2025-04-04``, the ``configs`` of an ``mcp_toolset``,
pinned ``mcp_toolset.tools``) and from the script (``fake.mcp_tool(...)``). Unscripted, a known tool is
called when the prompt relates to its name or description (or names its server); a scripted one is called
whenever its server is offered and the last turn asks something. The result's text is scripted or made up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..generation import generate_text
from ..tool_policy import relevance
from ._context import Context
from ._script import McpAnswer

__all__ = ["McpTool", "calls", "choose", "known_tools"]

Block = dict[str, Any]


@dataclass(frozen=True)
class McpTool:
    """One tool of one MCP server, as far as the fake knows it."""

    server_name: str
    name: str
    description: str = ""
    scripted: McpAnswer | None = None


def _toolsets(body: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {str(t.get("mcp_server_name")): t for t in body.get("tools") or []
            if isinstance(t, Mapping) and t.get("type") == "mcp_toolset"}


def _enabled(toolset: Mapping[str, Any] | None, name: str) -> bool:
    if toolset is None:
        return True
    configs = toolset.get("configs")
    default = toolset.get("default_config")
    config = configs.get(name) if isinstance(configs, Mapping) else None
    config = config if isinstance(config, Mapping) else {}
    default = default if isinstance(default, Mapping) else {}
    return bool(config.get("enabled", default.get("enabled", True)))


def known_tools(ctx: Context) -> list[McpTool]:
    """The MCP tools the request makes available, scripted ones included."""
    body = ctx.request.body
    toolsets = _toolsets(body)
    out: list[McpTool] = []
    for server in body.get("mcp_servers") or []:
        if not isinstance(server, Mapping):
            continue
        server_name = str(server.get("name"))
        toolset = toolsets.get(server_name)
        names: dict[str, str] = {}
        configuration = server.get("tool_configuration")
        if isinstance(configuration, Mapping):
            if configuration.get("enabled") is False:
                continue
            names.update({str(n): "" for n in configuration.get("allowed_tools") or []})
        if toolset is not None:
            if isinstance(toolset.get("configs"), Mapping):
                names.update({str(n): "" for n in toolset["configs"]})
            for pinned in toolset.get("tools") or []:
                if isinstance(pinned, Mapping) and pinned.get("name"):
                    names[str(pinned["name"])] = str(pinned.get("description") or "")
        for name, answer in ctx.script.mcp.items():
            if answer.server_name in (None, server_name):
                names.setdefault(name, answer.description)
        for name, description in names.items():
            if _enabled(toolset, name):
                out.append(McpTool(server_name, name, description, ctx.script.mcp.get(name)))
    return out


def _asks(prompt: str) -> bool:
    lowered = prompt.strip().lower()
    return "?" in lowered or lowered.startswith(("tell me", "explain", "describe", "what", "how", "who", "why"))


def choose(ctx: Context) -> McpTool | None:
    """The MCP tool the answer calls, or None.

    Relevant tools first (name, description or server named in the prompt); else, when the prompt asks a
    question, the first known tool (a server the app connected is there to answer its questions)."""
    best: tuple[tuple[int, int], McpTool] | None = None
    known = known_tools(ctx)
    for tool in known:
        names, described = relevance({"name": tool.name, "description": tool.description}, ctx.prompt)
        server = relevance({"name": tool.server_name}, ctx.prompt)[0]
        score = (names + server, described)
        if tool.scripted is not None or names or server or described >= 2:
            score = (score[0] + (10 if tool.scripted is not None else 0), score[1])
            if best is None or score > best[0]:
                best = (score, tool)
    if best is None and known and _asks(ctx.prompt):
        return known[0]
    return best[1] if best else None


def _input(ctx: Context, tool: McpTool) -> dict[str, Any]:
    if tool.scripted is not None and tool.scripted.input is not None:
        return dict(tool.scripted.input)
    key = "question" if any(w in tool.name.lower() for w in ("ask", "question")) else "query"
    return {key: ctx.prompt.strip()[:500] or tool.name}


def calls(ctx: Context, tool: McpTool) -> list[Block]:
    """The MCP call and its result."""
    tool_input = _input(ctx, tool)
    answer = tool.scripted
    if answer is None:
        text, is_error = generate_text(ctx.seed ^ 0x3C9, prompt=ctx.prompt, min_words=12, max_words=40), False
    else:
        text = answer.text(tool_input) if callable(answer.text) else answer.text
        is_error = answer.is_error
    return [{"type": "mcp_tool_use", "name": tool.name, "input": tool_input, "server_name": tool.server_name},
            {"type": "mcp_tool_result", "is_error": is_error, "content": [{"type": "text", "text": text}]}]
