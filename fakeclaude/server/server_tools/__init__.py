"""The tools the API runs itself, faked: web search and fetch, code execution, tool search, advisor, MCP.

One module per family (``_web_search``, ``_web_fetch``, ``_code_execution``, ``_tool_search``, ``_advisor``,
``_mcp``), a registry of tool types (``_registry``), the planner that picks the tool an unscripted answer
uses (``_plan``), what the API adds to such answers (``_complete``: ids, ``usage.server_tool_use``,
``pause_turn``, ``container``), the block builders scripts use (``_blocks``) and the per-test script of
their results (``_script``). The memory tool is client-executed: it is a plain ``tool_use``
(:mod:`~fakeclaude.server.tool_policy` calls it like any client tool).
"""

from ._blocks import (
    advisor_tool_result,
    bash_code_execution_tool_result,
    code_execution_tool_result,
    encrypted_blob,
    mcp_tool_result,
    mcp_tool_use,
    server_tool_use,
    text_editor_code_execution_tool_result,
    tool_error,
    tool_search_tool_result,
    web_fetch_tool_result,
    web_search_result,
    web_search_tool_result,
)
from ._checks import server_block_violations
from ._complete import (
    CONTAINER_LIFETIME,
    complete_server_blocks,
    container_for,
    ends_paused,
    included_blocks,
    offers_server_side,
    server_tool_usage,
    uses_code_execution,
)
from ._context import DIRECT_CALLER_FAMILIES
from ._plan import PAUSE_AFTER, callable_client_tools, plan_server_tools
from ._registry import SERVER_TOOL_PREFIXES, is_server_tool
from ._script import FetchedPage, McpAnswer, ProgramOutput, ServerToolScript

__all__ = [
    "CONTAINER_LIFETIME",
    "DIRECT_CALLER_FAMILIES",
    "FetchedPage",
    "McpAnswer",
    "PAUSE_AFTER",
    "ProgramOutput",
    "SERVER_TOOL_PREFIXES",
    "ServerToolScript",
    "advisor_tool_result",
    "bash_code_execution_tool_result",
    "callable_client_tools",
    "code_execution_tool_result",
    "complete_server_blocks",
    "container_for",
    "encrypted_blob",
    "ends_paused",
    "included_blocks",
    "is_server_tool",
    "mcp_tool_result",
    "mcp_tool_use",
    "offers_server_side",
    "plan_server_tools",
    "server_block_violations",
    "server_tool_usage",
    "server_tool_use",
    "text_editor_code_execution_tool_result",
    "tool_error",
    "tool_search_tool_result",
    "uses_code_execution",
    "web_fetch_tool_result",
    "web_search_result",
    "web_search_tool_result",
]
