"""The API's rules for scripted server-tool blocks: a model only uses the server tools it was offered."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..script import ParsedRequest
from ._registry import offers_name

__all__ = ["server_block_violations"]


def server_block_violations(request: ParsedRequest, blocks: list[dict[str, Any]]) -> list[str]:
    """Why these scripted blocks could not answer ``request`` (empty when they could)."""
    problems: list[str] = []
    servers = {str(s.get("name")) for s in request.body.get("mcp_servers") or [] if isinstance(s, Mapping)}
    for block in blocks:
        kind = block.get("type")
        if kind == "server_tool_use":
            name = str(block.get("name"))
            if not offers_name(request.tools, name):
                problems.append(f"server_tool_use {name!r} answers a request that did not offer that server tool; "
                                "the API only runs the server tools in tools[]")
        elif kind == "mcp_tool_use":
            server = str(block.get("server_name"))
            if server not in servers:
                offered = ", ".join(sorted(servers)) or "none"
                problems.append(f"mcp_tool_use of server {server!r} answers a request whose mcp_servers do not "
                                f"include it (offered: {offered})")
    return problems
