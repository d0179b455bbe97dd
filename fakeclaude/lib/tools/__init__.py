"""``anthropic.lib.tools``: ``beta_tool``, ``beta_async_tool``, the function tools and the tool runners.

They live in :mod:`fakeclaude.client.tools`; this module re-exports them under the SDK's path.
"""

from ...client.tools import (
    BetaAsyncFunctionTool,
    BetaAsyncStreamingToolRunner,
    BetaAsyncToolRunner,
    BetaFunctionTool,
    BetaFunctionToolResultType,
    BetaStreamingToolRunner,
    BetaToolRunner,
    ToolError,
    beta_async_tool,
    beta_tool,
)

__all__ = [
    "BetaAsyncFunctionTool",
    "BetaAsyncStreamingToolRunner",
    "BetaAsyncToolRunner",
    "BetaFunctionTool",
    "BetaFunctionToolResultType",
    "BetaStreamingToolRunner",
    "BetaToolRunner",
    "ToolError",
    "beta_async_tool",
    "beta_tool",
]
