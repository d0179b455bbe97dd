"""The server-tool blocks in their wire shapes, as scripts and the fake's own answers build them.

    fake.reply(
        server_tool_use("web_search", {"query": "bitcoin price"}),
        web_search_tool_result([web_search_result("Bitcoin today", "https://example.com/btc")]),
        "Bitcoin trades at ...",
    )

A ``server_tool_use`` (or ``mcp_tool_use``) without ``id`` gets one (``srvtoolu_01`` + 22, ``mcptoolu_01`` +
22) and a result block without ``tool_use_id`` answers the latest use before it that has no result yet
(:func:`~fakeclaude.server.server_tools.complete_server_blocks`). Shapes: spec 2026 §6 and §9.2 (rec).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from typing import Any

from ..generation._rng import digest

__all__ = [
    "advisor_tool_result",
    "bash_code_execution_tool_result",
    "code_execution_tool_result",
    "encrypted_blob",
    "mcp_tool_result",
    "mcp_tool_use",
    "server_tool_use",
    "text_editor_code_execution_tool_result",
    "tool_error",
    "tool_search_tool_result",
    "web_fetch_tool_result",
    "web_search_result",
    "web_search_tool_result",
]

Block = dict[str, Any]


def encrypted_blob(*parts: int | str, size: int = 96) -> str:
    """An opaque base64 string shaped like the API's encrypted fields (they start ``E``), derived from ``parts``."""
    raw = b"\x12" + b"".join(digest([*parts, n], 32) for n in range((size + 31) // 32))[:size]
    return base64.b64encode(raw).decode("ascii")


def _with_id(block: Block, key: str, value: str | None) -> Block:
    if value is not None:
        block[key] = value
    return block


def server_tool_use(name: str, input: Mapping[str, Any] | None = None, *, id: str | None = None,
                    caller: Mapping[str, Any] | None = None) -> Block:
    """A ``server_tool_use`` block: ``name`` is ``web_search``, ``web_fetch``, ``code_execution``,
    ``bash_code_execution``, ``text_editor_code_execution``, ``tool_search_tool_regex`` / ``_bm25`` or ``advisor``."""
    block: Block = {"type": "server_tool_use", "name": name, "input": dict(input or {})}
    if caller is not None:
        block["caller"] = dict(caller)
    return _with_id(block, "id", id)


def _result(kind: str, content: Any, tool_use_id: str | None) -> Block:
    return _with_id({"type": kind, "content": content}, "tool_use_id", tool_use_id)


def tool_error(kind: str, error_code: str, error_message: str | None = None) -> dict[str, Any]:
    """The error content of a result block (``kind`` is the result type, e.g. ``web_search_tool_result``)."""
    error: dict[str, Any] = {"type": f"{kind}_error", "error_code": error_code}
    if error_message is not None:
        error["error_message"] = error_message
    return error


def web_search_result(title: str, url: str, *, page_age: str | None = None, encrypted_content: str | None = None,
                      text: str | None = None) -> Block:
    """One search hit. ``text`` (what the page says) is the fake's own: citations quote it; it is not sent."""
    item: Block = {"type": "web_search_result", "title": title, "url": url,
                   "encrypted_content": encrypted_content or encrypted_blob("page", url), "page_age": page_age}
    if text is not None:
        item["text"] = text
    return item


def web_search_tool_result(results: Sequence[Mapping[str, Any]] | Mapping[str, Any] = (), *,
                           tool_use_id: str | None = None) -> Block:
    """A ``web_search_tool_result``: a list of hits, or an error from :func:`tool_error`."""
    content: Any = dict(results) if isinstance(results, Mapping) else [dict(r) for r in results]
    return _result("web_search_tool_result", content, tool_use_id)


def web_fetch_tool_result(url: str, text: str = "", *, title: str | None = None, retrieved_at: str | None = None,
                          media_type: str = "text/plain", error_code: str | None = None,
                          tool_use_id: str | None = None) -> Block:
    """A ``web_fetch_tool_result`` with the fetched page as a plain-text document (or an ``error_code``)."""
    if error_code is not None:
        return _result("web_fetch_tool_result", tool_error("web_fetch_tool_result", error_code), tool_use_id)
    document: Block = {"type": "document", "source": {"type": "text", "media_type": media_type, "data": text}}
    if title is not None:
        document["title"] = title
    content = {"type": "web_fetch_result", "url": url, "retrieved_at": retrieved_at or "2026-01-01T00:00:00.000000+00:00",
               "content": document}
    return _result("web_fetch_tool_result", content, tool_use_id)


def code_execution_tool_result(stdout: str = "", stderr: str = "", return_code: int = 0, *,
                               files: Sequence[str] = (), tool_use_id: str | None = None) -> Block:
    """A ``code_execution_tool_result`` (Python, ``code_execution_20250522`` and programmatic calls);
    ``files`` are ids of files the code wrote (``code_execution_output``)."""
    content = {"type": "code_execution_result", "stdout": stdout, "stderr": stderr, "return_code": return_code,
               "content": [{"type": "code_execution_output", "file_id": f} for f in files], "abort_reason": None}
    return _result("code_execution_tool_result", content, tool_use_id)


def bash_code_execution_tool_result(stdout: str = "", stderr: str = "", return_code: int = 0, *,
                                    files: Sequence[str] = (), tool_use_id: str | None = None) -> Block:
    """A ``bash_code_execution_tool_result`` (``code_execution_20250825`` and later)."""
    content = {"type": "bash_code_execution_result", "stdout": stdout, "stderr": stderr, "return_code": return_code,
               "content": [{"type": "bash_code_execution_output", "file_id": f} for f in files]}
    return _result("bash_code_execution_tool_result", content, tool_use_id)


def text_editor_code_execution_tool_result(content: Mapping[str, Any], *, tool_use_id: str | None = None) -> Block:
    """A ``text_editor_code_execution_tool_result`` with a ``…_view_result`` / ``…_create_result`` / ... content."""
    return _result("text_editor_code_execution_tool_result", dict(content), tool_use_id)


def tool_search_tool_result(tool_names: Sequence[str], *, tool_use_id: str | None = None) -> Block:
    """A ``tool_search_tool_result`` that found ``tool_names`` (``tool_reference`` blocks)."""
    content = {"type": "tool_search_tool_search_result",
               "tool_references": [{"type": "tool_reference", "tool_name": n} for n in tool_names]}
    return _result("tool_search_tool_result", content, tool_use_id)


def advisor_tool_result(text: str, *, stop_reason: str = "end_turn", tool_use_id: str | None = None) -> Block:
    """An ``advisor_tool_result`` carrying the advisor's answer."""
    return _result("advisor_tool_result", {"type": "advisor_result", "text": text, "stop_reason": stop_reason},
                   tool_use_id)


def mcp_tool_use(name: str, input: Mapping[str, Any] | None = None, *, server_name: str,
                 id: str | None = None) -> Block:
    """An ``mcp_tool_use`` block: the API calls tool ``name`` of MCP server ``server_name``."""
    block: Block = {"type": "mcp_tool_use", "name": name, "input": dict(input or {}), "server_name": server_name}
    return _with_id(block, "id", id)


def mcp_tool_result(content: str | Sequence[str], *, is_error: bool = False, tool_use_id: str | None = None) -> Block:
    """An ``mcp_tool_result``: the MCP tool's text (a string, or several text blocks)."""
    texts = [content] if isinstance(content, str) else list(content)
    block: Block = {"type": "mcp_tool_result", "is_error": is_error,
                    "content": [{"type": "text", "text": t} for t in texts]}
    return _with_id(block, "tool_use_id", tool_use_id)
