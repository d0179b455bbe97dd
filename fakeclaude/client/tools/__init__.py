"""Tools the client runs: ``@beta_tool`` functions and the tool runner (``client.beta.messages.tool_runner``)."""

from ._functions import (
    BetaAsyncFunctionTool,
    BetaFunctionTool,
    BetaFunctionToolResultType,
    ToolError,
    beta_async_tool,
    beta_tool,
)
from ._runner import (
    BetaAsyncStreamingToolRunner,
    BetaAsyncToolRunner,
    BetaStreamingToolRunner,
    BetaToolRunner,
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
