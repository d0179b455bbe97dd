"""Which tool entries are server tools, and which family answers each ``server_tool_use`` name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["SERVER_TOOL_PREFIXES", "family", "is_server_tool", "offers_name"]

SERVER_TOOL_PREFIXES = ("web_search", "web_fetch", "code_execution", "tool_search_tool", "mcp_toolset", "advisor")
"""Tool ``type`` prefixes the API runs itself (``memory_*``, ``bash_*``, ``text_editor_*`` are client-executed)."""

_FAMILIES = (("web_search", "web_search"), ("web_fetch", "web_fetch"), ("code_execution", "code_execution"),
             ("tool_search_tool", "tool_search"), ("advisor", "advisor"), ("mcp_toolset", "mcp"))

#: ``server_tool_use.name`` -> the tool families that may emit it.
_NAMES: dict[str, tuple[str, ...]] = {
    "web_search": ("web_search",),
    "web_fetch": ("web_fetch",),
    "code_execution": ("code_execution", "web_search", "web_fetch"),  # 20260209 web tools filter with code
    "bash_code_execution": ("code_execution",),
    "text_editor_code_execution": ("code_execution",),
    "tool_search_tool_regex": ("tool_search",),
    "tool_search_tool_bm25": ("tool_search",),
    "advisor": ("advisor",),
}


def is_server_tool(tool: Mapping[str, Any]) -> bool:
    """Whether a ``tools[]`` entry is run by the API (not by the client)."""
    return str(tool.get("type") or "custom").startswith(SERVER_TOOL_PREFIXES)


def family(tool: Mapping[str, Any]) -> str | None:
    """``web_search`` | ``web_fetch`` | ``code_execution`` | ``tool_search`` | ``advisor`` | ``mcp`` | None."""
    kind = str(tool.get("type") or "")
    return next((name for prefix, name in _FAMILIES if kind.startswith(prefix)), None)


def offers_name(tools: list[Mapping[str, Any]], name: str) -> bool:
    """Whether a request offering ``tools`` lets the model emit ``server_tool_use name:<name>``."""
    families = {family(t) for t in tools}
    if name == "code_execution" and any(
        isinstance(t.get("allowed_callers"), list) and any(str(c).startswith("code_execution") for c in t["allowed_callers"])
        for t in tools
    ):
        return True  # programmatic tool calling runs code without a code-execution tool (rec)
    if name in ("tool_search_tool_regex", "tool_search_tool_bm25"):
        return any(str(t.get("type", "")).startswith(name) or t.get("name") == name for t in tools)
    return bool(families & set(_NAMES.get(name, ())))
