"""What the API adds to an answer with server-tool blocks: ids and pairing, usage counters, pause, container."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..clock import rfc3339
from ..generation import IdFactory
from ..script import ParsedRequest
from ._registry import is_server_tool

__all__ = ["CONTAINER_LIFETIME", "EXCLUDED", "complete_server_blocks", "container_for", "ends_paused",
           "included_blocks", "server_tool_usage", "uses_code_execution"]

Block = dict[str, Any]
CONTAINER_LIFETIME = 30 * 24 * 3600.0
"""Seconds until a code-execution container expires (``container.expires_at``)."""
EXCLUDED = "_excluded"
"""The private mark of a block run but left out of the response (``response_inclusion: "excluded"``)."""
_CODE_NAMES = ("code_execution", "bash_code_execution", "text_editor_code_execution")
_CODE_RESULTS = tuple(f"{name}_tool_result" for name in _CODE_NAMES)


def _is_result(block: Mapping[str, Any]) -> bool:
    kind = str(block.get("type", ""))
    return kind.endswith("_tool_result") and kind != "tool_result"


def complete_server_blocks(blocks: list[Block], ids: IdFactory) -> list[Block]:
    """Ids for uses that have none, results paired with the latest open use, programmatic callers' ``tool_id``,
    and search hits without the fake's private ``text``."""
    open_uses: list[Block] = []
    last_code: str | None = None
    for block in blocks:
        kind = block.get("type")
        _fill_tool_id(block, last_code)
        if kind in ("server_tool_use", "mcp_tool_use"):
            block.setdefault("id", ids.new("srvtoolu" if kind == "server_tool_use" else "mcptoolu"))
            open_uses.append(block)
            if block.get("name") == "code_execution":
                last_code = str(block["id"])
        elif _is_result(block):
            wanted = "mcp_tool_use" if kind == "mcp_tool_result" else "server_tool_use"
            if "tool_use_id" not in block:
                match = next((u for u in reversed(open_uses) if u["type"] == wanted), None)
                if match is not None:
                    block["tool_use_id"] = match["id"]
            open_uses = [u for u in open_uses if u["id"] != block.get("tool_use_id")]
            if kind == "web_search_tool_result" and isinstance(block.get("content"), list):
                block["content"] = [{k: v for k, v in item.items() if k != "text"} if isinstance(item, Mapping)
                                    else item for item in block["content"]]
    return blocks


def _fill_tool_id(block: Block, last_code: str | None) -> None:
    """A call made from code (``caller`` a code-execution version) names the code's ``server_tool_use``."""
    caller = block.get("caller")
    if isinstance(caller, dict) and str(caller.get("type", "")).startswith("code_execution") \
            and "tool_id" not in caller and last_code is not None:
        caller["tool_id"] = last_code


def included_blocks(blocks: list[Block]) -> list[Block]:
    """The blocks the response shows (those marked :data:`EXCLUDED` ran, and were counted, but are left out)."""
    return [b for b in blocks if not b.get(EXCLUDED)]


def ends_paused(blocks: Sequence[Mapping[str, Any]]) -> bool:
    """Whether the answer ends with a ``server_tool_use`` that has no result yet (``stop_reason: pause_turn``)."""
    if not blocks or blocks[-1].get("type") != "server_tool_use":
        return False
    return not any(_is_result(b) and b.get("tool_use_id") == blocks[-1].get("id") for b in blocks)


def offers_server_side(request: ParsedRequest) -> bool:
    """Whether the request offers a server tool, an MCP server or a tool code may call (the answer may then
    run one, from the test's server-tool script)."""
    return bool(request.body.get("mcp_servers")) or any(is_server_tool(t) for t in request.tools) or any(
        isinstance(t.get("allowed_callers"), list) for t in request.tools)


def server_tool_usage(request: ParsedRequest, blocks: Sequence[Mapping[str, Any]]) -> dict[str, int] | None:
    """``usage.server_tool_use`` (searches and fetches run), or None when the request used no server-side tool.

    Recorded: present, with zeros, on every answer to a request offering server tools or MCP servers.
    """
    used = any(b.get("type") in ("server_tool_use", "mcp_tool_use") for b in blocks)
    if not used and not offers_server_side(request):
        return None

    def ran(kind: str) -> int:
        return sum(1 for b in blocks if b.get("type") == kind and isinstance(b.get("content"), list | dict)
                   and not str((b.get("content") or {}).get("type", "") if isinstance(b.get("content"), dict)
                               else "").endswith("_error"))

    return {"web_search_requests": ran("web_search_tool_result"), "web_fetch_requests": ran("web_fetch_tool_result")}


def uses_code_execution(blocks: Sequence[Mapping[str, Any]]) -> bool:
    """Whether the answer ran code (it then carries a ``container``)."""
    return any((b.get("type") == "server_tool_use" and b.get("name") in _CODE_NAMES) or b.get("type") in _CODE_RESULTS
               for b in blocks) or any(
        b.get("type") == "tool_use" and isinstance(b.get("caller"), Mapping)
        and str(b["caller"].get("type", "")).startswith("code_execution") for b in blocks)


def container_for(body: Mapping[str, Any], ids: IdFactory, now: float) -> dict[str, str]:
    """The ``container`` of a code-execution answer: the request's own (reused) or a new one."""
    given = body.get("container")
    if isinstance(given, Mapping):
        given = given.get("id")
    container_id = given if isinstance(given, str) and given else ids.new("container")
    return {"id": container_id, "expires_at": rfc3339(now + CONTAINER_LIFETIME, micro=True).replace("+00:00", "Z")}
